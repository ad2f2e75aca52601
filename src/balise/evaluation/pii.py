"""``balise eval pii``: how well an engine finds personal information, and whether any leaks.

The dataset is JSONL, one ``{"id", "text", "spans": [{"start", "end", "label"}]}`` object per line.
A prediction is a true positive when it overlaps a gold span of the same label; ``leak_rate`` is the
share of gold span texts still present verbatim once the engine's detections are replaced by
placeholders. ``presidio-default`` is Presidio's stock setup (AnalyzerEngine, spaCy French, default
recognizers) with its labels mapped to ours, for a side-by-side comparison.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from balise.errors import Invalid
from balise.evaluation.progress import eval_progress
from balise.guard.privacy import LABELS, get_guard
from balise.i18n import _

ENGINES = ("balise", "presidio-default")

PRESIDIO_TO_BALISE = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CREDIT_CARD",
    "LOCATION": "ADDRESS",
    "DATE_TIME": "DATE_OF_BIRTH",
}
"""Stock Presidio has no Canadian or Swiss identifiers; its nearest labels stand in for ours."""

Span = tuple[int, int, str]
Predictor = Callable[[str], list[Span]]


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Run:
    """An engine's predictions on every record and the time detection took."""

    records: tuple[Record, ...]
    predictions: tuple[tuple[Span, ...], ...]
    seconds: float
    cpu_seconds: float


def load_dataset(path: Path) -> list[Record]:
    """The records of a JSONL file; any malformed line stops the run with its line number."""
    if not path.is_file():
        raise Invalid(
            "PII dataset file not found: {path}. Give the path of a JSONL file with --dataset.",
            path=str(path),
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(
            "Cannot read the PII dataset {path}: {reason}", path=str(path), reason=str(exc)
        ) from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Invalid(
                "PII dataset line {line}: not valid JSON ({reason}). "
                "Each line must be one object {{id, text, spans}}.",
                line=number,
                reason=exc.msg,
            ) from exc
        records.append(_record(row, number))
    if not records:
        raise Invalid("The PII dataset {path} holds no text.", path=str(path))
    return records


def _record(row: Any, number: int) -> Record:
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise Invalid('PII dataset line {line}: a "text" field is required.', line=number)
    text, spans = row["text"], []
    for span in row.get("spans", []):
        if not isinstance(span, dict):
            raise Invalid(
                "PII dataset line {line}: each span must be an object {{start, end, label}}.", line=number
            )
        label = span.get("label")
        if label not in LABELS:
            raise Invalid(
                "PII dataset line {line}: unknown label {label}. Use one of: {labels}.",
                line=number,
                label=str(label),
                labels=", ".join(LABELS),
            )
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise Invalid(
                "PII dataset line {line}: span offsets must satisfy 0 ≤ start < end ≤ length of the text.",
                line=number,
            )
        spans.append((start, end, label))
    return Record(str(row.get("id", number)), text, tuple(spans))


def balise_predictor() -> Predictor:
    guard = get_guard()
    return lambda text: [(d.start, d.end, d.label) for d in guard.detect(text)]


@lru_cache(maxsize=1)
def presidio_default_predictor() -> Predictor:
    """Presidio as shipped, on spaCy French; built once per process."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Presidio's e-mail check asks tldextract, which downloads the public-suffix list by default;
    # the snapshot bundled with tldextract gives the same answers without the network.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["fr"])
    registry.load_predefined_recognizers(languages=["fr"], nlp_engine=nlp_engine)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["fr"])

    def predict(text: str) -> list[Span]:
        results = analyzer.analyze(text=text, language="fr")
        return [
            (r.start, r.end, PRESIDIO_TO_BALISE[r.entity_type])
            for r in results
            if r.entity_type in PRESIDIO_TO_BALISE
        ]

    return predict


def predictor(engine: str) -> Predictor:
    if engine == "balise":
        return balise_predictor()
    if engine == "presidio-default":
        return presidio_default_predictor()
    raise Invalid(
        "Unknown engine {engine}. Use one of: {engines}.", engine=engine, engines=", ".join(ENGINES)
    )


def run(records: Iterable[Record], engine: str, progress: Progress | None = None) -> Run:
    """Predictions of ``engine`` on every record; the first call (model loading) is not timed."""
    records = tuple(records)
    predict = predictor(engine)
    predict("Échauffement du modèle : M. Jean Tremblay.")
    detecting = progress.add_task(_("Detecting"), total=len(records)) if progress else None
    started, cpu_started = time.perf_counter(), time.process_time()
    found: list[tuple[Span, ...]] = []
    for record in records:
        found.append(tuple(predict(record.text)))
        if progress is not None and detecting is not None:
            progress.advance(detecting)
    predictions = tuple(found)
    return Run(records, predictions, time.perf_counter() - started, time.process_time() - cpu_started)


def _mask(text: str, spans: Iterable[Span]) -> str:
    for start, end, label in sorted(spans, reverse=True):
        text = f"{text[:start]}[{label}]{text[end:]}"
    return text


def _prf(matched_predictions: int, predictions: int, matched_gold: int, gold: int) -> dict[str, float | int]:
    precision = matched_predictions / predictions if predictions else 0.0
    recall = matched_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": gold}


def metrics(result: Run, labels: Iterable[str] = LABELS) -> dict[str, Any]:
    """The stable JSON keys (docs/architecture.md), restricted to ``labels`` (micro, leak rate) when a
    subset is given."""
    wanted = set(labels)
    tallies = {
        label: [0, 0, 0, 0] for label in LABELS
    }  # matched predictions, predictions, matched gold, gold
    leaked = total_gold = characters = 0
    for record, predicted in zip(result.records, result.predictions, strict=True):
        characters += len(record.text)

        def overlaps(a: Span, b: Span) -> bool:
            return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]

        for span in predicted:
            if span[2] in tallies:
                tallies[span[2]][0] += any(overlaps(span, gold) for gold in record.spans)
                tallies[span[2]][1] += 1
        masked = _mask(record.text, predicted)
        for gold in record.spans:
            tallies[gold[2]][2] += any(overlaps(gold, span) for span in predicted)
            tallies[gold[2]][3] += 1
            if gold[2] in wanted:
                total_gold += 1
                leaked += record.text[gold[0] : gold[1]] in masked
    per_label = {
        label: _prf(*counts)
        for label, counts in tallies.items()
        if label in wanted and (counts[1] or counts[3])
    }
    micro = [sum(tallies[label][i] for label in wanted) for i in range(4)]
    return {
        "micro": _prf(*micro),
        "per_label": per_label,
        "leak_rate": round(leaked / total_gold, 4) if total_gold else 0.0,
        "ms_per_1000_chars": round(result.seconds * 1000 / characters * 1000, 2) if characters else 0.0,
    }


def evaluate_pii(dataset: Path, engine: str, progress: Progress | None = None) -> dict[str, Any]:
    """Precision, recall and F1 per label and overall, leak rate and speed of ``engine`` on ``dataset``."""
    predictor(engine)
    return metrics(run(load_dataset(dataset), engine, progress))


def print_report(result: dict[str, Any], console: Console) -> None:
    table = Table(title=_("Personal-information detection"))
    for column in (_("Label"), _("Precision"), _("Recall"), _("F1"), _("Support")):
        table.add_column(column, justify="left" if column == _("Label") else "right")
    rows = [*sorted(result["per_label"].items()), ("micro", result["micro"])]
    for label, scores in rows:
        table.add_row(
            label,
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            f"{scores['f1']:.3f}",
            str(scores["support"]),
        )
    console.print(table)
    console.print(_("Leak rate: {rate:.2%}").format(rate=result["leak_rate"]))
    console.print(_("Speed: {ms} ms per 1,000 characters").format(ms=result["ms_per_1000_chars"]))


def pii_command(
    dataset: Path = typer.Option(
        ..., "--dataset", help="JSONL file {id, text, spans: [{start, end, label}]}."
    ),
    engine: str = typer.Option("balise", "--engine", help="balise or presidio-default."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Measure personal-information detection on a labelled dataset."""
    try:
        with eval_progress(json_output) as progress:
            result = evaluate_pii(dataset, engine, progress)
    except Invalid as exc:
        typer.echo(exc.localized(), err=True)
        raise typer.Exit(2) from None
    if json_output:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        print_report(result, Console())
