"""Transcripts and requests are deleted after the municipality's retention period (30 days by default).

A scheduled job of the shared job queue does it: each run purges one municipality and queues its
next run a day later, so any ``balise worker`` (or the web process on SQLite) keeps the schedule
without cron. :func:`ensure_scheduled` starts the chain; it is idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from balise import audit
from balise.citizen.details import forget_details
from balise.citizen.models import CitizenExchange, CitizenRequest
from balise.citizen.settings import load_citizen_settings
from balise.db.base import utcnow
from balise.jobs import JobContext, enqueue, handler
from balise.jobs.models import Job, JobStatus
from balise.tenancy import Tenant

PURGE_JOB = "citizen_purge"
PURGE_EVERY = timedelta(days=1)


def purge_expired(session: Session, tenant: Tenant, now: datetime | None = None) -> int:
    """Deletes the municipality's exchanges and requests older than its retention period."""
    cutoff = (now or utcnow()) - timedelta(days=load_citizen_settings(tenant).retention_days)
    exchanges = session.execute(delete(CitizenExchange).where(CitizenExchange.created_at < cutoff))
    expired = list(session.scalars(select(CitizenRequest.id).where(CitizenRequest.created_at < cutoff)))
    forget_details(session, tenant.id, expired)
    requests = session.execute(delete(CitizenRequest).where(CitizenRequest.created_at < cutoff))
    count = int(getattr(exchanges, "rowcount", 0) or 0) + int(getattr(requests, "rowcount", 0) or 0)
    audit.record(
        session,
        "citizen.purged",
        actor="system",
        tenant_id=tenant.id,
        target_type="tenant",
        target_id=tenant.id,
        details={"deleted": count},
    )
    return count


_checked: set[str] = set()


def ensure_scheduled(session: Session, tenant_id: str) -> bool:
    """Queues the tenant's purge unless one is already waiting; True when one was queued.

    Checked once per process and municipality: the chain then keeps itself going.
    """
    if tenant_id in _checked:
        return False
    _checked.add(tenant_id)
    waiting = session.scalar(
        select(Job.id).where(
            Job.tenant_id == tenant_id,
            Job.kind == PURGE_JOB,
            Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
    )
    if waiting is not None:
        return False
    enqueue(session, PURGE_JOB, {}, tenant_id)
    return True


@handler(PURGE_JOB)
def _run_purge(ctx: JobContext) -> None:
    tenant = ctx.session.get(Tenant, ctx.tenant_id)
    if tenant is None:
        return
    purge_expired(ctx.session, tenant)
    job = enqueue(ctx.session, PURGE_JOB, {}, ctx.tenant_id)
    job.run_after = utcnow() + PURGE_EVERY
