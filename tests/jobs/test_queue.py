"""The job queue: no job runs twice, a dead worker's job is resumed, a failure stops nothing else."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from balise.db import open_session, utcnow
from balise.jobs import (
    HANDLERS,
    Job,
    JobContext,
    JobStatus,
    claim_next,
    enqueue,
    handler,
    job_progress,
    run_job,
    run_worker,
)
from balise.tenancy.models import Tenant


@pytest.fixture
def kind() -> Iterator[str]:
    """A job kind of this test only, so that tests sharing the database never take each other's jobs."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    HANDLERS.pop(name, None)


def _enqueue(
    engine: Engine, tenant: Tenant, kind: str, payloads: list[dict[str, object]], **options: int
) -> list[str]:
    with open_session(engine) as session:
        jobs = [enqueue(session, kind, payload, tenant.id, **options) for payload in payloads]
        session.commit()
        return [job.id for job in jobs]


def _jobs(engine: Engine, ids: list[str]) -> dict[str, Job]:
    with open_session(engine) as session:
        return {job.id: job for job in session.query(Job).filter(Job.id.in_(ids))}


def test_two_workers_in_parallel_never_run_the_same_job_twice(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    runs: Counter[int] = Counter()
    workers: Counter[str] = Counter()
    lock = threading.Lock()
    both_working = threading.Barrier(2)

    @handler(kind)
    def count(ctx: JobContext) -> None:
        with lock:
            runs[int(ctx.payload["n"])] += 1
            workers[ctx.worker_id] += 1
            first = workers[ctx.worker_id] == 1
        if first:  # hold the first job until the other worker has one too, however slow its start
            with contextlib.suppress(threading.BrokenBarrierError):
                both_working.wait(timeout=60)
        time.sleep(0.01)

    ids = _enqueue(engine, make_tenant(), kind, [{"n": n} for n in range(40)])
    threads = [
        threading.Thread(
            target=run_worker,
            args=(engine,),
            kwargs={"worker_id": f"w{i}", "kinds": [kind], "stop_when_idle": True},
        )
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert runs == Counter(range(40))  # each job exactly once
    assert len(workers) == 2  # and both workers took part
    assert {job.status for job in _jobs(engine, ids).values()} == {JobStatus.DONE.value}


def test_a_job_whose_worker_died_is_resumed_by_another(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    done: list[str] = []
    handler(kind)(lambda ctx: done.append(ctx.worker_id))
    (job_id,) = _enqueue(engine, make_tenant(), kind, [{}])
    with open_session(engine) as session:
        claimed = claim_next(session, "crashed-worker", kinds=[kind])
        assert claimed is not None and claimed.id == job_id
        assert claim_next(session, "other", kinds=[kind]) is None  # the lease holds
        # The crashed worker never finishes; its lease runs out.
        session.execute(
            update(Job).where(Job.id == job_id).values(locked_until=utcnow() - timedelta(seconds=1))
        )
        session.commit()
    assert run_worker(engine, worker_id="rescuer", kinds=[kind], stop_when_idle=True) == 1
    job = _jobs(engine, [job_id])[job_id]
    assert (job.status, job.attempts, done) == (JobStatus.DONE.value, 2, ["rescuer"])


def test_a_failing_job_does_not_stop_the_others_and_keeps_its_reason(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    given_up: list[str] = []

    @handler(kind, on_give_up=lambda session, job, error: given_up.append(error))
    def fragile(ctx: JobContext) -> None:
        if ctx.payload["n"] == 1:
            raise RuntimeError("disk full")

    ids = _enqueue(engine, make_tenant(), kind, [{"n": n} for n in range(3)], max_attempts=1)
    run_worker(engine, kinds=[kind], stop_when_idle=True)
    jobs = _jobs(engine, ids)
    assert [jobs[i].status for i in ids] == ["done", "failed", "done"]
    assert "disk full" in jobs[ids[1]].error
    assert given_up == [jobs[ids[1]].error]
    with open_session(engine) as session:
        progress = job_progress(session, ids)
    assert (progress.done, progress.failed, progress.finished, progress.total) == (2, 1, 3, 3)


def test_a_failure_is_retried_later_with_backoff(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    @handler(kind)
    def flaky(ctx: JobContext) -> None:
        attempts.append(ctx.attempt)
        if ctx.attempt == 1:
            raise ConnectionError("model server unreachable")

    (job_id,) = _enqueue(engine, make_tenant(), kind, [{}], max_attempts=3)
    with open_session(engine) as session:
        job = claim_next(session, "w", kinds=[kind])
    assert job is not None

    failed_at = utcnow()
    assert run_job(engine, job, "w") == JobStatus.QUEUED.value
    retried = _jobs(engine, [job_id])[job_id]
    assert retried.status == JobStatus.QUEUED.value and "unreachable" in retried.error
    with open_session(engine) as session, monkeypatch.context() as clock:
        # Not before its backoff (10 s): asked 9 s after the failure on the queue's clock, not after
        # however long a loaded machine took to get here.
        clock.setattr("balise.jobs.queue.utcnow", lambda: failed_at + timedelta(seconds=9))
        assert claim_next(session, "w", kinds=[kind]) is None
    with open_session(engine) as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))
        session.commit()
    run_worker(engine, kinds=[kind], stop_when_idle=True)
    assert attempts == [1, 2]
    assert _jobs(engine, [job_id])[job_id].status == JobStatus.DONE.value


def test_work_of_a_worker_that_lost_its_lease_is_discarded(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    tenant = make_tenant()

    @handler(kind)
    def slow(ctx: JobContext) -> None:
        # Meanwhile the lease expired and another worker took the job.
        with open_session(engine) as session:
            session.execute(update(Job).where(Job.id == ctx.job_id).values(locked_by="other"))
            session.commit()
        ctx.session.add(Tenant(slug=f"ghost-{uuid.uuid4().hex[:6]}", name="ghost"))

    _enqueue(engine, tenant, kind, [{}])
    with open_session(engine) as session:
        job = claim_next(session, "slow-worker", kinds=[kind])
    assert job is not None

    assert run_job(engine, job, "slow-worker") == JobStatus.RUNNING.value
    with open_session(engine) as session:
        assert session.query(Tenant).filter(Tenant.name == "ghost").count() == 0


def test_a_long_job_keeps_its_lease_alive(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    leases: list[object] = []

    @handler(kind)
    def slow(ctx: JobContext) -> None:
        # Works until the lease was seen renewed twice; a deadline rather than fixed sleeps, since a
        # loaded machine may delay a heartbeat (or the SQLite write lock) well past any short pause.
        deadline = time.monotonic() + 60
        while len(set(leases)) < 3 and time.monotonic() < deadline:
            leases.append(_jobs(engine, [ctx.job_id])[ctx.job_id].locked_until)
            time.sleep(0.05)

    _enqueue(engine, make_tenant(), kind, [{}])
    run_worker(engine, kinds=[kind], stop_when_idle=True, lease_seconds=60, heartbeat_seconds=0.1)
    assert len(set(leases)) == 3  # renewed while the handler worked


WORKER_PROCESS = """
import sys, time
from pathlib import Path
from balise.db import make_engine
from balise.jobs import handler, run_worker

kind, url, name, barrier = sys.argv[1:5]
claimed = Path(barrier)

def work(ctx):
    # Each process holds its first job until the other one has a job too: both take part, whatever
    # each one's start-up time on a loaded machine.
    (claimed / name).touch()
    deadline = time.monotonic() + 120
    while len(list(claimed.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.02)

handler(kind)(work)
engine = make_engine(url)
run_worker(engine, worker_id=name, kinds=[kind], stop_when_idle=True, poll_seconds=0.05)
"""


def test_worker_processes_share_the_queue_without_double_claims(
    engine: Engine, database_url: str, make_tenant: Callable[..., Tenant], kind: str, tmp_path: Path
) -> None:
    ids = _enqueue(engine, make_tenant(), kind, [{"n": n} for n in range(60)])
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER_PROCESS, kind, database_url, name, str(tmp_path)])
        for name in ("process-0", "process-1")
    ]
    assert [process.wait(timeout=300) for process in processes] == [0, 0]
    jobs = _jobs(engine, ids).values()
    assert {(job.status, job.attempts) for job in jobs} == {(JobStatus.DONE.value, 1)}  # claimed once each
    assert {job.locked_by for job in jobs} == {"process-0", "process-1"}


def test_a_worker_that_stops_when_idle_does_not_wait_for_tomorrows_job(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str
) -> None:
    """A job chained for tomorrow (the retention purge) is not work left to an idle worker."""
    ran: list[int] = []

    @handler(kind)
    def count(ctx: JobContext) -> None:
        ran.append(int(str(ctx.payload["n"])))

    tenant = make_tenant()
    later, now = _enqueue(engine, tenant, kind, [{"n": 1}, {"n": 2}])
    with open_session(engine) as session:
        session.execute(update(Job).where(Job.id == later).values(run_after=utcnow() + timedelta(days=1)))
        session.commit()
    finished = threading.Event()

    def work() -> None:
        run_worker(engine, kinds=[kind], stop_when_idle=True, poll_seconds=0.05)
        finished.set()

    threading.Thread(target=work, daemon=True).start()
    assert finished.wait(30), "the worker kept waiting for a job due tomorrow"
    assert ran == [2]
    assert _jobs(engine, [later, now])[later].status == "queued"
