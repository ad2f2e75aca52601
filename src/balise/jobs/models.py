"""The job table: background work shared by every worker process through the database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(TenantScoped, Base):
    """One unit of background work.

    A worker owns a running job until ``locked_until`` (its lease, renewed while it works); a job
    whose lease has expired belongs to no one and is taken again, which is how work survives a
    crashed worker. ``run_after`` delays a retry (backoff).
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claim", "status", "run_after"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    # Lower runs first: a long job's later slices (vectors of a large document) wait behind new work.
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_by: Mapped[str | None] = mapped_column(String(64), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    # The web request that enqueued the job: its log lines carry the same id as the request's.
    request_id: Mapped[str | None] = mapped_column(String(128), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class WorkerHeartbeat(Base):
    """A worker process saying it is alive, every few seconds (its row is removed when it stops).

    /readyz, ``balise doctor``, /metrics and the admin page read it: a worker that died shows as a
    row whose ``beat_at`` no longer moves. Rows older than a day are pruned.
    """

    __tablename__ = "worker_heartbeats"

    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), default=None)
    job_kind: Mapped[str | None] = mapped_column(String(64), default=None)


class ScheduledRun(TenantScoped, Base):
    """One occurrence of a recurring job for one municipality: the unique key makes sure only one
    worker queues it, however many workers see it due."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("schedule", "tenant_id", "period"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    schedule: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(32))
    job_id: Mapped[str] = mapped_column(String(32), ForeignKey("jobs.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
