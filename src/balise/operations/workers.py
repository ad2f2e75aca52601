"""Are the workers alive? What /readyz, ``balise doctor``, /metrics and the admin page read.

Each worker writes a heartbeat every few seconds (:mod:`balise.jobs.lifecycle`); a worker whose last
beat is older than ``worker_stale_seconds`` (``BALISE_WORKER_STALE_SECONDS``, 60 s) counts as dead.
Workers are expected when ``BALISE_EXPECT_WORKER`` says so, which ``balise serve`` does when it
starts its own worker; a web process run without one (tests, tooling) expects none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Gauge, generate_latest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise.config import get_settings
from balise.db import open_session, utcnow
from balise.jobs.models import WorkerHeartbeat
from balise.jobs.schedules import ScheduleStatus, schedule_statuses


@dataclass(frozen=True)
class WorkerView:
    """One worker as the operators see it."""

    worker_id: str
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime
    age_seconds: float
    alive: bool
    job_id: str | None
    job_kind: str | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def workers(session: Session, now: datetime | None = None) -> list[WorkerView]:
    """Every worker with a heartbeat of the last day, the most recent beat first."""
    now = now or utcnow()
    stale = get_settings().worker_stale_seconds
    views = []
    for row in session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.beat_at.desc())):
        age = max(0.0, (now - _aware(row.beat_at)).total_seconds())
        views.append(
            WorkerView(
                worker_id=row.worker_id,
                host=row.host,
                pid=row.pid,
                started_at=_aware(row.started_at),
                beat_at=_aware(row.beat_at),
                age_seconds=round(age, 1),
                alive=age <= stale,
                job_id=row.job_id,
                job_kind=row.job_kind,
            )
        )
    return views


def workers_of(engine: Engine) -> list[WorkerView]:
    with open_session(engine) as session:
        return workers(session)


def workers_expected() -> bool:
    return bool(get_settings().expect_worker)


def worker_metrics(engine: Engine) -> bytes:
    """``balise_worker_heartbeat_age_seconds`` per worker and ``balise_workers_alive``, read at scrape
    time from the heartbeats (shared by every web process, unlike a counter in one process's memory)."""
    registry = CollectorRegistry()
    age = Gauge(
        "balise_worker_heartbeat_age_seconds",
        "Seconds since each worker's last heartbeat",
        ["worker", "host"],
        registry=registry,
    )
    alive = Gauge("balise_workers_alive", "Workers whose heartbeat is recent", registry=registry)
    views = workers_of(engine)
    for view in views:
        age.labels(worker=view.worker_id, host=view.host).set(view.age_seconds)
    alive.set(sum(view.alive for view in views))
    return generate_latest(registry)


@dataclass(frozen=True)
class WorkersOverview:
    """The admin page: the workers' heartbeats and the municipality's scheduled jobs."""

    workers: list[WorkerView]
    schedules: list[ScheduleStatus]
    stale_seconds: float
    expected: bool


def overview(session: Session, tenant_id: str) -> WorkersOverview:
    """What ``/admin/travailleurs`` shows, read in the administrator's own session."""
    import balise.operations.scheduled  # noqa: F401  (declares the schedules, as in the worker)

    return WorkersOverview(
        workers=workers(session),
        schedules=schedule_statuses(session, tenant_id),
        stale_seconds=get_settings().worker_stale_seconds,
        expected=workers_expected(),
    )
