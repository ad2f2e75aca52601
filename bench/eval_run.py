"""How long ``balise eval run`` takes on a 500-question set (target: 5 minutes on 2 cores).

The set is built at run time from the shared government FAQ (``../shared/data/retrieval/fr_gov_faq``,
read, never copied): its documents are ingested as the product ingests them (stored, parsed, chunked,
embedded by the job worker) into a temporary municipality, then ``--questions`` of its questions (the
first ones, each with its judged document named by file) make one evaluation set, imported as JSONL
as a municipality imports one. The command itself then runs in a subprocess, timed from start to
exit, model loading included, and its JSON figures are printed with the time.

Run: ``.venv/bin/python bench/eval_run.py [--questions 500] [--json]`` on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from balise.db import tenant_session
from balise.documents.models import Document
from balise.evaluation.answers import AnswerSet, build_answer_store
from balise.evaluation.retrieval import load_dataset

DATA = Path(__file__).parents[2] / "shared/data/retrieval/fr_gov_faq"
SET = "FAQ gouvernementale"


def build_set(questions: int, work: Path) -> tuple[str, Path]:
    """Ingests the FAQ into a database under ``work``; returns its URL and the JSONL of the set."""
    data = load_dataset(DATA)
    rows = [{"_id": d.id, "title": d.title, "text": d.text} for d in data.corpus]
    answer_set = AnswerSet(data.queries, {q: set(j) for q, j in data.qrels.items()}, {}, rows, DATA)
    database = work / "bench.db"
    with build_answer_store(answer_set) as store:
        with tenant_session(store.tenant_id, store.engine) as session:
            sources = {
                store.source_ids[doc_id]: source
                for doc_id, source in session.execute(select(Document.id, Document.source))
            }
        store.engine.dispose()
        folder = Path(str(store.engine.url.database)).parent
        database.write_bytes((folder / "answers.db").read_bytes())
    lines = [
        json.dumps({"question": data.queries[q], "sources": [sources[d] for d in judged]}, ensure_ascii=False)
        for q, judged in list(data.qrels.items())[:questions]
    ]
    items = work / "set.jsonl"
    items.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"sqlite:///{database}", items


def balise(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from balise.cli import app; app()", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="balise-bench-eval-") as folder:
        work = Path(folder)
        started = time.perf_counter()
        url, items = build_set(options.questions, work)
        ingest_seconds = time.perf_counter() - started
        env = {**os.environ, "BALISE_DATABASE_URL": url, "BALISE_DATA_DIR": str(work)}
        balise(["eval", "import", "--tenant", "eval-answers", "--set", SET, "--file", str(items)], env)
        started = time.perf_counter()
        ran = balise(["eval", "run", "--tenant", "eval-answers", "--set", SET, "--json"], env)
        seconds = time.perf_counter() - started
    figures = json.loads(ran.stdout)
    result = {
        "questions": figures["items"],
        "eval_run_seconds": round(seconds, 1),
        "per_question_ms": round(seconds * 1000 / max(figures["items"], 1), 1),
        "target_seconds": 300,
        "ingest_seconds": round(ingest_seconds, 1),
        "cpus": os.cpu_count(),
        "figures": figures,
    }
    if options.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
