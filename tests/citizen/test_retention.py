"""Transcripts are deleted after the municipality's retention period by a scheduled queue job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from balise.citizen import PURGE_JOB, CitizenExchange, CitizenRequest, ensure_scheduled
from balise.db import tenant_session, utcnow
from balise.jobs import Job, run_worker
from balise.tenancy import Tenant


def _exchange(tenant_id: str, days_ago: int) -> CitizenExchange:
    return CitizenExchange(
        tenant_id=tenant_id,
        session_hash="0" * 64,
        question="q",
        answer="a",
        outcome="answered",
        created_at=utcnow() - timedelta(days=days_ago),
    )


def test_the_purge_job_deletes_old_transcripts_and_schedules_itself(engine: Engine, make_tenant) -> None:  # type: ignore[no-untyped-def]
    tenant: Tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        session.add_all([_exchange(tenant.id, 31), _exchange(tenant.id, 2)])
        session.add(
            CitizenRequest(
                tenant_id=tenant.id,
                kind="escalation",
                reference="ABC123",
                session_hash="0" * 64,
                token_hash=tenant.id.ljust(64, "1"),
                created_at=utcnow() - timedelta(days=40),
            )
        )
        assert ensure_scheduled(session, tenant.id)
        session.commit()
        first = session.scalars(select(Job).where(Job.kind == PURGE_JOB)).one()
    run_worker(engine, stop_when_idle=True, job_ids=[first.id], poll_seconds=0.05)
    with tenant_session(tenant.id, engine) as session:
        assert len(list(session.scalars(select(CitizenExchange)))) == 1
        assert list(session.scalars(select(CitizenRequest))) == []
        queued = session.scalars(select(Job).where(Job.kind == PURGE_JOB, Job.status == "queued")).one()
        assert queued.run_after.replace(tzinfo=None) > utcnow().replace(tzinfo=None) + timedelta(hours=23)
