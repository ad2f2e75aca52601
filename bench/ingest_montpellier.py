"""Ingestion throughput on the 123 Montpellier council deliberations, with and without embeddings.

Runs the product's own path: ``submit_files`` then the job queue (``run_worker``), on a fresh
database, and prints pages per minute for each mode, by the wall clock and by this process's CPU
time (the figure to compare when the machine is shared). Reads the PDFs from ../shared/data at run
time. With PostgreSQL the server's own CPU time is not counted.

    .venv/bin/python bench/ingest_montpellier.py [--db sqlite|postgresql] [--workers N] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from balise.db import make_engine, migrate, open_session, tenant_session
from balise.documents import Chunk, Document, pending_jobs, submit_files
from balise.jobs import run_worker
from balise.tenancy.models import Tenant

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "montpellier" / "pdf"


def _engine(kind: str, workdir: Path) -> Engine:
    if kind == "sqlite":
        return make_engine(f"sqlite:///{workdir / 'bench.db'}")
    import pgserver

    server = pgserver.get_server(workdir / "pg", cleanup_mode="stop")
    server.psql("CREATE DATABASE bench;")
    return make_engine(server.get_uri("bench"))


def run(engine: Engine, pdfs: list[Path], *, embed: bool, workers: int) -> dict[str, object]:
    with open_session(engine) as session:
        tenant = Tenant(slug=f"bench-{'embed' if embed else 'lexical'}-{time.time_ns()}", name="Montpellier")
        session.add(tenant)
        session.commit()
    started, cpu_started = time.perf_counter(), time.process_time()
    with tenant_session(tenant.id, engine) as session:
        documents = submit_files(session, tenant.id, pdfs, classification="public", embed=embed)
        session.commit()
        ids = [d.id for d in documents]
        jobs = pending_jobs(session, ids)
    threads = [
        threading.Thread(
            target=run_worker,
            args=(engine,),
            kwargs={"job_ids": jobs, "stop_when_idle": True, "poll_seconds": 0.2, "worker_id": f"bench-{i}"},
        )
        for i in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    with tenant_session(tenant.id, engine) as session:
        statuses = session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        pages = session.scalar(select(func.sum(Document.pages))) or 0
        chunks = session.scalar(select(func.count()).select_from(Chunk)) or 0
    ready = dict(statuses).get("ready", 0)
    return {
        "embeddings": embed,
        "documents": len(pdfs),
        "ready": ready,
        "pages": pages,
        "chunks": chunks,
        "seconds": round(seconds, 1),
        "pages_per_minute": round(pages / seconds * 60, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "pages_per_cpu_minute": round(pages / cpu_seconds * 60, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="worker threads sharing the queue")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (a quick run)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pdfs = sorted(CORPUS.glob("*.pdf"))[: args.limit or None]
    if not pdfs:
        raise SystemExit(f"no PDF under {CORPUS}")
    with tempfile.TemporaryDirectory(prefix="balise-bench-") as workdir:
        engine = _engine(args.db, Path(workdir))
        migrate(engine)
        results = [run(engine, pdfs, embed=embed, workers=args.workers) for embed in (False, True)]
        engine.dispose()
    if args.json:
        print(json.dumps({"db": args.db, "workers": args.workers, "runs": results}))
        return
    for result in results:
        mode = "with embeddings   " if result["embeddings"] else "without embeddings"
        print(
            f"{mode}: {result['ready']}/{result['documents']} documents ready, {result['pages']} pages, "
            f"{result['chunks']} chunks in {result['seconds']} s -> {result['pages_per_minute']} pages/min "
            f"({result['pages_per_cpu_minute']} pages per CPU-minute of this process; {args.db}, "
            f"{args.workers} worker(s))"
        )


if __name__ == "__main__":
    main()
