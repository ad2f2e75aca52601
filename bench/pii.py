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

Run: ``.venv/bin/python bench/pii.py [--europeana FILE] [--out results.json]``.
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


def _speed_on_pages(records: list[Record], size: int = 1000) -> dict[str, float]:
    """Guard time on texts of about ``size`` characters (dev sentences joined), the unit of the target.

    The median per text is reported, by wall clock and by CPU time: on a shared machine the CPU time
    is the closer estimate of what an idle two-core server would take.
    """
    guard = get_guard()
    pages, page = [], ""
    for record in records:
        page = f"{page} {record.text}".strip()
        if len(page) >= size:
            pages.append(page)
            page = ""
    wall, cpu = [], []
    for text in pages:
        started, cpu_started = time.perf_counter(), time.process_time()
        guard.detect(text)
        wall.append((time.perf_counter() - started) * 1e6 / len(text))
        cpu.append((time.process_time() - cpu_started) * 1e6 / len(text))
    return {
        "texts": len(pages),
        "wall_ms_per_1000_chars": round(statistics.median(wall), 1),
        "cpu_ms_per_1000_chars": round(statistics.median(cpu), 1),
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
    args = parser.parse_args()
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
        f"{speed['wall_ms_per_1000_chars']} ms wall, {speed['cpu_ms_per_1000_chars']} ms CPU"
    )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
