"""A worker process's life: its heartbeat, its stop on SIGTERM, its death with its parent.

* **Heartbeat**: every few seconds the worker writes a row of ``worker_heartbeats`` (who, where,
  which job); /readyz, ``balise doctor``, /metrics and the admin page read it. The same thread queues
  the scheduled jobs that are due (:mod:`balise.jobs.schedules`).
* **Stop**: SIGTERM sets a :class:`StopRequest`. The worker takes no new job; its current job may
  finish during a grace period, after which the job's next :meth:`~balise.jobs.JobContext.progress`
  raises :class:`WorkerStopping` and the job goes back to the queue (:func:`release`, the attempt not
  counted). A job that never calls it is released by the watchdog, which then ends the process:
  a worker always exits within ``worker_stop_seconds``.
* **Parent**: a worker started by ``balise serve`` stops when ``serve`` dies (the parent-pid watch;
  Linux's PDEATHSIG, set by :mod:`balise.jobs.runner`, covers most cases by itself).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.orm import Session

from balise.db import open_session, utcnow
from balise.jobs.models import Job, JobStatus, WorkerHeartbeat

log = logging.getLogger(__name__)

BEAT_SECONDS = 5.0
KEEP_HEARTBEATS = timedelta(days=1)
SCHEDULE_CHECK_SECONDS = 60.0
PARENT_CHECK_SECONDS = 1.0
RELEASE_MARGIN_SECONDS = 5.0
"""Before its hard deadline, the worker's current job stops at its next progress report."""


class WorkerStopping(Exception):
    """The worker was asked to stop and the job's grace period is over: the job goes back to the queue."""


class StopRequest(threading.Event):
    """The worker's stop flag, which remembers when it was raised (for the jobs' grace period)."""

    def __init__(self, grace_seconds: float = 0.0) -> None:
        super().__init__()
        self.grace_seconds = grace_seconds
        self.requested_at: float | None = None

    def set(self) -> None:
        if self.requested_at is None:
            self.requested_at = time.monotonic()
        super().set()

    def overdue(self) -> bool:
        """Whether a running job must now give its work back."""
        return self.requested_at is not None and time.monotonic() - self.requested_at >= self.grace_seconds


def must_give_up(stop: threading.Event) -> bool:
    """Whether a job told to stop by ``stop`` must leave now (a plain event: as soon as it is set)."""
    return stop.overdue() if isinstance(stop, StopRequest) else stop.is_set()


def release(session: Session, job_id: str, worker_id: str) -> bool:
    """Puts a job this worker holds back in the queue at once: lease cleared, attempt not counted."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker_id)
        .values(
            status=JobStatus.QUEUED.value,
            run_after=utcnow(),
            locked_by=None,
            locked_until=None,
            attempts=Job.attempts - 1,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def expire_leases_of(engine: Engine, host: str, pid: int) -> int:
    """Ends the leases of a worker process known dead (``serve`` saw it exit): its jobs are taken at
    once instead of half a minute later. Its attempt still counts (the job may have killed it)."""
    with open_session(engine) as session:
        result = session.execute(
            update(Job)
            .where(Job.status == JobStatus.RUNNING.value, Job.locked_by.like(f"{host}:{pid}:%"))
            .values(locked_until=utcnow() - timedelta(seconds=1))
            .execution_options(synchronize_session=False)
        )
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


class WorkerState:
    """What the heartbeat says about this worker: who it is and which job it runs."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.started_at = utcnow()
        self.job_id: str | None = None
        self.job_kind: str | None = None

    def running(self, job: Job | None) -> None:
        self.job_id, self.job_kind = (job.id, job.kind) if job is not None else (None, None)


def beat(engine: Engine, state: WorkerState) -> None:
    """Writes this worker's heartbeat and prunes those of workers silent for a day."""
    with open_session(engine) as session:
        row = session.get(WorkerHeartbeat, state.worker_id)
        if row is None:
            row = WorkerHeartbeat(
                worker_id=state.worker_id, host=state.host, pid=state.pid, started_at=state.started_at
            )
            session.add(row)
        row.beat_at = utcnow()
        row.job_id, row.job_kind = state.job_id, state.job_kind
        session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < utcnow() - KEEP_HEARTBEATS))
        session.commit()


def forget(engine: Engine, worker_id: str) -> None:
    """Removes a stopping worker's heartbeat: only crashed workers leave a silent row behind."""
    with open_session(engine) as session:
        session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == worker_id))
        session.commit()


class Companion:
    """The worker's background thread: heartbeat, due schedules, parent watch and stop watchdog.

    ``hard_stop_seconds`` after a stop request it releases the current job and ends the process.
    """

    def __init__(
        self,
        engine: Engine,
        state: WorkerState,
        stop: StopRequest,
        *,
        hard_stop_seconds: float,
        parent_pid: int | None = None,
        queue_due: Callable[[Engine], object] | None = None,
        beat_seconds: float = BEAT_SECONDS,
    ) -> None:
        self.engine, self.state, self.stop = engine, state, stop
        self.hard_stop_seconds = hard_stop_seconds
        self.parent_pid = parent_pid
        self.queue_due = queue_due
        self.beat_seconds = beat_seconds
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="balise-worker-companion", daemon=True)

    def __enter__(self) -> Companion:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=10)
        try:
            forget(self.engine, self.state.worker_id)
        except Exception:  # the row then ages out; the process is stopping anyway
            log.warning("the heartbeat of worker %s could not be removed", self.state.worker_id)

    def _run(self) -> None:
        next_beat = next_schedule = 0.0
        while not self._done.wait(PARENT_CHECK_SECONDS if self.stop.is_set() else 0.5):
            now = time.monotonic()
            if self.parent_pid is not None and os.getppid() != self.parent_pid and not self.stop.is_set():
                log.warning(
                    "worker %s: its parent process %d died; stopping", self.state.worker_id, self.parent_pid
                )
                self.stop.set()
            if self.stop.requested_at is not None and now - self.stop.requested_at >= self.hard_stop_seconds:
                self._hard_stop()
            if now >= next_beat:
                next_beat = now + self.beat_seconds
                self._guarded(beat, self.engine, self.state)
            if self.queue_due is not None and not self.stop.is_set() and now >= next_schedule:
                next_schedule = now + SCHEDULE_CHECK_SECONDS
                self._guarded(self.queue_due, self.engine)

    def _guarded(self, step: Callable[..., object], *args: object) -> None:
        try:
            step(*args)
        except Exception:  # a database restarting: the next beat tries again
            log.warning("worker %s: %s failed", self.state.worker_id, step.__name__, exc_info=True)

    def _hard_stop(self) -> None:
        """The current job ignored the stop request: give it back and end the process now."""
        job_id = self.state.job_id
        if job_id is not None:
            try:
                with open_session(self.engine) as session:
                    release(session, job_id, self.state.worker_id)
                    session.commit()
                log.warning("worker %s: job %s released unfinished", self.state.worker_id, job_id)
            except Exception:  # its lease then expires and another worker takes it
                log.warning("worker %s: job %s could not be released", self.state.worker_id, job_id)
        self._guarded(forget, self.engine, self.state.worker_id)
        for output in logging.getLogger().handlers:
            with contextlib.suppress(OSError, ValueError):  # a closed stream must not keep it alive
                output.flush()
        os._exit(0)
