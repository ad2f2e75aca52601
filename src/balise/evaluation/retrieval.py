"""``balise eval retrieval``: how well search finds the passage a question was written on.

The dataset is a BEIR folder (``corpus.jsonl``, ``queries.jsonl``, ``qrels.tsv``). Its documents are
ingested into a temporary SQLite store, chunked exactly as the product chunks them, then each query is
searched; a document's rank is the rank of its best chunk.

With a reranking server (``--rerank-url``) it is registered in the store as a municipality registers it
(hosted on premises, public documents, masked personal information allowed) and search reranks with it
through the product's own rules, so that a municipality measures the gain on its own data: compare
with a run without it. ``rerank_calls`` and ``rerank_fallbacks`` say how often it was asked and how
often search kept its own order because it failed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, get_args

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise.db import make_engine, migrate, open_session, tenant_session
from balise.documents.chunking import chunk_text
from balise.documents.models import Chunk, Classification, Document, DocumentStatus
from balise.errors import BaliseError, Invalid
from balise.evaluation.progress import eval_progress
from balise.gateway import ModelUsage, register_backend, reranker_for
from balise.gateway.footprint import Hosting
from balise.gateway.registry import RERANK_PROVIDERS
from balise.i18n import _
from balise.search import Mode, index_chunks, search
from balise.search.fusion import DEFAULT, Fusion
from balise.tenancy.models import Tenant

MODES: tuple[str, ...] = get_args(Mode)
CHUNKS_PER_QUERY = 50
"""Chunks fetched per query: enough to rank the top 10 distinct documents."""
INDEX_BATCH = 64
CUTOFF = 10
SUMMARY_KEYS = (
    "mrr@10",
    "recall@1",
    "recall@5",
    "recall@10",
    "ndcg@10",
    "index_seconds",
    "query_p50_ms",
    "query_p95_ms",
)
RERANK_KEYS = ("rerank_calls", "rerank_fallbacks")


@dataclass(frozen=True)
class BeirDocument:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class BeirDataset:
    corpus: list[BeirDocument]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _jsonl(path: Path, fields: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise Invalid(
            "Missing file {path}: a BEIR folder holds corpus.jsonl, queries.jsonl and qrels.tsv.",
            path=str(path),
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid("Cannot read the dataset {path}: {reason}", path=str(path), reason=str(exc)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Invalid(
                "{path}, line {line}: not valid JSON ({reason}).", path=str(path), line=number, reason=exc.msg
            ) from exc
        if not isinstance(row, dict) or not all(isinstance(row.get(field), str) for field in fields):
            raise Invalid(
                "{path}, line {line}: the fields {fields} must be strings.",
                path=str(path),
                line=number,
                fields=", ".join(fields),
            )
        yield row


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t"))
    except FileNotFoundError as exc:
        raise Invalid(
            "Missing file {path}: a BEIR folder holds corpus.jsonl, queries.jsonl and qrels.tsv.",
            path=str(path),
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid("Cannot read the dataset {path}: {reason}", path=str(path), reason=str(exc)) from exc
    if not rows or rows[0] != ["query-id", "corpus-id", "score"]:
        raise Invalid("{path}: the first line must be the header query-id, corpus-id, score.", path=str(path))
    qrels: dict[str, dict[str, int]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            query_id, document_id, score = row
            qrels.setdefault(query_id, {})[document_id] = int(score)
        except ValueError as exc:
            raise Invalid(
                "{path}, line {line}: expected a query id, a document id and an integer score.",
                path=str(path),
                line=number,
            ) from exc
    return qrels


def load_dataset(folder: Path) -> BeirDataset:
    """A BEIR folder, checked: every malformed line stops the run with its file and line number."""
    if not folder.is_dir():
        raise Invalid("The dataset folder {path} does not exist.", path=str(folder))
    corpus = [
        BeirDocument(row["_id"], row.get("title") or "", row["text"])
        for row in _jsonl(folder / "corpus.jsonl", ("_id", "text"))
    ]
    queries = {row["_id"]: row["text"] for row in _jsonl(folder / "queries.jsonl", ("_id", "text"))}
    qrels = {
        query_id: {doc: score for doc, score in judged.items() if score > 0}
        for query_id, judged in _qrels(folder / "qrels.tsv").items()
        if query_id in queries
    }
    qrels = {query_id: judged for query_id, judged in qrels.items() if judged}
    if not corpus or not qrels:
        raise Invalid("The dataset {path} holds no document or no judged query.", path=str(folder))
    return BeirDataset(corpus, queries, qrels)


@dataclass(frozen=True)
class Reranking:
    """A reranking server to measure: its ``/rerank`` address and what the models page would ask."""

    url: str
    model: str = "reranker"
    protocol: str = "rerank"
    """The registry's provider: ``rerank`` (Cohere, Jina, Infinity, vLLM) or ``rerank-tei``."""
    api_key_env: str = ""
    timeout_s: float = 2.0
    candidates: int = 20


@dataclass(frozen=True)
class Store:
    """A temporary database holding the dataset's documents, chunked and indexed."""

    engine: Engine
    tenant_id: str
    source_ids: dict[str, str]  # product document id -> BEIR corpus id
    documents: int
    chunks: int
    index_seconds: float


@contextmanager
def build_store(
    dataset: BeirDataset, advance: Callable[[int], None] | None = None, *, rerank: Reranking | None = None
) -> Iterator[Store]:
    """Ingest the corpus into a fresh, migrated SQLite database, deleted afterwards.

    ``advance`` is called with the number of documents indexed by each batch (for a progress bar);
    ``rerank``'s server is registered in the store's municipality (:func:`register_reranker`).
    """
    with tempfile.TemporaryDirectory(prefix="balise-eval-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'retrieval.db'}")
        try:
            migrate(engine)
            with open_session(engine) as session:
                tenant = Tenant(slug="eval-retrieval", name="Évaluation")
                session.add(tenant)
                session.commit()
                tenant_id = tenant.id
            started = time.perf_counter()
            source_ids: dict[str, str] = {}
            chunk_count = 0
            with tenant_session(tenant_id, engine) as session:
                for start in range(0, len(dataset.corpus), INDEX_BATCH):
                    batch = dataset.corpus[start : start + INDEX_BATCH]
                    chunks = [chunk for doc in batch for chunk in _ingest(session, doc, source_ids)]
                    session.flush()
                    index_chunks(session, chunks)
                    session.commit()
                    chunk_count += len(chunks)
                    if advance is not None:
                        advance(len(batch))
            store = Store(
                engine, tenant_id, source_ids, len(dataset.corpus), chunk_count, time.perf_counter() - started
            )
            if rerank is not None:
                register_reranker(store, rerank)
            yield store
        finally:
            engine.dispose()


def register_reranker(store: Store, server: Reranking) -> None:
    """Registers ``server`` in the store's municipality, as an administrator would on the models page."""
    if server.protocol not in RERANK_PROVIDERS:
        raise Invalid(
            "Unknown reranking protocol {protocol}: use rerank or rerank-tei.", protocol=server.protocol
        )
    with tenant_session(store.tenant_id, store.engine) as session:
        register_backend(
            session,
            store.tenant_id,
            name="reranker",
            endpoint=server.url,
            model=server.model,
            provider=server.protocol,
            hosting=Hosting.ON_PREMISES.value,
            max_classification=Classification.PUBLIC.value,
            allows_masked_personal=True,
            api_key_env=server.api_key_env or None,
            timeout_s=server.timeout_s,
            actor="eval",
        )
        session.commit()


def _ingest(session: Session, doc: BeirDocument, source_ids: dict[str, str]) -> list[Chunk]:
    document = Document(
        title=doc.title or doc.id,
        source=doc.id,
        sha256=hashlib.sha256(doc.text.encode()).hexdigest(),
        size_bytes=len(doc.text.encode()),
        classification=Classification.PUBLIC.value,
        status=DocumentStatus.READY.value,
    )
    session.add(document)
    session.flush()
    source_ids[document.id] = doc.id
    chunks = [
        Chunk(
            document_id=document.id,
            ordinal=ordinal,
            text=draft.text,
            page=draft.page,
            heading_path=draft.heading_path,
            char_start=draft.char_start,
            char_end=draft.char_end,
            classification=document.classification,
        )
        for ordinal, draft in enumerate(chunk_text(doc.text, title=doc.title))
    ]
    session.add_all(chunks)
    return chunks


def _dcg(gains: list[float]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def score_ranking(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    """MRR@10, recall@1/5/10 and nDCG@10 of one query's ranked document ids."""
    top = ranked[:CUTOFF]
    first = next((rank for rank, doc in enumerate(top, start=1) if doc in relevant), None)
    ideal = _dcg([float(gain) for gain in sorted(relevant.values(), reverse=True)[:CUTOFF]])
    metrics = {"mrr@10": 1.0 / first if first else 0.0}
    for k in (1, 5, 10):
        metrics[f"recall@{k}"] = len(set(ranked[:k]) & relevant.keys()) / len(relevant)
    metrics["ndcg@10"] = _dcg([float(relevant.get(doc, 0)) for doc in top]) / ideal if ideal else 0.0
    return metrics


def hit_at(ranked: list[str], relevant: Collection[str], k: int) -> bool:
    """Whether one of the relevant documents is among the first ``k`` of a ranking."""
    return bool(set(ranked[:k]) & set(relevant))


def _percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _rerank_counts(session: Session) -> dict[str, int]:
    """Calls to the reranking server in this session, and those whose failure kept search's order."""
    outcomes = session.scalars(select(ModelUsage.outcome).where(ModelUsage.kind == "rerank")).all()
    return {"rerank_calls": len(outcomes), "rerank_fallbacks": sum(o != "ok" for o in outcomes)}


def run_queries(
    store: Store,
    dataset: BeirDataset,
    mode: str,
    fusion: Fusion = DEFAULT,
    advance: Callable[[int], None] | None = None,
    *,
    rerank: Reranking | None = None,
) -> dict[str, Any]:
    """Search every judged query and average the metrics; latencies include the query embedding (and
    the reranking, with ``rerank``, whose server :func:`register_reranker` registered in the store)."""
    if mode not in MODES:
        raise Invalid("Unknown mode {mode}: use hybrid, lexical or dense.", mode=mode)
    totals: dict[str, float] = {}
    latencies: list[float] = []
    with tenant_session(store.tenant_id, store.engine) as session:
        reranker = (
            None if rerank is None else reranker_for(session, store.tenant_id, candidates=rerank.candidates)
        )
        for query_id, relevant in dataset.qrels.items():
            started = time.perf_counter()
            hits = search(
                session,
                dataset.queries[query_id],
                tenant_id=store.tenant_id,
                classifications={Classification.PUBLIC.value},
                limit=CHUNKS_PER_QUERY,
                mode=cast(Mode, mode),
                fusion=fusion,
                reranker=reranker,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            ranked = list(dict.fromkeys(store.source_ids[hit.document_id] for hit in hits))
            for name, value in score_ranking(ranked, relevant).items():
                totals[name] = totals.get(name, 0.0) + value
            if advance is not None:
                advance(1)
        reranking = _rerank_counts(session) if reranker is not None else {}
    count = len(dataset.qrels)
    return {
        **{name: round(value / count, 4) for name, value in totals.items()},
        "queries": count,
        "documents": store.documents,
        "chunks": store.chunks,
        "index_seconds": round(store.index_seconds, 2),
        "query_p50_ms": round(_percentile(latencies, 0.5), 2),
        "query_p95_ms": round(_percentile(latencies, 0.95), 2),
        **reranking,
    }


def evaluate_retrieval(
    dataset: Path,
    mode: str,
    *,
    fusion: Fusion = DEFAULT,
    progress: Progress | None = None,
    rerank: Reranking | None = None,
) -> dict[str, Any]:
    """Metrics of one search mode on a BEIR folder, reranked by ``rerank`` when given (see the module)."""
    if mode not in MODES:
        raise Invalid("Unknown mode {mode}: use hybrid, lexical or dense.", mode=mode)
    data = load_dataset(dataset)
    if progress is None:
        with build_store(data, rerank=rerank) as store:
            return run_queries(store, data, mode, fusion, rerank=rerank)
    indexing = progress.add_task(_("Indexing documents"), total=len(data.corpus))
    with build_store(data, lambda n: progress.advance(indexing, n), rerank=rerank) as store:
        searching = progress.add_task(_("Searching"), total=len(data.qrels))
        return run_queries(store, data, mode, fusion, lambda n: progress.advance(searching, n), rerank=rerank)


def retrieval_command(dataset: Path, mode: str, json_output: bool, rerank: Reranking | None = None) -> None:
    """Measure search quality and speed on a BEIR dataset (``balise eval retrieval``, its options in
    :mod:`balise.evaluation.cli`)."""
    err_console = Console(stderr=True)
    try:
        with eval_progress(json_output, err_console) as progress:
            result = evaluate_retrieval(dataset, mode, progress=progress, rerank=rerank)
    except BaliseError as error:
        err_console.print(error.localized(), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from error
    if json_output:
        typer.echo(json.dumps(result))
        return
    table = Table(
        title=_("Retrieval ({mode}): {queries} queries, {documents} documents, {chunks} chunks").format(
            mode=mode, queries=result["queries"], documents=result["documents"], chunks=result["chunks"]
        )
    )
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    for key in (*SUMMARY_KEYS, *RERANK_KEYS):
        if key in result:
            table.add_row(key, f"{result[key]}")
    Console().print(table)
