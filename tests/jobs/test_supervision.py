"""A supervised worker (issue 22): restarted when it dies, stopped in time, never outliving serve."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from sqlalchemy import Engine, select

from balise.db import make_engine, migrate, open_session
from balise.jobs import HANDLERS, Job, JobContext, claim_next, enqueue, handler, run_job, run_worker
from balise.jobs.lifecycle import StopRequest
from balise.jobs.models import WorkerHeartbeat
from balise.jobs.runner import restart_delay
from balise.tenancy.models import Tenant
from tests.support import long_job
from tests.support.ports import start_serve, start_with_retries

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kind() -> Iterator[str]:
    name = f"stop-{uuid.uuid4().hex[:8]}"
    yield name
    HANDLERS.pop(name, None)


def test_restarts_wait_1_2_4_seconds_and_at_most_a_minute() -> None:
    assert [restart_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_stopping_workers_job_goes_back_to_the_queue_without_using_an_attempt(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    stop = StopRequest(grace_seconds=0)
    reports: list[int] = []

    @handler(kind)
    def endless(ctx: JobContext) -> None:
        for step in range(1000):
            ctx.progress(step, 1000)
            reports.append(step)
            if step == 2:
                stop.set()  # SIGTERM arrives while the job runs

    with open_session(engine) as session:
        job_id = enqueue(session, kind, {}, make_tenant().id).id
        session.commit()
    with open_session(engine) as session:
        job = claim_next(session, "w", kinds=[kind])
    assert job is not None
    assert run_job(engine, job, "w", stop=stop) == "queued"
    assert reports == [0, 1, 2]
    with open_session(engine) as session:
        stored = session.get(Job, job_id)
        assert stored is not None
        left = (stored.status, stored.attempts, stored.locked_by, stored.locked_until)
        assert left == ("queued", 0, None, None)


def test_a_job_finishes_within_the_grace_period(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    stop = StopRequest(grace_seconds=60)

    @handler(kind)
    def short(ctx: JobContext) -> None:
        stop.set()
        for step in range(3):
            ctx.progress(step, 3)

    with open_session(engine) as session:
        enqueue(session, kind, {}, make_tenant().id)
        session.commit()
    with open_session(engine) as session:
        job = claim_next(session, "w", kinds=[kind])
    assert job is not None
    assert run_job(engine, job, "w", stop=stop) == "done"


def _database(tmp_path: Path) -> tuple[Engine, str]:
    url = f"sqlite:///{tmp_path / 'balise.db'}"
    engine = make_engine(url)
    migrate(engine)
    return engine, url


def _tenant(engine: Engine) -> str:
    with open_session(engine) as session:
        tenant = Tenant(slug=f"t-{uuid.uuid4().hex[:8]}", name="Ville de test")
        session.add(tenant)
        session.commit()
        return tenant.id


def _status(engine: Engine, job_id: str) -> Job:
    with open_session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _wait(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.slow
def test_sigterm_gives_a_long_job_back_within_30_s_and_it_completes_later(tmp_path: Path) -> None:
    engine, url = _database(tmp_path)
    steps = tmp_path / "steps.txt"
    with open_session(engine) as session:
        payload = {"file": str(steps), "steps": 80, "seconds": 0.1}
        job_id = enqueue(session, long_job.KIND, payload, _tenant(engine)).id
        session.commit()
    env = {**os.environ, "BALISE_DATABASE_URL": url, "BALISE_WORKER_STOP_SECONDS": "8"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    with (tmp_path / "worker.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.long_job"], env=env, cwd=ROOT, stderr=log, stdout=log
        )
    try:
        _wait(lambda: steps.exists() and len(steps.read_text().split()) >= 5, 90, "the job never started")
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        stopped_after = time.monotonic() - asked
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"the worker stopped {stopped_after:.1f} s after SIGTERM")
    assert stopped_after <= 30
    left = _status(engine, job_id)
    assert (left.status, left.attempts, left.locked_by) == ("queued", 0, None), left.error
    done_before = len(steps.read_text().split())
    assert 5 <= done_before < 80
    assert run_worker(engine, kinds=[long_job.KIND], stop_when_idle=True, poll_seconds=0.1) == 1
    assert _status(engine, job_id).status == "done"
    assert sorted(map(int, steps.read_text().split())) == list(range(80))  # resumed, nothing done twice
    with open_session(engine) as session:  # a worker that stopped cleanly leaves no heartbeat behind
        assert session.scalars(select(WorkerHeartbeat)).all() == []


def _workers(serve: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The live worker processes under ``serve`` (a killed one not yet reaped is a zombie)."""
    workers = []
    for child in psutil.Process(serve.pid).children(recursive=True):
        try:
            if "worker" in child.cmdline() and child.status() != psutil.STATUS_ZOMBIE:
                workers.append(child)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return workers


def _beating_pids(engine: Engine) -> set[int]:
    with open_session(engine) as session:
        return set(session.scalars(select(WorkerHeartbeat.pid)))


@pytest.mark.slow
def test_serve_restarts_a_killed_worker_and_no_worker_outlives_a_killed_serve(tmp_path: Path) -> None:
    engine, url = _database(tmp_path)
    tenant_id = _tenant(engine)
    env = {**os.environ, "BALISE_DATABASE_URL": url, "BALISE_DATA_DIR": str(tmp_path)}
    env.pop("BALISE_EXPECT_WORKER", None)
    log = tmp_path / "serve.log"
    started = start_with_retries(lambda: start_serve(tmp_path, env, log, 120))
    assert started is not None, log.read_text(errors="replace")
    serve, _base = started  # ready: /readyz saw the worker's heartbeat
    try:
        (first,) = _workers(serve)
        _wait(lambda: first.pid in _beating_pids(engine), 60, "the worker never beat")
        first.kill()
        _wait(lambda: any(w.pid != first.pid for w in _workers(serve)), 30, "no new worker")
        (second,) = _workers(serve)
        _wait(lambda: second.pid in _beating_pids(engine), 60, "the new worker never beat")
        assert "restarting it in 1 s" in log.read_text(errors="replace")
        with open_session(engine) as session:
            job_id = enqueue(session, "citizen_purge", {}, tenant_id).id
            session.commit()
        _wait(lambda: _status(engine, job_id).status == "done", 60, "the queued job never ran")
        serve.kill()
        serve.wait(timeout=10)
        _gone, alive = psutil.wait_procs([second], timeout=10)
        assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], "the worker outlived serve"
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            serve.wait(timeout=60)


def test_a_job_that_ignores_the_stop_is_released_and_the_worker_ends_in_time(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watchdog: a job that never reports progress cannot keep a stopping worker alive."""
    from balise.jobs.lifecycle import Companion, WorkerState

    ended = threading.Event()
    monkeypatch.setattr("balise.jobs.lifecycle.os._exit", lambda code: ended.set())
    handler(kind)(lambda ctx: None)
    with open_session(engine) as session:
        job_id = enqueue(session, kind, {}, make_tenant().id).id
        session.commit()
    state = WorkerState(f"watchdog:{uuid.uuid4().hex[:6]}")
    with open_session(engine) as session:
        job = claim_next(session, state.worker_id, kinds=[kind])
    assert job is not None
    state.running(job)  # busy with a job that ignores the stop request
    stop = StopRequest(grace_seconds=0.5)
    with Companion(engine, state, stop, hard_stop_seconds=1.0, beat_seconds=0.2):
        stop.set()
        assert ended.wait(10), "the watchdog never ended the process"
    left = _status(engine, job_id)
    assert (left.status, left.attempts, left.locked_by) == ("queued", 0, None)
