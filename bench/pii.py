"""Personal-information detection, Balise next to Presidio's stock setup in the same run.

Data sets:

- ``dev``: ``tests/guard_privacy/devset.py``, written with the recognizers (seeded Quebec and Swiss
  sentences with look-alikes);
- ``faker``: ``tests/guard_privacy/faker_devset.py``, generated with Faker (``fr_CA``, ``fr_CH``, Swiss
  German and Italian names) in letters, forms, e-mails, minutes, tables and signatures with look-alikes;
  issue 11's rules were tuned on its errors, so it is a tuning set too;
- ``europeana``: OCR'd 1906 newspapers (``../shared/data/pii``), all of it and its two halves: names
  rules were tuned on the errors of the first 750 texts only; the last 750 are held out;
- ``streets`` and ``roles``: 200 streets and places named after people and 20 role words opening a line
  (``tests/guard_privacy/lookalikes.py``), where any PERSON detection is a false alarm.

``--speed-only`` measures only the guard's time per 1,000 characters, with the text normalisation
(:mod:`balise.normalisation`) and without it, so that its cost (target: at most 5 %) can be re-measured
in a minute.

Run: ``.venv/bin/python bench/pii.py [--europeana FILE] [--out results.json] [--speed-only]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from balise.evaluation.pii import ENGINES, Record, Run, load_dataset, metrics, run
from balise.guard.privacy import LABELS, get_guard
from balise.normalisation import normalise

ROOT = Path(__file__).resolve().parents[1]
STRUCTURED = tuple(label for label in LABELS if label not in {"PERSON", "ADDRESS"})


def _test_module(name: str) -> Any:
    """A module of the test suite, loaded from its file: ``tests`` is not an installed package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "guard_privacy" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _false_persons(texts: list[str], engine: str) -> dict[str, int]:
    """How many texts without any person get a PERSON detection (the target is zero)."""
    records = [Record(str(i), text, ()) for i, text in enumerate(texts)]
    result = run(records, engine)
    flagged = sum(any(span[2] == "PERSON" for span in spans) for spans in result.predictions)
    return {"texts": len(texts), "with_person_detection": flagged}


def _summary(result: Run) -> dict[str, Any]:
    full = metrics(result)
    structured = metrics(result, STRUCTURED)
    characters = sum(len(record.text) for record in result.records)
    return {
        **full,
        "structured": {
            "micro": structured["micro"],
            "leak_rate": structured["leak_rate"],
            "min_recall": min(
                (v["recall"] for v in structured["per_label"].values() if v["support"]), default=0
            ),
        },
        "cpu_ms_per_1000_chars": round(result.cpu_seconds * 1e6 / characters, 2),
    }


def _rows(summary: dict[str, Any]) -> dict[str, str]:
    def prf(scores: dict[str, Any] | None) -> str:
        if not scores:
            return "—"
        return f"{scores['precision']:.3f} / {scores['recall']:.3f} / {scores['f1']:.3f}"

    return {
        "structured P / R / F1": prf(summary["structured"]["micro"]),
        "structured leak rate": f"{summary['structured']['leak_rate']:.4f}",
        "lowest structured recall": f"{summary['structured']['min_recall']:.3f}",
        "PERSON P / R / F1": prf(summary["per_label"].get("PERSON")),
        "ADDRESS P / R / F1": prf(summary["per_label"].get("ADDRESS")),
        "all labels P / R / F1": prf(summary["micro"]),
        "leak rate (all)": f"{summary['leak_rate']:.4f}",
        "ms / 1,000 chars (wall)": f"{summary['ms_per_1000_chars']:.1f}",
        "ms / 1,000 chars (CPU)": f"{summary['cpu_ms_per_1000_chars']:.1f}",
    }


def _median_times(texts: list[str], label: str) -> dict[str, dict[str, float]]:
    """Median guard time per 1,000 characters of ``texts``, with the normalisation and without it.

    Each text is timed both ways, in alternating order, each time behind a prefix of its own so that
    neither the guard's paragraph cache nor the normalisation's cache answers the second run.
    """
    guard = get_guard()
    times: dict[bool, tuple[list[float], list[float]]] = {True: ([], []), False: ([], [])}
    try:
        for index, text in enumerate(texts):
            for normalise in (True, False) if index % 2 == 0 else (False, True):
                guard.normalise = normalise
                unique = f"Page {index} {label} {'avec' if normalise else 'sans'}. {text}"
                started, cpu_started = time.perf_counter(), time.process_time()
                guard.detect(unique)
                times[normalise][0].append((time.perf_counter() - started) * 1e6 / len(unique))
                times[normalise][1].append((time.process_time() - cpu_started) * 1e6 / len(unique))
    finally:
        guard.normalise = True
    return {
        "with_normalisation" if normalise else "without_normalisation": {
            "wall_ms_per_1000_chars": round(statistics.median(wall), 2),
            "cpu_ms_per_1000_chars": round(statistics.median(cpu), 2),
        }
        for normalise, (wall, cpu) in times.items()
    }


def _normalisation_alone(texts: list[str]) -> float:
    """Median time of the normalisation itself, in milliseconds per 1,000 characters: a figure the
    noise of a shared machine blurs less than the difference of two guard timings."""
    times = []
    for index, text in enumerate(texts):
        unique = f"Page {index} seule. {text}"
        started = time.perf_counter()
        normalise(unique)
        times.append((time.perf_counter() - started) * 1e6 / len(unique))
    return round(statistics.median(times), 4)


def _overhead(figures: dict[str, dict[str, float]], clock: str) -> float:
    """What the normalisation adds to the guard's time, in per cent (the target is at most 5)."""
    without = figures["without_normalisation"][f"{clock}_ms_per_1000_chars"]
    return round(100 * (figures["with_normalisation"][f"{clock}_ms_per_1000_chars"] / without - 1), 1)


def _speed_on_pages(records: list[Record], size: int = 1000) -> dict[str, Any]:
    """Guard time on texts of about ``size`` characters (dev sentences joined), the unit of the target,
    with the normalisation (as the product runs) and without it (``PrivacyGuard.normalise`` off).

    The median per text is reported, by wall clock and by CPU time: on a shared machine the CPU time
    is the closer estimate of what an idle two-core server would take. The same pages with every space
    a no-break space take the normalisation's slow path (every character read and mapped).
    """
    pages, page = [], ""
    for record in records:
        page = f"{page} {record.text}".strip()
        if len(page) >= size:
            pages.append(page)
            page = ""
    spaced = [text.replace(" ", "\u00a0") for text in pages]
    plain, disguised = _median_times(pages, "plain"), _median_times(spaced, "nbsp")
    return {
        "texts": len(pages),
        **plain["with_normalisation"],
        "without_normalisation": plain["without_normalisation"],
        "normalisation_overhead_percent": {"wall": _overhead(plain, "wall"), "cpu": _overhead(plain, "cpu")},
        "normalisation_alone_ms_per_1000_chars": _normalisation_alone(pages),
        "no_break_spaces": {
            **disguised,
            "normalisation_alone_ms_per_1000_chars": _normalisation_alone(spaced),
            "normalisation_overhead_percent": {
                "wall": _overhead(disguised, "wall"),
                "cpu": _overhead(disguised, "cpu"),
            },
        },
    }


def prf_cell(scores: dict[str, Any]) -> str:
    return f"{scores['precision']:.3f} / {scores['recall']:.3f} / {scores['f1']:.3f}"


def _print(console: Console, name: str, size: int, by_engine: dict[str, Any]) -> None:
    table = Table(title=f"{name} ({size} texts)")
    table.add_column("metric")
    for engine in ENGINES:
        table.add_column(engine, justify="right")
    rows = {engine: _rows(summary) for engine, summary in by_engine.items()}
    for metric in rows[ENGINES[0]]:
        table.add_row(metric, *(rows[engine][metric] for engine in ENGINES))
    labels = sorted({label for summary in by_engine.values() for label in summary["per_label"]})
    for label in labels:
        cells = []
        for engine in ENGINES:
            scores = by_engine[engine]["per_label"].get(label)
            cells.append(f"{prf_cell(scores)} ({scores['support']})" if scores else "—")
        table.add_row(f"{label} P / R / F1", *cells)
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--europeana", type=Path, default=ROOT.parent / "shared/data/pii/europeana_fr_persons.jsonl"
    )
    parser.add_argument("--out", type=Path, help="write every figure as JSON to this file")
    parser.add_argument(
        "--speed-only", action="store_true", help="only the guard's time, with and without the normalisation"
    )
    args = parser.parse_args()
    if args.speed_only:
        with tempfile.TemporaryDirectory() as folder:
            faker = load_dataset(_test_module("faker_devset").write_jsonl(Path(folder) / "faker.jsonl"))
        speed = {"speed_1000_char_texts": _speed_on_pages(faker)}
        Console().print_json(json.dumps(speed))
        if args.out:
            args.out.write_text(json.dumps(speed, indent=2), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as folder:
        europeana = load_dataset(args.europeana)
        datasets = {
            "dev": load_dataset(_test_module("devset").write_jsonl(Path(folder) / "dev.jsonl")),
            "faker": load_dataset(_test_module("faker_devset").write_jsonl(Path(folder) / "faker.jsonl")),
            "europeana": europeana,
            "europeana-tuning-half": europeana[:750],
            "europeana-held-out-half": europeana[750:],
        }
    results: dict[str, Any] = {
        name: {engine: _summary(run(records, engine)) for engine in ENGINES}
        for name, records in datasets.items()
    }
    lookalikes = _test_module("lookalikes")
    results["false_persons"] = {
        "streets": {engine: _false_persons(lookalikes.street_texts(), engine) for engine in ENGINES},
        "roles": {engine: _false_persons(list(lookalikes.ROLE_LINES), engine) for engine in ENGINES},
    }
    results["speed_1000_char_texts"] = _speed_on_pages(datasets["faker"])
    console = Console()
    for name, records in datasets.items():
        _print(console, name, len(records), results[name])
    for name, by_engine in results["false_persons"].items():
        console.print(
            f"{name}: texts with a PERSON detection — "
            + ", ".join(
                f"{engine} {v['with_person_detection']}/{v['texts']}" for engine, v in by_engine.items()
            )
        )
    speed = results["speed_1000_char_texts"]
    console.print(
        f"Balise guard on {speed['texts']} texts of ~1,000 characters, median per 1,000 characters: "
        f"{speed['wall_ms_per_1000_chars']} ms wall, {speed['cpu_ms_per_1000_chars']} ms CPU; without the "
        f"normalisation {speed['without_normalisation']['wall_ms_per_1000_chars']} ms wall, "
        f"{speed['without_normalisation']['cpu_ms_per_1000_chars']} ms CPU: the normalisation adds "
        f"{speed['normalisation_overhead_percent']['wall']} % wall, "
        f"{speed['normalisation_overhead_percent']['cpu']} % CPU (target: at most 5 %); with every space a "
        f"no-break space it adds {speed['no_break_spaces']['normalisation_overhead_percent']['wall']} % "
        f"wall, {speed['no_break_spaces']['normalisation_overhead_percent']['cpu']} % CPU. The normalisation "
        f"alone: {speed['normalisation_alone_ms_per_1000_chars']} ms per 1,000 characters "
        f"({speed['no_break_spaces']['normalisation_alone_ms_per_1000_chars']} ms with no-break spaces)"
    )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
