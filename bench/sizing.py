"""Sizing figures for docs/deploy.md: memory, ingestion and question throughput of the real processes.

Starts PostgreSQL (pgserver, with pgvector) or SQLite, creates ``--tenants`` municipalities with
``--pdfs`` Montpellier deliberations each (read from ../shared/data at run time), then runs the
production processes as the systemd units do (``balise migrate-db``, one ``balise worker``, one
``balise serve`` with one web process) and measures:

- the worker: resident memory (RSS) after its first job and at the end, pages per minute by the wall
  clock and per CPU-minute of the worker (the per-core figure, steadier on a shared machine);
- ``serve``: RSS after start, after the first question (warm-up) and after ``--questions`` questions
  asked through the API by ``--concurrency`` clients spread over every municipality; questions per
  second and latency percentiles; CPU seconds per question; with ``--web N`` (``serve --workers N``)
  the parent process apart from its N web processes, whose figures are summed;
- the disk: the database's size after ingestion, per 100 pages, and its largest tables (PostgreSQL).

The load average is printed with the figures: other processes share the CPU.

    .venv/bin/python bench/sizing.py [--db postgresql|sqlite] [--tenants 1] [--pdfs 30]
                                     [--questions 100] [--concurrency 4] [--web 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "montpellier" / "pdf"
QUESTIONS = [
    "Quel est le montant de la subvention accordée à l'association ?",
    "Quelle convention le conseil municipal approuve-t-il ?",
    "Qui est autorisé à signer la convention ?",
    "Quel est le tarif fixé par la délibération ?",
    "Quels travaux sont prévus dans le quartier ?",
    "Quelle est la durée de la convention ?",
    "Combien coûte l'acquisition du terrain ?",
    "Quelles associations reçoivent une subvention ?",
]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (uvicorn's web processes under ``serve --workers N``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def disk_usage(url: str, pages: int) -> dict[str, Any]:
    """The database's size after ingestion, in all and per 100 pages, with its largest tables."""
    from sqlalchemy import text

    from balise.db import make_engine

    engine = make_engine(url)
    tables = ["document_files", "documents", "chunks", "search_entries", "audit_entries", "jobs"]
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            total = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            sizes = {
                name: connection.execute(text(f"SELECT pg_total_relation_size('{name}')")).scalar_one()
                for name in tables
            }
        else:
            path = Path(str(engine.url.database))
            total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))  # with -wal, -shm
            sizes = {}
    engine.dispose()
    return {
        "database_mb": round(total / 2**20, 1),
        "mb_per_100_pages": round(total / 2**20 / pages * 100, 1) if pages else None,
        "tables_mb": {name: round(size / 2**20, 1) for name, size in sizes.items()},
    }


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def database(kind: str, workdir: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'balise.db'}", None
    import pgserver

    server = pgserver.get_server(workdir / "pg", cleanup_mode="stop")
    server.psql("CREATE DATABASE sizing;")
    return server.get_uri("sizing"), server


def balise(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "balise.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"balise {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str], tenants: int, pdfs: list[Path]) -> list[str]:
    """Municipalities, an API token each, their documents queued for the worker; returns the tokens."""
    from balise.db import make_engine, open_session, tenant_session
    from balise.documents import submit_files
    from balise.tenancy import create_api_token, create_tenant, create_user

    engine = make_engine(env["BALISE_DATABASE_URL"])
    tokens = []
    per_tenant = max(1, len(pdfs) // tenants)
    for index in range(tenants):
        with open_session(engine) as session:
            tenant = create_tenant(session, f"commune-{index}", f"Commune {index}")
            user = create_user(
                session, tenant, f"agent@commune-{index}.example", "mot-de-passe-de-mesure", "admin"
            )
            tokens.append(create_api_token(session, tenant, user, "sizing").token)
            session.commit()
            tenant_id = tenant.id
        mine = pdfs[index * per_tenant : (index + 1) * per_tenant] or pdfs[:per_tenant]
        with tenant_session(tenant_id, engine) as session:
            submit_files(session, tenant_id, mine, classification="public", embed=True)
            session.commit()
    engine.dispose()
    return tokens


def pages_ingested(url: str) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from balise.db import make_engine, open_session
    from balise.documents import Document
    from balise.jobs import Job

    engine = make_engine(url)
    with open_session(engine) as session:
        pages = session.scalar(select(func.coalesce(func.sum(Document.pages), 0))) or 0
        ready = (
            session.scalar(select(func.count()).select_from(Document).where(Document.status == "ready")) or 0
        )
        open_jobs = session.scalar(
            select(func.count()).select_from(Job).where(Job.status.in_(["queued", "running"]))
        )
    engine.dispose()
    return int(pages), int(ready), int(open_jobs or 0)


def measure_worker(env: dict[str, str], workdir: Path) -> dict[str, Any]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "balise.cli", "worker"], env=env, cwd=workdir,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started, peak, first_job_rss = time.perf_counter(), 0.0, None
    try:
        while True:
            time.sleep(1.0)
            peak = max(peak, rss_mb(worker.pid))
            _pages, ready, open_jobs = pages_ingested(env["BALISE_DATABASE_URL"])
            if first_job_rss is None and ready:
                first_job_rss = rss_mb(worker.pid)
            if open_jobs == 0:
                break
        elapsed, cpu, end_rss = time.perf_counter() - started, cpu_seconds(worker.pid), rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=120)
    pages, ready, _open = pages_ingested(env["BALISE_DATABASE_URL"])
    return {
        "documents": ready,
        "pages": pages,
        "seconds": round(elapsed, 1),
        "worker_cpu_seconds": round(cpu, 1),
        "pages_per_minute": round(pages / elapsed * 60, 1),
        "pages_per_cpu_minute": round(pages / cpu * 60, 1) if cpu else None,
        "rss_mb_after_first_job": round(first_job_rss or 0.0),
        "rss_mb_end": round(end_rss),
        "rss_mb_peak": round(peak),
    }


def measure_serve(
    env: dict[str, str], workdir: Path, tokens: list[str], questions: int, concurrency: int, web: int = 1
) -> dict[str, Any]:
    """With ``web`` > 1 the ``serve`` parent (uvicorn's supervisor) and its web processes are measured
    apart: memory and CPU per question are then summed over the web processes."""
    from tests.support.ports import free_port

    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "balise.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(web)],
        env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(600):
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        processes = children(serve.pid) if web > 1 else [serve.pid]

        def rss() -> float:
            return sum(rss_mb(pid) for pid in processes)

        def cpu() -> float:
            return sum(cpu_seconds(pid) for pid in processes)

        rss_start, parent_start = rss(), rss_mb(serve.pid)
        client = httpx.Client(timeout=300)

        statuses: list[int] = []

        def ask(index: int) -> float:
            began = time.perf_counter()
            response = client.post(
                f"{base}/api/assistant/ask",
                json={"question": QUESTIONS[index % len(QUESTIONS)], "confirm": True},  # past policy warnings
                headers={"Authorization": f"Bearer {tokens[index % len(tokens)]}"},
            )
            statuses.append(response.status_code)
            return time.perf_counter() - began

        first = ask(0)
        rss_warm = rss()
        cpu_before = cpu()
        began = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            latencies = sorted(pool.map(ask, range(1, questions + 1)))
        elapsed = time.perf_counter() - began
        spent = cpu() - cpu_before
        return {
            "web_processes": web,
            "parent_rss_mb_after_start": round(parent_start),
            "parent_rss_mb_end": round(rss_mb(serve.pid)),
            "first_question_seconds": round(first, 2),
            "questions": questions,
            "answered_200": statuses.count(200),
            "statuses": sorted(set(statuses)),
            "concurrency": concurrency,
            "questions_per_second": round(questions / elapsed, 2),
            "p50_ms": round(statistics.median(latencies) * 1000),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000),
            "serve_cpu_seconds_per_question": round(spent / questions, 3),
            "rss_mb_after_start": round(rss_start),
            "rss_mb_after_first_question": round(rss_warm),
            "rss_mb_after_questions": round(rss()),
        }
    finally:
        serve.terminate()
        serve.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--tenants", type=int, default=1)
    parser.add_argument("--pdfs", type=int, default=30, help="Montpellier PDFs in all, shared among tenants")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--web", type=int, default=1, help="web processes of serve (--workers)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    pdfs = sorted(CORPUS.glob("*.pdf"))[: args.pdfs]
    with tempfile.TemporaryDirectory(prefix="balise-sizing-") as scratch:
        workdir = Path(scratch)
        url, server = database(args.db, workdir)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "BALISE_DATABASE_URL": url,
            "BALISE_SECRET_KEY": "cle-de-mesure-assez-longue-pour-le-banc",
            "BALISE_DATA_DIR": str(workdir / "data"),
            "OMP_NUM_THREADS": "1",  # as deploy/balise.env.example sets it for the worker units
            # A shared, loaded machine: detection slower than the 5-s default would fail closed (503).
            "BALISE_PRIVACY_TIMEOUT_SECONDS": "120",
        }
        os.environ.update(
            {k: env[k] for k in ("BALISE_DATABASE_URL", "BALISE_SECRET_KEY", "BALISE_DATA_DIR")}
        )
        load_before = load()
        try:
            balise("migrate-db", env=env)
            tokens = prepare(env, args.tenants, pdfs)
            worker = measure_worker(env, workdir)
            disk = disk_usage(url, worker["pages"])
            serve = measure_serve(env, workdir, tokens, args.questions, args.concurrency, args.web)
        finally:
            if server is not None:  # before its folder is deleted, even when a measure failed
                server.cleanup()
        result = {
            "db": args.db,
            "tenants": args.tenants,
            "cores": os.cpu_count(),
            "load_before": load_before,
            "load_after": load(),
            "worker": worker,
            "disk": disk,
            "serve": serve,
        }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    threading.current_thread().name = "sizing"
    main()
