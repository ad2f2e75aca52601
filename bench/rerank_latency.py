"""Search latency without a reranking server, with one on loopback, and with one that is down, in one run.

Targets (issue 26): with a reranking server on loopback, search p95 grows by no more than the server's
own time plus 20 ms; with the server down, search keeps today's latency.

The store is ``search_latency.py``'s (real French sentences recombined, SQLite); the server is
``tests/support/rerank_server.py``, whose scores take microseconds, so what the figures show is
Balise's own cost: the privacy guard reading the candidates, the request, the merge and the usage row.
The server's own time is the same request (the same candidates, as sent) timed directly. The guard
reads a passage once per process (its findings are cached per paragraph): the first pass over the
questions (cold) pays for reading every candidate, the second (warm) what a municipality's common
questions pay. Query vectors are computed before timing, as in ``search_latency.py``.

Run: ``.venv/bin/python bench/rerank_latency.py [--chunks 5000] [--queries 200] [--json]``;
``--chunks 300 --embedded 100 --queries 5`` checks that it works.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.ports import refused_port
from tests.support.rerank_server import RerankServer

from balise.db import make_engine, migrate, tenant_session
from balise.gateway import reranker_for
from balise.gateway.rerank import ask_scores
from balise.guard.privacy import get_guard
from balise.search import get_embedder, passage_text, search
from search_latency import ROLES, fill, percentiles, store_inputs, store_options

TARGET_MS = 20.0
CLASSES = ROLES["employee"]


def _timed(engine: Engine, tenant_id: str, queries: list[str], rerank: bool) -> list[float]:
    """Milliseconds of each search, with the municipality's reranking server or without it."""
    timings = []
    with tenant_session(tenant_id, engine) as session:
        reranker = reranker_for(session, tenant_id) if rerank else None
        for query in queries:
            started = time.perf_counter()
            search(session, query, tenant_id=tenant_id, classifications=CLASSES, reranker=reranker)
            timings.append((time.perf_counter() - started) * 1000)
        session.rollback()  # the usage rows were written to be timed, not kept
    return timings


def _server_own(engine: Engine, tenant_id: str, queries: list[str]) -> list[float]:
    """Milliseconds of the server answering the same candidates, asked directly."""
    timings = []
    with tenant_session(tenant_id, engine) as session:
        reranker = reranker_for(session, tenant_id)
        assert reranker is not None
        for query in queries:
            hits = search(
                session, query, tenant_id=tenant_id, classifications=CLASSES, limit=reranker.candidates
            )
            texts = [passage_text(hit) for hit in hits]
            started = time.perf_counter()
            ask_scores(reranker.backend, query, texts, reranker.backend.timeout_s)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _point_at(engine: Engine, tenant_id: str, url: str) -> None:
    with tenant_session(tenant_id, engine) as session:
        reranker = reranker_for(session, tenant_id)
        assert reranker is not None
        reranker.backend.endpoint = url
        session.commit()


def measure(engine: Engine, tenant_id: str, queries: list[str]) -> dict[str, Any]:
    """Every condition on the same questions; the reranking server runs for the whole run."""
    for query in queries:
        get_embedder().embed_query(query)  # the timed calls exclude the query-embedding model
    get_guard().detect("Bonjour")  # spaCy loads before timing
    with RerankServer(favoured="collecte") as server:
        with tenant_session(tenant_id, engine) as session:
            server.register(
                session, tenant_id, max_classification="confidential", allows_masked_personal=True
            )
            session.commit()
        report: dict[str, Any] = {"without": percentiles(_timed(engine, tenant_id, queries, False))}
        report["loopback (cold guard)"] = percentiles(_timed(engine, tenant_id, queries, True))
        report["loopback (warm guard)"] = percentiles(_timed(engine, tenant_id, queries, True))
        report["server's own time"] = percentiles(_server_own(engine, tenant_id, queries))
        with refused_port() as port:
            _point_at(engine, tenant_id, f"http://127.0.0.1:{port}")
            report["server down"] = percentiles(_timed(engine, tenant_id, queries, True))
        report["without, again"] = percentiles(_timed(engine, tenant_id, queries, False))
    growth = report["loopback (warm guard)"]["p95_ms"] - report["without"]["p95_ms"]
    allowed = report["server's own time"]["p95_ms"] + TARGET_MS
    report["p95 growth, warm (ms)"] = {"value": round(growth, 1), "allowed": round(allowed, 1)}
    return report


def main() -> None:
    logging.getLogger("balise.search.rerank").setLevel(logging.ERROR)  # "server down" warns at every search
    parser = argparse.ArgumentParser(description=__doc__)
    store_options(parser, chunks=5_000, queries=200, embedded=1_000)
    args = parser.parse_args()
    with Progress(console=Console(stderr=True), transient=True) as progress:
        data, queries, matrix = store_inputs(args, progress)
        with tempfile.TemporaryDirectory(prefix="balise-bench-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            try:
                migrate(engine)
                filling = progress.add_task("filling sqlite", total=len(data))
                tenant_id = fill(engine, data, matrix, partial(progress.advance, filling))
                report = {
                    "chunks": args.chunks,
                    "queries": args.queries,
                    **measure(engine, tenant_id, queries),
                }
            finally:
                engine.dispose()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    table = Table(title=f"Search with a reranking server, {args.chunks} chunks, {args.queries} queries (ms)")
    table.add_column("condition")
    table.add_column("p50", justify="right")
    table.add_column("p95", justify="right")
    for label, value in report.items():
        if isinstance(value, dict) and "p95_ms" in value:
            table.add_row(label, str(value["p50_ms"]), str(value["p95_ms"]))
    Console().print(table)
    growth = report["p95 growth, warm (ms)"]
    Console().print(
        f"p95 growth with the server (warm): {growth['value']} ms; allowed: {growth['allowed']} ms"
    )


if __name__ == "__main__":
    main()
