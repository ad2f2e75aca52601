"""Recurring jobs of the queue, run by the workers themselves: no cron line to forget.

A :class:`Schedule` is a job kind that runs once per period for each municipality. Every worker's
companion thread (:mod:`balise.jobs.lifecycle`) queues the occurrences that are due; the unique key
of ``scheduled_runs`` (schedule, municipality, period) lets only one worker queue a given occurrence
however many see it due, and the queue's claim lets only one run it. The schedules themselves are
declared by the capabilities (``balise.operations.scheduled``); the matching CLI commands keep
working for those who prefer cron.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from balise.db import open_session, utcnow
from balise.jobs.models import Job, ScheduledRun
from balise.jobs.queue import JobContext, enqueue, handler

log = logging.getLogger(__name__)

DAILY = timedelta(days=1)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Schedule:
    """A job kind run once per ``every`` for each municipality; ``label`` is an English msgid."""

    kind: str
    label: str
    every: timedelta = DAILY


SCHEDULES: dict[str, Schedule] = {}


def schedule(
    kind: str, label: str, every: timedelta = DAILY
) -> Callable[[Callable[[JobContext], None]], Callable[[JobContext], None]]:
    """Registers ``kind`` as a job handler that the workers queue once per ``every`` and municipality."""

    def register(run: Callable[[JobContext], None]) -> Callable[[JobContext], None]:
        SCHEDULES[kind] = Schedule(kind, label, every)
        return handler(kind)(run)

    return register


def period_start(every: timedelta, now: datetime) -> datetime:
    """The start of the period ``now`` falls in (periods are counted from a fixed epoch, in UTC)."""
    moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return EPOCH + every * ((moment - EPOCH) // every)


def period_key(every: timedelta, now: datetime) -> str:
    return period_start(every, now).strftime("%Y-%m-%dT%H:%M")


def queue_due(engine: Engine, now: datetime | None = None) -> int:
    """Queues each schedule's occurrence of the current period for every municipality that lacks it;
    returns how many this call queued (0 when another worker was first)."""
    from balise.tenancy.models import Tenant

    now = now or utcnow()
    queued = 0
    with open_session(engine) as session:
        tenant_ids = list(session.scalars(select(Tenant.id)))
    for item in list(SCHEDULES.values()):
        period = period_key(item.every, now)
        with open_session(engine) as session:
            done = set(
                session.scalars(
                    select(ScheduledRun.tenant_id).where(
                        ScheduledRun.schedule == item.kind, ScheduledRun.period == period
                    )
                )
            )
        for tenant_id in tenant_ids:
            if tenant_id not in done and _queue_one(engine, item, tenant_id, period):
                queued += 1
    return queued


def _queue_one(engine: Engine, item: Schedule, tenant_id: str, period: str) -> bool:
    with open_session(engine) as session:
        job = enqueue(session, item.kind, {"period": period}, tenant_id, max_attempts=3)
        session.add(ScheduledRun(schedule=item.kind, tenant_id=tenant_id, period=period, job_id=job.id))
        try:
            session.commit()
        except IntegrityError:  # another worker queued this occurrence first
            session.rollback()
            return False
    log.info("scheduled job %s queued for %s (period %s)", item.kind, tenant_id, period)
    return True


@dataclass(frozen=True)
class ScheduleStatus:
    """What the admin page shows of a schedule for one municipality."""

    schedule: Schedule
    last_period: str | None
    outcome: str | None
    """The last occurrence's job status (queued, running, done, failed), None if it never ran."""
    finished_at: datetime | None
    error: str
    next_run: datetime


def schedule_statuses(session: Session, tenant_id: str, now: datetime | None = None) -> list[ScheduleStatus]:
    """Last run, outcome and next run of every schedule, for one municipality."""
    now = now or utcnow()
    statuses = []
    for item in sorted(SCHEDULES.values(), key=lambda s: s.kind):
        latest = session.scalar(
            select(func.max(ScheduledRun.period)).where(
                ScheduledRun.schedule == item.kind, ScheduledRun.tenant_id == tenant_id
            )
        )
        job = None
        if latest is not None:
            job = session.scalar(
                select(Job)
                .join(ScheduledRun, ScheduledRun.job_id == Job.id)
                .where(
                    ScheduledRun.schedule == item.kind,
                    ScheduledRun.tenant_id == tenant_id,
                    ScheduledRun.period == latest,
                )
            )
        current = period_key(item.every, now)
        next_run = period_start(item.every, now) + (item.every if latest == current else timedelta(0))
        statuses.append(
            ScheduleStatus(
                schedule=item,
                last_period=latest,
                outcome=None if job is None else job.status,
                finished_at=None if job is None else job.finished_at,
                error="" if job is None else job.error,
                next_run=next_run,
            )
        )
    return statuses
