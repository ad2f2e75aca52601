"""Balise as deployed, on loopback, for the benchmarks that drive it with real HTTP requests.

One :class:`Stack` is a scratch data folder, a database (SQLite, or PostgreSQL through pgserver),
the demo municipality and ``balise serve`` (plus one ``balise worker`` on PostgreSQL, the production
layout; on SQLite ``serve`` starts its own). Shared by ``load.py``, ``faults.py`` and
``ingest_under_load.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BALISE = [sys.executable, "-m", "balise.cli"]
ADMIN = "admin@demo.balise.ca"
PASSWORD = "balise-demo-2026"
STAFF = (
    "employe@demo.balise.ca",
    "reviseur@demo.balise.ca",
    "gestionnaire@demo.balise.ca",
    "vie-privee@demo.balise.ca",
    ADMIN,
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    at: float = 0.0  # seconds since the run started


def csrf_in(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summarise(samples: list[Sample], seconds: float) -> dict[str, object]:
    """Requests, errors, throughput and p50/p95 per kind of request."""
    kinds = sorted({s.kind for s in samples})
    errors = [s for s in samples if not 200 <= s.status < 400]
    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_kinds": sorted({f"{s.kind}:{s.status}" for s in errors}),
        "requests_per_s": round(len(samples) / seconds, 1) if seconds else 0.0,
        "per_kind": {
            kind: {
                "n": sum(s.kind == kind for s in samples),
                "p50_ms": round(1000 * percentile([s.seconds for s in samples if s.kind == kind], 0.5)),
                "p95_ms": round(1000 * percentile([s.seconds for s in samples if s.kind == kind], 0.95)),
            }
            for kind in kinds
        },
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(base: str, seconds: float) -> float:
    """Waits for /readyz to answer 200; returns when it did (monotonic)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                return time.monotonic()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} was not ready after {seconds:.0f} s")


@dataclass
class Stack:
    """A running Balise: call :meth:`start`, then :meth:`stop` (always, in a ``finally``)."""

    db: str = "sqlite"
    extra_env: Mapping[str, str] = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="balise-bench-")))
    env: dict[str, str] = field(default_factory=dict)
    base: str = ""
    database_url: str = ""
    serve: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    _pg: object | None = None
    _log: object | None = None

    def start(self, serve_args: tuple[str, ...] = ()) -> Stack:
        self.env = {**os.environ, "BALISE_DATA_DIR": str(self.workdir / "var"), **self.extra_env}
        for name in ("BALISE_INLINE_JOBS", "BALISE_DATABASE_URL"):
            self.env.pop(name, None)
        if self.db == "postgresql":
            import pgserver

            self._pg = pgserver.get_server(self.workdir / "pg", cleanup_mode="delete")
            self._pg.psql("CREATE DATABASE bench;")  # type: ignore[attr-defined]
            self.database_url = self._pg.get_uri("bench")  # type: ignore[attr-defined]
            self.env["BALISE_DATABASE_URL"] = self.database_url
        else:
            self.database_url = f"sqlite:///{self.workdir / 'var' / 'balise.db'}"
        self.balise("migrate-db")
        self.balise("demo")
        self.start_serve(serve_args)
        if self.db == "postgresql":
            self.start_worker()
        return self

    def balise(self, *args: str) -> str:
        done = subprocess.run(
            [*BALISE, *args], env=self.env, cwd=self.workdir, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"balise {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def log_file(self) -> object:
        if self._log is None:
            self._log = (self.workdir / "processes.log").open("ab")
        return self._log

    def start_serve(self, serve_args: tuple[str, ...] = ()) -> float:
        """Starts ``balise serve``; returns the seconds until /readyz said ready."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        self.serve = subprocess.Popen(
            [*BALISE, "serve", "--port", str(port), *serve_args],
            env=self.env,
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file(),  # type: ignore[arg-type]
        )
        return wait_ready(self.base, 240) - started

    def start_worker(self) -> subprocess.Popen[bytes]:
        self.worker = subprocess.Popen(
            [*BALISE, "worker"],
            env=self.env,
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file(),  # type: ignore[arg-type]
        )
        return self.worker

    def engine(self):  # type: ignore[no-untyped-def]
        from balise.db import make_engine

        return make_engine(self.database_url)

    def stop(self) -> None:
        for process in (self.worker, self.serve):
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._log is not None:
            self._log.close()  # type: ignore[attr-defined]
        if self._pg is not None:
            self._pg.cleanup()  # type: ignore[attr-defined]
        shutil.rmtree(self.workdir, ignore_errors=True)


def integrity(engine) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What a fault must never leave: passages stored twice, documents half-ingested or stuck."""
    from sqlalchemy import func, select, text

    from balise.documents.models import Document

    with engine.connect() as connection:
        duplicated = connection.scalar(
            text(
                "SELECT count(*) FROM (SELECT document_id, ordinal FROM chunks "
                "GROUP BY document_id, ordinal HAVING count(*) > 1) d"
            )
        )
        without_entry = connection.scalar(
            text(
                "SELECT count(*) FROM chunks c LEFT JOIN search_entries e ON e.chunk_id = c.id "
                "WHERE e.id IS NULL"
            )
        )
        ready_without_passages = connection.scalar(
            text(
                "SELECT count(*) FROM documents d WHERE d.status = 'ready' AND NOT EXISTS "
                "(SELECT 1 FROM chunks c WHERE c.document_id = d.id)"
            )
        )
        statuses = dict(
            connection.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        )
    return {
        "document_statuses": statuses,
        "duplicated_passages": duplicated,
        "passages_without_search_entry": without_entry,
        "ready_documents_without_passages": ready_without_passages,
    }


def wait_documents_settled(engine, seconds: float) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until no document is pending or processing; None if some still are at the deadline."""
    from sqlalchemy import func, select

    from balise.documents.models import Document

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with engine.connect() as connection:
            waiting = connection.scalar(
                select(func.count())
                .select_from(Document)
                .where(Document.status.in_(["pending", "processing"]))
            )
        if not waiting:
            return time.monotonic() - started
        time.sleep(1)
    return None


def wait_worker_idle(engine, seconds: float) -> float | None:  # type: ignore[no-untyped-def]
    """Seconds until the worker has nothing queued or running (the demo's ingestion, its scheduled
    runs); None if it still has at the deadline. A latency measured beside them measures them too."""
    from sqlalchemy import func, select

    from balise.jobs.models import Job, JobStatus

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with engine.connect() as connection:
            busy = connection.scalar(
                select(func.count())
                .select_from(Job)
                .where(Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
            )
        if not busy:
            return time.monotonic() - started
        time.sleep(1)
    return None
