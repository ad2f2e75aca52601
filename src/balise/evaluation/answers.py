"""``balise eval answers``: does the assistant answer, cite the right document, and abstain when it should?

DIR is a BEIR folder (``corpus.jsonl``, ``queries.jsonl``, ``qrels.tsv``) plus ``answers.jsonl``
(``{"query_id", "answers": [...]}``). A query with no qrels is unanswerable. The documents are
ingested as the product ingests them (stored, parsed, chunked and indexed by the job worker); a
corpus row may name a ``file`` (relative to DIR, or absolute) to ingest instead of its text, so PDFs
go through the PDF parser. Every query then runs through the same ask task as the web page and
the API, as an employee of a temporary municipality.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine

from balise.db import make_engine, migrate, open_session, tenant_session
from balise.errors import BaliseError, Invalid
from balise.evaluation.progress import eval_progress
from balise.evaluation.retrieval import _percentile, load_dataset
from balise.i18n import _
from balise.text import fold

SUMMARY_KEYS = (
    "cited_rate",
    "answer_rate",
    "abstain_rate",
    "false_abstain_rate",
    "queries",
    "p50_ms",
    "p95_ms",
)


@dataclass(frozen=True)
class AnswerSet:
    queries: dict[str, str]
    relevant: dict[str, set[str]]  # answerable query id -> relevant corpus ids
    answers: dict[str, list[str]]
    corpus: list[dict[str, str]]
    folder: Path


@dataclass(frozen=True)
class Outcome:
    """One query's result: what the answer cites and says, for the metrics and for threshold sweeps."""

    query_id: str
    answerable: bool
    cited: set[str]  # corpus ids of the documents the answer cites
    text: str
    ms: float
    confidence: float | None = None
    warned: bool = False  # the usage policy warned and the query was confirmed
    caution: bool = False  # the reader marked its answer « à vérifier »


def load_answer_set(folder: Path) -> AnswerSet:
    """The BEIR folder with its answers; every query of queries.jsonl is asked."""
    data = load_dataset(folder)
    answers: dict[str, list[str]] = {}
    path = folder / "answers.jsonl"
    if not path.is_file():
        raise Invalid("Missing file {path}: the answers evaluation needs answers.jsonl.", path=str(path))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answers[str(row["query_id"])] = [str(a) for a in row["answers"]]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise Invalid(
                '{path}, line {line}: expected {{"query_id", "answers": [...]}}.', path=str(path), line=number
            ) from exc
    rows = [
        json.loads(line)
        for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    relevant = {query_id: set(judged) for query_id, judged in data.qrels.items()}
    return AnswerSet(data.queries, relevant, answers, rows, folder)


def _file_of(row: dict[str, str], folder: Path) -> tuple[str, bytes]:
    if row.get("file"):
        path = Path(row["file"])
        path = path if path.is_absolute() else folder / path
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise Invalid(
                "Cannot read the dataset {path}: {reason}", path=str(path), reason=str(exc)
            ) from exc
    title = (row.get("title") or "").strip()
    body = f"# {title}\n\n{row['text']}\n" if title else f"{row['text']}\n"
    safe_id = re.sub(r"[^\w.-]+", "_", row["_id"])
    return f"{safe_id}.md", body.encode()


@dataclass(frozen=True)
class AnswerStore:
    engine: Engine
    tenant_id: str
    source_ids: dict[str, str]  # product document id -> corpus id


@contextmanager
def build_answer_store(
    data: AnswerSet, *, embed: bool = True, advance: Callable[[int], None] | None = None
) -> Iterator[AnswerStore]:
    """A temporary database where the corpus went through the product's ingestion (deleted afterwards)."""
    from balise.documents.service import submit_files
    from balise.jobs import run_worker
    from balise.tenancy.models import Tenant

    with tempfile.TemporaryDirectory(prefix="balise-answers-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'answers.db'}")
        try:
            migrate(engine)
            with open_session(engine) as session:
                tenant = Tenant(slug="eval-answers", name="Évaluation")
                session.add(tenant)
                session.commit()
                tenant_id = tenant.id
            source_ids: dict[str, str] = {}
            for start in range(0, len(data.corpus), 32):
                batch = data.corpus[start : start + 32]
                with tenant_session(tenant_id, engine) as session:
                    for row in batch:
                        (document,) = submit_files(
                            session,
                            tenant_id,
                            [_file_of(row, data.folder)],
                            classification="public",
                            embed=embed,
                        )
                        source_ids[document.id] = row["_id"]
                    session.commit()
                run_worker(engine, stop_when_idle=True, poll_seconds=0.05)
                if advance is not None:
                    advance(len(batch))
            yield AnswerStore(engine, tenant_id, source_ids)
        finally:
            engine.dispose()


def ask_all(
    store: AnswerStore, data: AnswerSet, advance: Callable[[int], None] | None = None
) -> list[Outcome]:
    """Every query through the ask task, as an employee would ask it (nothing is kept afterwards).

    A usage-policy warning is confirmed, as the employee who reads it may do: the warning is advice,
    and the answer they then get is the one measured (``warned`` counts them). A blocked query stays
    unanswered."""
    from balise.assistant import Options, Requester, ask
    from balise.tenancy.models import Tenant

    outcomes: list[Outcome] = []
    with tenant_session(store.tenant_id, store.engine) as session:
        tenant = session.get(Tenant, store.tenant_id)
        assert tenant is not None
        who = Requester(tenant, None, ("public",), tool="evaluation")
        for query_id, question in data.queries.items():
            started = time.perf_counter()
            result = ask(session, who, question)
            warned = result.status == "warning"
            if warned:
                session.rollback()
                result = ask(session, who, question, Options(confirmed=True))
            ms = (time.perf_counter() - started) * 1000
            session.rollback()
            cited = {
                store.source_ids[c.document_id] for c in result.citations if c.document_id in store.source_ids
            }
            outcomes.append(
                Outcome(query_id, query_id in data.relevant, cited, result.text, ms, warned=warned)
            )
            if advance is not None:
                advance(1)
    return outcomes


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).replace("’", "'").replace("\u00a0", " ")).strip()


def contains_answer(text: str, answers: list[str]) -> bool:
    """A gold answer appears in the text, case, accents and spacing folded."""
    haystack = _folded(text)
    return any(_folded(answer) and _folded(answer) in haystack for answer in answers)


def rate(hits: int, total: int) -> float:
    """A share rounded to four places; 0 when there is nothing to count."""
    return round(hits / total, 4) if total else 0.0


def cited_rate(outcomes: list[Outcome], relevant: dict[str, set[str]]) -> float:
    """Share of answerable questions whose answer cites one of their relevant documents."""
    answerable = [o for o in outcomes if o.answerable]
    return rate(sum(bool(o.cited & relevant.get(o.query_id, set())) for o in answerable), len(answerable))


def answer_rate(outcomes: list[Outcome], answers: dict[str, list[str]]) -> float:
    """Share of the questions with a gold answer whose answer contains it."""
    with_gold = [o for o in outcomes if o.answerable and answers.get(o.query_id)]
    return rate(sum(contains_answer(o.text, answers[o.query_id]) for o in with_gold), len(with_gold))


def abstain_rate(outcomes: list[Outcome]) -> float:
    """Share of unanswerable questions the assistant declined to answer (it cited nothing)."""
    unanswerable = [o for o in outcomes if not o.answerable]
    return rate(sum(not o.cited for o in unanswerable), len(unanswerable))


def metrics(outcomes: list[Outcome], data: AnswerSet) -> dict[str, Any]:
    """The contract's keys (DESIGN.md), plus how many queries were answerable and unanswerable."""
    answerable = [o for o in outcomes if o.answerable]
    latencies = [o.ms for o in outcomes]
    return {
        "cited_rate": cited_rate(outcomes, data.relevant),
        "answer_rate": answer_rate(outcomes, data.answers),
        "abstain_rate": abstain_rate(outcomes),
        "false_abstain_rate": rate(sum(not o.cited for o in answerable), len(answerable)),
        "queries": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(outcomes) - len(answerable),
        "warned": sum(o.warned for o in outcomes),
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
    }


def evaluate_answers(folder: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Metrics of the ask task on DIR (see the module docstring)."""
    data = load_answer_set(folder)
    if progress is None:
        with build_answer_store(data) as store:
            return metrics(ask_all(store, data), data)
    indexing = progress.add_task(_("Indexing documents"), total=len(data.corpus))
    with build_answer_store(data, advance=lambda n: progress.advance(indexing, n)) as store:
        asking = progress.add_task(_("Asking"), total=len(data.queries))
        return metrics(ask_all(store, data, lambda n: progress.advance(asking, n)), data)


def answers_command(dataset: Path, json_output: bool) -> None:
    """Measure how the assistant answers a BEIR folder with gold answers."""
    err_console = Console(stderr=True)
    try:
        with eval_progress(json_output, err_console) as progress:
            result = evaluate_answers(dataset, progress=progress)
    except BaliseError as error:
        err_console.print(error.localized(), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from error
    if json_output:
        typer.echo(json.dumps(result))
        return
    table = Table(title=_("Answers: {queries} queries").format(queries=result["queries"]))
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    for key in SUMMARY_KEYS:
        table.add_row(key, f"{result[key]}")
    Console().print(table)
