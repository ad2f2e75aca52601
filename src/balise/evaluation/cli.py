"""`balise eval retrieval|pii|policy`: options are a stable contract; implementations load lazily."""

from __future__ import annotations

from pathlib import Path

import typer

eval_app = typer.Typer(
    help="Measure retrieval, personal-information detection and the usage policy.", no_args_is_help=True
)

DATASET = typer.Option(..., "--dataset", help="Evaluation data (see DESIGN.md for its format).")
JSON = typer.Option(False, "--json", help="Print one JSON object instead of a summary.")


@eval_app.command("retrieval")
def retrieval(
    dataset: Path = DATASET,
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, lexical or dense."),
    json_output: bool = JSON,
) -> None:
    """Rank a BEIR folder's documents for its queries: MRR@10, recall, nDCG, latency."""
    from balise.evaluation.retrieval import retrieval_command

    retrieval_command(dataset=dataset, mode=mode, json_output=json_output)


@eval_app.command("pii")
def pii(
    dataset: Path = DATASET,
    engine: str = typer.Option("balise", "--engine", help="balise or presidio-default."),
    json_output: bool = JSON,
) -> None:
    """Detect personal information in labelled JSONL: precision, recall, F1 per label, leak rate."""
    from balise.evaluation.pii import pii_command

    pii_command(dataset=dataset, engine=engine, json_output=json_output)


@eval_app.command("policy")
def policy(dataset: Path = DATASET, json_output: bool = JSON) -> None:
    """Classify requests as allow, warn or block: accuracy, block and warn precision and recall."""
    from balise.evaluation.policy import policy_command

    policy_command(dataset=dataset, json_output=json_output)
