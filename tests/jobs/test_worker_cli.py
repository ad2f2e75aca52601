"""``balise worker --once`` drains the queue and stops."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.db import open_session
from balise.jobs import HANDLERS, Job, JobContext, enqueue, handler, run_worker
from balise.jobs.cli import worker
from balise.tenancy.models import Tenant


@pytest.fixture
def kind() -> Iterator[str]:
    name = f"cli-{uuid.uuid4().hex[:8]}"
    yield name
    HANDLERS.pop(name, None)


def test_worker_once_runs_the_queued_jobs(
    engine: Engine, make_tenant: Callable[..., Tenant], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []

    @handler(kind)
    def record(ctx: JobContext) -> None:
        seen.append(int(ctx.payload["n"]))

    tenant = make_tenant()
    with open_session(engine) as session:
        ids = [enqueue(session, kind, {"n": n}, tenant.id).id for n in range(3)]
        session.commit()
    monkeypatch.setattr("balise.jobs.cli.default_engine", lambda: engine)
    monkeypatch.setattr("balise.jobs.cli.run_worker", _only(kind))
    app = typer.Typer()
    app.command()(worker)
    result = CliRunner().invoke(app, ["--once"])
    assert result.exit_code == 0, result.output
    assert sorted(seen) == [0, 1, 2]
    with open_session(engine) as session:
        assert set(session.scalars(select(Job.status).where(Job.id.in_(ids)))) == {"done"}


def _only(kind: str) -> Callable[..., int]:
    """The real worker, limited to this test's kind so that it leaves other tests' jobs alone."""
    return lambda engine, **options: run_worker(engine, kinds=[kind], **options)
