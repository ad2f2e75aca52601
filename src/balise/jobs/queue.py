"""A job queue in the database, so that background work survives restarts and needs no extra service.

Workers claim jobs atomically (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, one ``UPDATE … RETURNING``
on SQLite, whose writers are serialised), hold them under a lease renewed by a heartbeat, and mark
them done in the same transaction as the handler's own writes: a job's effects are committed once,
by the worker that still owns it. A crashed worker's lease expires and another worker takes the job.

Long jobs (ingesting a large document) commit their work in short transactions of their own, each
checked against the lease (:meth:`JobContext.progress`), and may hand the worker back between slices
(:meth:`JobContext.requeue`) so that other jobs get their turn. Each finished job is logged as one
line (id, kind, attempt, duration, outcome), and every line of a job carries the id of the request
that enqueued it (:mod:`balise.logs`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, and_, exists, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from balise.db import open_session, tenant_session, utcnow
from balise.errors import BaliseError
from balise.jobs.lifecycle import WorkerState, WorkerStopping, must_give_up, release
from balise.jobs.models import Job, JobStatus
from balise.logs import bound, current_request_id, get_logger

log = logging.getLogger(__name__)
job_log = get_logger(__name__)

# A killed worker's job is taken again once its lease lapses: within half a minute, plus a poll.
LEASE_SECONDS = 30
HEARTBEAT_SECONDS = 5
RETRY_BASE_SECONDS = 10
RETRY_MAX_SECONDS = 600
MAX_ERROR_CHARS = 2000


@dataclass
class JobContext:
    """What a handler gets: the job's data and a session scoped to the job's tenant.

    The worker commits ``session`` when the handler returns (together with marking the job done)
    and rolls it back when the handler raises.
    """

    job_id: str
    tenant_id: str
    kind: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int
    session: Session
    engine: Engine
    worker_id: str
    stop: threading.Event = field(default_factory=threading.Event)
    requeued: bool = False
    priority: int = 0

    def progress(self, done: int, total: int) -> None:
        """Publishes progress at once (its own transaction), for progress bars that poll the job.

        Raises :class:`LeaseLost` when another worker has taken the job: a handler that commits its
        own batches calls this between them, so that two workers never write the same job's work.
        Raises :class:`WorkerStopping` once the stopping worker's grace period is over: the job goes
        back to the queue and resumes from its last committed batch.
        """
        with open_session(self.engine) as session:
            result = session.execute(
                update(Job)
                .where(Job.id == self.job_id, Job.locked_by == self.worker_id)
                .values(progress_done=done, progress_total=total)
            )
            session.commit()
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost(self.job_id)
        if must_give_up(self.stop):
            raise WorkerStopping(self.job_id)

    def requeue(self, priority: int | None = None) -> None:
        """Asks to run the job again later instead of marking it done (the next slice of a long job).

        The job goes back to the end of the queue without using up an attempt; a higher
        ``priority`` puts it behind every job of a lower one (new uploads before old vectors).
        """
        self.requeued = True
        if priority is not None:
            self.priority = priority


class LeaseLost(Exception):
    """Another worker took the job (this worker's lease lapsed): its remaining work is abandoned."""


GiveUp = Callable[[Session, Job, str], None]


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[JobContext], None]
    on_give_up: GiveUp | None = None


HANDLERS: dict[str, Handler] = {}


def handler(
    kind: str, *, on_give_up: GiveUp | None = None
) -> Callable[[Callable[[JobContext], None]], Callable[[JobContext], None]]:
    """Registers the function that runs jobs of ``kind``.

    ``on_give_up(session, job, error)`` runs, in the transaction that marks the job failed, once
    its attempts are exhausted: the place to tell the user what went wrong.
    """

    def register(run: Callable[[JobContext], None]) -> Callable[[JobContext], None]:
        HANDLERS[kind] = Handler(kind=kind, run=run, on_give_up=on_give_up)
        return run

    return register


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    tenant_id: str,
    *,
    max_attempts: int = 3,
    priority: int = 0,
) -> Job:
    """Adds a job to the caller's transaction: the job exists exactly when the caller's work commits."""
    job = Job(
        tenant_id=tenant_id,
        kind=kind,
        payload=payload,
        max_attempts=max_attempts,
        run_after=utcnow(),
        priority=priority,
        request_id=current_request_id(),
    )
    session.add(job)
    session.flush()
    return job


def _claimable(kinds: Iterable[str] | None, job_ids: Iterable[str] | None) -> Any:
    now = utcnow()
    condition = or_(
        and_(Job.status == JobStatus.QUEUED.value, Job.run_after <= now),
        and_(Job.status == JobStatus.RUNNING.value, Job.locked_until < now),
    )
    if kinds is not None:
        condition = and_(condition, Job.kind.in_(list(kinds)))
    if job_ids is not None:
        condition = and_(condition, Job.id.in_(list(job_ids)))
    return condition


def claim_next(
    session: Session,
    worker_id: str,
    *,
    kinds: Iterable[str] | None = None,
    job_ids: Iterable[str] | None = None,
    lease_seconds: int = LEASE_SECONDS,
) -> Job | None:
    """Takes the oldest runnable job of the lowest priority (queued and due, or running with an
    expired lease) and commits.

    Two workers never get the same job while its lease holds.
    """
    session.commit()  # the claim must be the first statement of its own transaction
    now = utcnow()
    oldest = (
        select(Job.id)
        .where(_claimable(kinds, job_ids))
        .order_by(Job.priority, Job.run_after, Job.created_at)
        .limit(1)
    )
    claim = {
        "status": JobStatus.RUNNING.value,
        "locked_by": worker_id,
        "locked_until": now + timedelta(seconds=lease_seconds),
        "attempts": Job.attempts + 1,
        "started_at": func.coalesce(Job.started_at, now),  # a retried job keeps its first start
    }
    if session.get_bind().dialect.name == "postgresql":
        job_id = session.scalar(oldest.with_for_update(skip_locked=True))
        if job_id is not None:
            session.execute(update(Job).where(Job.id == job_id).values(**claim))
    else:
        job_id = session.scalar(
            update(Job)
            .where(Job.id == oldest.scalar_subquery())
            .values(**claim)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return None if job_id is None else session.get(Job, job_id, populate_existing=True)


def _describe(exc: BaseException) -> str:
    text = exc.localized() if isinstance(exc, BaliseError) else f"{type(exc).__name__}: {exc}"
    return text[:MAX_ERROR_CHARS]


class _Heartbeat:
    """Renews a job's lease while its handler runs, so that long jobs are not taken by another worker."""

    def __init__(self, engine: Engine, job_id: str, worker_id: str, lease_seconds: int, every: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, args=(engine, job_id, worker_id, lease_seconds, every), daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self, engine: Engine, job_id: str, worker_id: str, lease_seconds: int, every: float) -> None:
        while not self._stop.wait(every):
            try:
                with open_session(engine) as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == job_id, Job.locked_by == worker_id)
                        .values(locked_until=utcnow() + timedelta(seconds=lease_seconds))
                    )
                    session.commit()
            except Exception:  # a missed beat only shortens the lease; the next one may succeed
                log.warning("lease renewal of job %s failed", job_id, exc_info=True)


def run_job(
    engine: Engine,
    job: Job,
    worker_id: str,
    *,
    lease_seconds: int = LEASE_SECONDS,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    stop: threading.Event | None = None,
) -> str:
    """Runs one claimed job to its next state and returns it (done, queued again, or failed)."""
    started = time.perf_counter()
    with bound(request_id=job.request_id, job_id=job.id, kind=job.kind):
        status = _run_job(engine, job, worker_id, lease_seconds, heartbeat_seconds, stop or threading.Event())
        job_log.info(
            "job",
            tenant_id=job.tenant_id,
            attempt=job.attempts,
            worker=worker_id,
            duration_s=round(time.perf_counter() - started, 3),
            outcome=status,
        )
    return status


def _run_job(
    engine: Engine,
    job: Job,
    worker_id: str,
    lease_seconds: int,
    heartbeat_seconds: float,
    stop: threading.Event,
) -> str:
    registered = HANDLERS.get(job.kind)
    if registered is None:
        return _fail(engine, job, worker_id, f"no handler registered for job kind {job.kind!r}", None)
    if job.attempts > job.max_attempts:  # reclaimed after its last worker died during the last attempt
        return _fail(engine, job, worker_id, "the worker running this job stopped", registered.on_give_up)
    try:
        with (
            _Heartbeat(engine, job.id, worker_id, lease_seconds, heartbeat_seconds),
            tenant_session(job.tenant_id, engine) as session,
        ):
            ctx = JobContext(
                job_id=job.id,
                tenant_id=job.tenant_id,
                kind=job.kind,
                payload=dict(job.payload),
                attempt=job.attempts,
                max_attempts=job.max_attempts,
                session=session,
                engine=engine,
                worker_id=worker_id,
                stop=stop,
                priority=job.priority,
            )
            registered.run(ctx)
            outcome: dict[str, Any] = (
                {
                    "status": JobStatus.QUEUED.value,
                    "run_after": utcnow(),
                    "attempts": Job.attempts - 1,
                    "locked_by": None,
                    "priority": ctx.priority,
                }
                if ctx.requeued
                else {
                    "status": JobStatus.DONE.value,
                    "finished_at": utcnow(),
                    "error": "",
                    "progress_done": Job.progress_total,
                }
            )
            finished = session.execute(
                update(Job)
                .where(Job.id == job.id, Job.locked_by == worker_id)
                .values(locked_until=None, **outcome)
                .execution_options(synchronize_session=False)
            )
            if finished.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                log.warning("job %s was taken over by another worker; its work is discarded", job.id)
                return JobStatus.RUNNING.value
            session.commit()
            return str(outcome["status"])
    except LeaseLost:
        log.warning("job %s was taken over by another worker; this worker stops working on it", job.id)
        return JobStatus.RUNNING.value
    except WorkerStopping:
        with open_session(engine) as session:
            release(session, job.id, worker_id)
            session.commit()
        log.warning("job %s went back to the queue: its worker is stopping", job.id)
        return JobStatus.QUEUED.value
    except Exception as exc:
        log.warning("job %s (%s) failed on attempt %d", job.id, job.kind, job.attempts, exc_info=True)
        if job.attempts >= job.max_attempts:
            return _fail(engine, job, worker_id, _describe(exc), registered.on_give_up)
        return _retry(engine, job, worker_id, _describe(exc))


def _retry(engine: Engine, job: Job, worker_id: str, error: str) -> str:
    delay = min(RETRY_BASE_SECONDS * 2 ** (job.attempts - 1), RETRY_MAX_SECONDS)
    with open_session(engine) as session:
        session.execute(
            update(Job)
            .where(Job.id == job.id, Job.locked_by == worker_id)
            .values(
                status=JobStatus.QUEUED.value,
                run_after=utcnow() + timedelta(seconds=delay),
                locked_by=None,
                locked_until=None,
                error=error,
            )
        )
        session.commit()
    return JobStatus.QUEUED.value


def _fail(engine: Engine, job: Job, worker_id: str, error: str, on_give_up: GiveUp | None) -> str:
    with tenant_session(job.tenant_id, engine) as session:
        session.execute(
            update(Job)
            .where(Job.id == job.id, Job.locked_by == worker_id)
            .values(status=JobStatus.FAILED.value, finished_at=utcnow(), locked_until=None, error=error)
            .execution_options(synchronize_session=False)
        )
        if on_give_up is not None:
            on_give_up(session, job, error)
        session.commit()
    return JobStatus.FAILED.value


def _has_pending(engine: Engine, kinds: Iterable[str] | None, job_ids: Iterable[str] | None) -> bool:
    """Whether work remains that this worker might still get: queued jobs due before the longest retry
    delay (tomorrow's retention purge is not work left for a worker that stops when idle), or watched
    jobs still running."""
    due = utcnow() + timedelta(seconds=RETRY_MAX_SECONDS)
    condition: Any = and_(Job.status == JobStatus.QUEUED.value, Job.run_after <= due)
    if job_ids is not None:
        condition = and_(
            Job.id.in_(list(job_ids)), Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value])
        )
    if kinds is not None:
        condition = and_(condition, Job.kind.in_(list(kinds)))
    with open_session(engine) as session:
        return bool(session.scalar(select(exists().where(condition))))


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_worker(
    engine: Engine,
    *,
    worker_id: str | None = None,
    stop_when_idle: bool = False,
    kinds: Iterable[str] | None = None,
    job_ids: Iterable[str] | None = None,
    poll_seconds: float = 1.0,
    lease_seconds: int = LEASE_SECONDS,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    stop: threading.Event | None = None,
    on_finished: Callable[[str, str], None] | None = None,
    state: WorkerState | None = None,
) -> int:
    """Takes and runs jobs until ``stop`` is set (or, with ``stop_when_idle``, until none is left).

    Only kinds with a registered handler are taken, so workers of different versions can share a
    queue. ``job_ids`` restricts the worker to some jobs (the CLI processing its own batch);
    ``on_finished(job_id, status)`` is called after each job; ``state`` tells the heartbeat which job
    runs. Returns how many jobs it ran.
    """
    worker_id = worker_id or default_worker_id()
    stop = stop or threading.Event()
    kinds = list(kinds) if kinds is not None else list(HANDLERS)
    job_ids = list(job_ids) if job_ids is not None else None
    ran = 0
    while not stop.is_set():
        try:
            with open_session(engine) as session:
                job = claim_next(
                    session, worker_id, kinds=kinds, job_ids=job_ids, lease_seconds=lease_seconds
                )
        except OperationalError:  # SQLite busy past its timeout, or the server restarting: try again
            log.warning("worker %s could not reach the queue", worker_id, exc_info=True)
            stop.wait(poll_seconds)
            continue
        if job is None:
            if stop_when_idle and not _has_pending(engine, kinds, job_ids):
                break
            stop.wait(poll_seconds)
            continue
        if state is not None:
            state.running(job)
        try:
            status = run_job(
                engine,
                job,
                worker_id,
                lease_seconds=lease_seconds,
                heartbeat_seconds=heartbeat_seconds,
                stop=stop,
            )
        except OperationalError:  # the outcome could not be written: the lease expires, the job runs again
            log.warning("worker %s could not record the outcome of job %s", worker_id, job.id, exc_info=True)
            status = JobStatus.RUNNING.value
        finally:
            if state is not None:
                state.running(None)
        ran += 1
        if on_finished is not None:
            on_finished(job.id, status)
    return ran


@dataclass(frozen=True)
class Progress:
    """Where a batch of jobs stands; what a progress bar or a polling web page shows."""

    total: int
    queued: int
    running: int
    done: int
    failed: int

    @property
    def finished(self) -> int:
        return self.done + self.failed


def job_progress(session: Session, job_ids: Iterable[str]) -> Progress:
    counts = dict.fromkeys([s.value for s in JobStatus], 0)
    ids = list(job_ids)
    for status in session.scalars(select(Job.status).where(Job.id.in_(ids))):
        counts[status] += 1
    return Progress(total=len(ids), **counts)
