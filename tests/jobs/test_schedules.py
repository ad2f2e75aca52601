"""Recurring jobs run by the workers themselves: once per period and municipality, however many workers."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from balise.db import make_engine, migrate, open_session
from balise.jobs import HANDLERS, Job, JobContext, run_worker
from balise.jobs.models import ScheduledRun
from balise.jobs.schedules import DAILY, period_key, queue_due, schedule, schedule_statuses
from balise.tenancy.models import Tenant

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'balise.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _tenants(engine: Engine, count: int) -> list[str]:
    with open_session(engine) as session:
        tenants = [Tenant(slug=f"t-{uuid.uuid4().hex[:8]}", name="Ville") for _ in range(count)]
        session.add_all(tenants)
        session.commit()
        return [t.id for t in tenants]


def test_periods_are_days_in_utc() -> None:
    assert period_key(DAILY, NOON) == "2026-12-07T00:00"
    assert period_key(DAILY, NOON + timedelta(hours=12)) == "2026-12-08T00:00"


def test_two_workers_run_each_occurrence_once(fresh: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("balise.jobs.schedules.SCHEDULES", {})
    kind = f"every-day-{uuid.uuid4().hex[:6]}"
    ran: list[tuple[str, str]] = []

    @schedule(kind, "Test", DAILY)
    def record(ctx: JobContext) -> None:
        ran.append((ctx.tenant_id, str(ctx.payload["period"])))

    try:
        tenants = _tenants(fresh, 3)
        start = threading.Barrier(2)
        queued: list[int] = []

        def worker(now: datetime) -> None:
            start.wait()
            queued.append(queue_due(fresh, now))
            run_worker(fresh, kinds=[kind], stop_when_idle=True, poll_seconds=0.05)

        for day in (NOON, NOON + timedelta(minutes=5), NOON + DAILY):
            threads = [threading.Thread(target=worker, args=(day,)) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert sum(queued) == 6  # three municipalities, two days; the second look the same day finds them
        assert sorted(ran) == sorted(
            (t, p) for t in tenants for p in ("2026-12-07T00:00", "2026-12-08T00:00")
        )
        with open_session(fresh) as session:
            (status,) = schedule_statuses(session, tenants[0], NOON + DAILY)
        assert (status.last_period, status.outcome) == ("2026-12-08T00:00", "done")
        assert status.next_run == datetime(2026, 12, 9, tzinfo=UTC)
    finally:
        HANDLERS.pop(kind, None)


def test_the_recurring_jobs_remind_purge_probe_and_evaluate_for_each_municipality(fresh: Engine) -> None:
    from balise.evaluation.bias import BiasRun
    from balise.evaluation.runs import EvalRun
    from balise.operations import scheduled

    _tenants(fresh, 1)
    assert queue_due(fresh) == 5
    kinds = [
        scheduled.COMPLAINT_REMINDERS,
        scheduled.CONVERSATION_PURGE,
        scheduled.VAULT_PURGE,
        scheduled.BIAS_PROBES,
        scheduled.EVALUATION_RUNS,
    ]
    assert run_worker(fresh, kinds=kinds, stop_when_idle=True, poll_seconds=0.05) == 5
    with open_session(fresh) as session:
        statuses = session.execute(
            select(Job.kind, Job.status).join(ScheduledRun, ScheduledRun.job_id == Job.id)
        ).all()
        assert sorted(statuses) == sorted((kind, "done") for kind in kinds)
        assert session.scalar(select(func.count()).select_from(ScheduledRun)) == 5
        # With no generative model the monthly probe checks the job titles of the drafting templates.
        assert session.scalars(select(BiasRun.probe)).all() == ["titles"]
        # With no evaluation set the weekly run has nothing to ask.
        assert session.scalar(select(func.count()).select_from(EvalRun)) == 0
    assert queue_due(fresh) == 0  # already done today (and this month)


def test_a_second_worker_cannot_queue_an_occurrence_already_queued(fresh: Engine) -> None:
    from balise.jobs.schedules import Schedule, _queue_one

    (tenant,) = _tenants(fresh, 1)
    item = Schedule("scheduled.complaint_reminders", "Test")
    assert _queue_one(fresh, item, tenant, "2026-12-07T00:00")
    assert not _queue_one(fresh, item, tenant, "2026-12-07T00:00")  # its select missed the first's row
    with open_session(fresh) as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 1
