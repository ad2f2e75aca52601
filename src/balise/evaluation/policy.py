"""``balise eval policy``: how well the default usage policy separates allowed, warned and blocked requests.

The dataset is JSONL, one ``{"text", "expected": "allow"|"warn"|"block"}`` object per line; other keys
(``category``, ``split``) are ignored by the metrics and only used to break results down.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from balise.errors import Invalid
from balise.evaluation.progress import eval_progress
from balise.guard.policy import OUTCOMES, Policy, default_policy, evaluate
from balise.i18n import _

DEV_SET = Path(__file__).parent / "datasets" / "policy_dev.jsonl"
ORDINARY_SET = Path(__file__).parent / "datasets" / "policy_ordinary.jsonl"
"""Ordinary staff requests (questions on documents, spelling checks, summaries), all expected allow."""


@dataclass(frozen=True)
class Example:
    text: str
    expected: str
    split: str


def load_dataset(path: Path) -> list[Example]:
    """The labelled requests of a JSONL file; any malformed line stops the run with its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid("Cannot read the dataset {path}: {reason}", path=str(path), reason=str(exc)) from exc
    examples: list[Example] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Invalid(
                "Dataset line {line}: not valid JSON ({reason}).", line=number, reason=exc.msg
            ) from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise Invalid('Dataset line {line}: a non-empty "text" field is required.', line=number)
        if row.get("expected") not in OUTCOMES:
            raise Invalid('Dataset line {line}: "expected" must be allow, warn or block.', line=number)
        examples.append(Example(row["text"], row["expected"], str(row.get("split", ""))))
    if not examples:
        raise Invalid("The dataset {path} holds no example.", path=str(path))
    return examples


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def score(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Accuracy, precision and recall of block and warn, and the confusion matrix, from (expected, got)."""
    confusion = Counter(pairs)
    result: dict[str, Any] = {"accuracy": _ratio(sum(confusion[(o, o)] for o in OUTCOMES), len(pairs))}
    for outcome in ("block", "warn"):
        predicted = sum(n for (_e, got), n in confusion.items() if got == outcome)
        actual = sum(n for (exp, _g), n in confusion.items() if exp == outcome)
        result[f"{outcome}_precision"] = _ratio(confusion[(outcome, outcome)], predicted)
        result[f"{outcome}_recall"] = _ratio(confusion[(outcome, outcome)], actual)
    result["examples"] = len(pairs)
    result["confusion"] = {exp: {got: confusion[(exp, got)] for got in OUTCOMES} for exp in OUTCOMES}
    return result


def evaluate_policy(
    dataset: Path, policy: Policy | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Metrics of ``policy`` (the default one unless given) on a labelled dataset, overall and per split."""
    policy = policy or default_policy()
    examples = load_dataset(dataset)
    deciding = progress.add_task(_("Deciding"), total=len(examples)) if progress else None
    pairs: list[tuple[str, str]] = []
    for ex in examples:
        pairs.append((ex.expected, evaluate(policy, ex.text).outcome))
        if progress is not None and deciding is not None:
            progress.advance(deciding)
    result = score(pairs)
    splits = sorted({ex.split for ex in examples if ex.split})
    if len(splits) > 1:
        result["splits"] = {
            split: score([p for p, ex in zip(pairs, examples, strict=True) if ex.split == split])
            for split in splits
        }
    return result


def print_summary(result: dict[str, Any], console: Console) -> None:
    """The human view: headline metrics, then the confusion matrix (rows: expected, columns: decided)."""
    console.print(_("Usage policy evaluation on {n} requests").format(n=result["examples"]))
    metrics = Table(show_header=True)
    metrics.add_column(_("Metric"))
    metrics.add_column(_("Value"), justify="right")
    for key in ("accuracy", "block_precision", "block_recall", "warn_precision", "warn_recall"):
        metrics.add_row(key, f"{result[key]:.3f}")
    console.print(metrics)
    matrix = Table(title=_("Confusion matrix (rows: expected, columns: decided)"))
    matrix.add_column("")
    for outcome in OUTCOMES:
        matrix.add_column(outcome, justify="right")
    for expected, row in result["confusion"].items():
        matrix.add_row(expected, *(str(row[o]) for o in OUTCOMES))
    console.print(matrix)
    for split, sub in result.get("splits", {}).items():
        console.print(
            f"{split}: accuracy {sub['accuracy']:.3f}, block P/R {sub['block_precision']:.3f}/"
            f"{sub['block_recall']:.3f}, warn P/R {sub['warn_precision']:.3f}/{sub['warn_recall']:.3f} "
            f"({sub['examples']})"
        )


def policy_command(
    dataset: Path = typer.Option(..., "--dataset", help="JSONL file of {text, expected} requests."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of a summary."),
) -> None:
    """Measure the default usage policy on a labelled set of requests."""
    try:
        with eval_progress(json_output) as progress:
            result = evaluate_policy(dataset, progress=progress)
    except Invalid as exc:
        Console(stderr=True).print(exc.localized(), markup=False)
        raise typer.Exit(code=2) from exc
    if json_output:
        keys = ("accuracy", "block_precision", "block_recall", "warn_precision", "warn_recall")
        typer.echo(json.dumps({k: result[k] for k in keys} | {"examples": result["examples"]}))
        return
    print_summary(result, Console())
