"""`balise eval retrieval|answers|pii|policy|bias|run|import`: options are a stable contract;
implementations load lazily.

``balise.cli`` lists these commands with their help and imports this module only when one runs.
"""

from __future__ import annotations

from pathlib import Path

import typer

from balise.i18n import N_

DATASET = typer.Option(
    ..., "--dataset", help=N_("Evaluation data (see docs/architecture.md for its format).")
)
JSON = typer.Option(False, "--json", help=N_("Print one JSON object instead of a summary."))


def retrieval(
    dataset: Path = DATASET,
    mode: str = typer.Option("hybrid", "--mode", help=N_("hybrid, lexical or dense.")),
    json_output: bool = JSON,
    rerank_url: str = typer.Option(
        "",
        "--rerank-url",
        help=N_("Base address of a reranking server (its /rerank) to rerank search's first passages with."),
    ),
    rerank_model: str = typer.Option(
        "reranker", "--rerank-model", help=N_("Model identifier the reranking server expects.")
    ),
    rerank_protocol: str = typer.Option(
        "rerank",
        "--rerank-protocol",
        help=N_("rerank (Cohere, Jina, Infinity, vLLM) or rerank-tei (Text Embeddings Inference)."),
    ),
    rerank_key_env: str = typer.Option(
        "", "--rerank-key-env", help=N_("Environment variable holding the reranking server's API key.")
    ),
    rerank_timeout: float = typer.Option(
        2.0, "--rerank-timeout", help=N_("Seconds search waits for the reranking server.")
    ),
    rerank_candidates: int = typer.Option(
        20, "--rerank-candidates", min=1, max=200, help=N_("How many of search's first passages it reorders.")
    ),
) -> None:
    from balise.evaluation.retrieval import Reranking, retrieval_command

    rerank = (
        Reranking(
            rerank_url, rerank_model, rerank_protocol, rerank_key_env, rerank_timeout, rerank_candidates
        )
        if rerank_url
        else None
    )
    retrieval_command(dataset=dataset, mode=mode, json_output=json_output, rerank=rerank)


def pii(
    dataset: Path = DATASET,
    engine: str = typer.Option("balise", "--engine", help=N_("balise or presidio-default.")),
    json_output: bool = JSON,
) -> None:
    from balise.evaluation.pii import pii_command

    pii_command(dataset=dataset, engine=engine, json_output=json_output)


def policy(dataset: Path = DATASET, json_output: bool = JSON) -> None:
    from balise.evaluation.policy import policy_command

    policy_command(dataset=dataset, json_output=json_output)


def answers(dataset: Path = DATASET, json_output: bool = JSON) -> None:
    from balise.evaluation.answers import answers_command

    answers_command(dataset=dataset, json_output=json_output)


def bias(
    tenant: str = typer.Option(..., "--tenant", help=N_("Slug of the municipality.")),
    probe: str = typer.Option("all", "--probe", help=N_("counterfactual, crows, titles or all.")),
    pairs: int | None = typer.Option(
        None,
        "--pairs",
        help=N_(
            "How many pairs each model probe asks: CrowS-Pairs sentence pairs (100 by default), name pairs "
            "per request and comparison (6 by default, 12 at most)."
        ),
    ),
    crows: Path | None = typer.Option(
        None, "--crows", help=N_("The French CrowS-Pairs file (default: BALISE_CROWS_PAIRS_FILE).")
    ),
    json_output: bool = JSON,
) -> None:
    from balise.evaluation.bias.cli import bias_command

    bias_command(tenant=tenant, probe=probe, pairs=pairs, crows=crows, json_output=json_output)


TENANT = typer.Option(..., "--tenant", help=N_("Slug of the municipality."))


def run(
    tenant: str = TENANT,
    set_name: str | None = typer.Option(
        None, "--set", help=N_("Name of the evaluation set (needed when the municipality has several).")
    ),
    json_output: bool = JSON,
) -> None:
    from balise.evaluation.runs.cli import run_command

    run_command(tenant=tenant, set_name=set_name, json_output=json_output)


def import_set(
    tenant: str = TENANT,
    set_name: str = typer.Option(..., "--set", help=N_("Name of the evaluation set, created when missing.")),
    file: Path = typer.Option(..., "--file", help=N_("A .jsonl or .csv file of questions.")),
    role: str = typer.Option(
        "employee", "--role", help=N_("Whose clearance a new set's questions are asked with.")
    ),
) -> None:
    from balise.evaluation.runs.cli import import_command

    import_command(tenant=tenant, set_name=set_name, file=file, role=role)
