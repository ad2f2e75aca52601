"""Who runs the jobs and how: a worker process beside `balise serve`, short leases, one log line per job."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import psutil
import pytest
import typer
from sqlalchemy import Engine, update
from typer.testing import CliRunner

from balise.db import open_session, utcnow
from balise.jobs import HANDLERS, Job, JobContext, claim_next, enqueue, handler, run_job
from balise.jobs.cli import worker
from balise.logs import formatter
from balise.tenancy.models import Tenant
from tests.support.ports import start_serve, start_with_retries
from tests.support.web import csrf_of

BALISE = [sys.executable, "-m", "balise.cli"]
SERVE_START_SECONDS = 120


@pytest.fixture
def kind() -> Iterator[str]:
    name = f"runner-{uuid.uuid4().hex[:8]}"
    yield name
    HANDLERS.pop(name, None)


def _enqueue(engine: Engine, tenant: Tenant, kind: str) -> str:
    with open_session(engine) as session:
        job = enqueue(session, kind, {}, tenant.id)
        session.commit()
        return job.id


def test_a_killed_workers_job_is_taken_again_within_a_minute(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler(kind)(lambda ctx: None)
    job_id = _enqueue(engine, make_tenant(), kind)
    claimed_at = utcnow()
    with open_session(engine) as session:
        claimed = claim_next(session, "killed", kinds=[kind])
        assert claimed is not None and claimed.locked_until is not None
    lease = claimed.locked_until.replace(tzinfo=None) - claimed_at.replace(tzinfo=None)
    assert timedelta(0) < lease <= timedelta(seconds=45)
    # 50 s later nobody renewed the lease (its worker was killed): another worker takes the job.
    monkeypatch.setattr("balise.jobs.queue.utcnow", lambda: claimed_at + timedelta(seconds=50))
    with open_session(engine) as session:
        rescued = claim_next(session, "rescuer", kinds=[kind])
    assert rescued is not None and rescued.id == job_id


def test_a_retried_job_keeps_its_first_start(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    @handler(kind)
    def flaky(ctx: JobContext) -> None:
        if ctx.attempt == 1:
            raise ConnectionError("model server unreachable")

    job_id = _enqueue(engine, make_tenant(), kind)
    with open_session(engine) as session:
        first = claim_next(session, "w", kinds=[kind])
        assert first is not None
        started = first.started_at
    assert run_job(engine, first, "w") == "queued"
    with open_session(engine) as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))
        session.commit()
    time.sleep(0.05)
    with open_session(engine) as session:
        second = claim_next(session, "w", kinds=[kind])
        assert second is not None and second.attempts == 2
    assert second.started_at == started
    assert run_job(engine, second, "w") == "done"


def test_each_job_is_logged_as_one_structured_line(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    handler(kind)(lambda ctx: None)
    job_id = _enqueue(engine, make_tenant(), kind)
    with open_session(engine) as session:
        job = claim_next(session, "w", kinds=[kind])
    assert job is not None
    with caplog.at_level(logging.INFO, logger="balise.jobs.queue"):
        run_job(engine, job, "w")
    as_json = formatter("json")
    lines = [json.loads(as_json.format(r)) for r in caplog.records if r.name == "balise.jobs.queue"]
    lines = [line for line in lines if line["event"] == "job"]
    assert len(lines) == 1
    line = lines[0]
    assert (line["event"], line["job_id"], line["kind"], line["outcome"]) == ("job", job_id, kind, "done")
    assert isinstance(line["duration_s"], float) and line["attempt"] == 1


def test_a_worker_sets_its_thread_count_and_warms_its_model(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from balise.config import get_settings

    monkeypatch.setenv("OMP_NUM_THREADS", "8")  # restored after the test
    monkeypatch.setattr(get_settings(), "worker_threads", 1)
    monkeypatch.setattr(get_settings(), "worker_niceness", 0)  # this test process must keep its priority
    warmed: list[bool] = []
    monkeypatch.setattr("balise.jobs.cli.warm_embedder", lambda: warmed.append(True))
    monkeypatch.setattr("balise.jobs.cli.default_engine", lambda: engine)
    monkeypatch.setattr("balise.jobs.cli.run_worker", lambda engine, **options: 0)
    app = typer.Typer()
    app.command()(worker)
    result = CliRunner().invoke(app, ["--once"])
    assert result.exit_code == 0, result.output
    assert os.environ["OMP_NUM_THREADS"] == "1"
    assert warmed == [True]


def _serve(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    env = {k: v for k, v in os.environ.items() if k != "BALISE_DATABASE_URL"}
    return start_serve(data_dir, {**env, "BALISE_DATA_DIR": str(data_dir)}, log, SERVE_START_SECONDS)


def test_serve_runs_a_worker_process_beside_itself_and_stops_it(tmp_path: Path) -> None:
    """The embedded default: ingestion never runs in the web process, and no worker outlives serve."""
    started = start_with_retries(lambda: _serve(tmp_path, tmp_path / "serve.log"))
    assert started is not None, (tmp_path / "serve.log").read_text(errors="replace")
    process, _base = started
    children = psutil.Process(process.pid).children(recursive=True)
    workers = [c for c in children if "worker" in c.cmdline()]
    assert len(workers) == 1
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    psutil.wait_procs(workers, timeout=30)
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)


def test_an_upload_starts_no_thread_in_the_web_process(make_member) -> None:  # type: ignore[no-untyped-def]
    admin = make_member("admin")
    before = {t.ident for t in threading.enumerate()}
    response = admin.client.post(
        "/documents",
        files={"files": ("note.txt", b"Une note de service.", "text/plain")},
        data={"classification": "internal", "csrf_token": csrf_of(admin.client)},
    )
    assert response.status_code == 200, response.text
    after = {t.ident for t in threading.enumerate() if t.name.startswith("balise")}
    assert after <= before


def test_the_later_slices_of_a_long_job_wait_behind_new_work(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    """A large document's vectors must not delay a new upload's words."""
    order: list[str] = []

    @handler(kind)
    def sliced(ctx: JobContext) -> None:
        order.append(str(ctx.payload["name"]))
        if ctx.payload["name"] == "vectors" and order.count("vectors") == 1:
            ctx.requeue(priority=1)

    tenant = make_tenant()
    with open_session(engine) as session:
        long_job = enqueue(session, kind, {"name": "vectors"}, tenant.id)
        session.commit()
    with open_session(engine) as session:
        job = claim_next(session, "w", kinds=[kind])
    assert job is not None and job.id == long_job.id
    assert run_job(engine, job, "w") == "queued"
    time.sleep(0.05)
    with open_session(engine) as session:
        enqueue(session, kind, {"name": "new upload"}, tenant.id)
        session.commit()
    from balise.jobs import run_worker

    run_worker(engine, kinds=[kind], stop_when_idle=True, poll_seconds=0.05)
    assert order == ["vectors", "new upload", "vectors"]
