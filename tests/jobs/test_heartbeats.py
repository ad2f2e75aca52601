"""Workers' heartbeats: /readyz, /metrics, balise doctor and the admin page say whether a worker lives."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.config import get_settings
from balise.db import make_engine, migrate, open_session, utcnow
from balise.jobs.lifecycle import WorkerState, beat, forget
from balise.jobs.models import WorkerHeartbeat
from balise.operations.doctor import _workers
from balise.web.app import create_app


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Engine]:
    """A database of this test's own: other tests' workers beat in the shared one."""
    engine = make_engine(f"sqlite:///{tmp_path / 'balise.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"BALISE_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def _silent_worker(engine: Engine, seconds: float) -> None:
    with open_session(engine) as session:
        then = utcnow() - timedelta(seconds=seconds)
        session.add(WorkerHeartbeat(worker_id="h:1:dead", host="h", pid=1, started_at=then, beat_at=then))
        session.commit()


def test_readyz_wants_a_recent_heartbeat_when_a_worker_is_expected(
    fresh: Engine, configure: Callable[..., None]
) -> None:
    configure(expect_worker="true", worker_stale_seconds="60")
    client = TestClient(create_app(fresh))
    nobody = client.get("/readyz")
    assert nobody.status_code == 503 and nobody.json()["reason"].startswith("aucun travailleur actif")
    _silent_worker(fresh, 120)
    stale = client.get("/readyz")
    assert stale.status_code == 503 and stale.json()["reason"].startswith("aucun travailleur actif")
    beat(fresh, WorkerState("h:2:alive"))
    fresh_beat = client.get("/readyz")
    assert fresh_beat.status_code == 200 and fresh_beat.json()["status"] == "ready"


def test_readyz_needs_no_worker_where_none_is_expected(fresh: Engine, configure: Callable[..., None]) -> None:
    configure(expect_worker="false")
    assert TestClient(create_app(fresh)).get("/readyz").status_code == 200


def test_metrics_give_each_workers_heartbeat_age_and_the_live_count(
    fresh: Engine, configure: Callable[..., None]
) -> None:
    configure(metrics_allow="192.0.2.0/24", metrics_token="")
    _silent_worker(fresh, 120)
    beat(fresh, WorkerState("h:2:alive"))
    body = TestClient(create_app(fresh), client=("192.0.2.40", 5000)).get("/metrics").text
    dead = re.search(r'balise_worker_heartbeat_age_seconds\{host="h",worker="h:1:dead"\} (\d+)', body)
    assert dead and 120 <= int(dead.group(1)) < 180, "the age counts on while the app starts, never down"
    assert "balise_workers_alive 1.0" in body


def test_doctor_reports_a_silent_worker_with_a_fix(
    fresh: Engine, configure: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(expect_worker="false")
    monkeypatch.setattr("balise.db.default_engine", lambda: fresh)
    (none,) = _workers()
    assert none.ok
    _silent_worker(fresh, 600)
    (silent,) = _workers()
    assert not silent.ok and "600 s" in silent.detail and "balise serve" in silent.fix
    beat(fresh, WorkerState("h:2:alive"))
    (alive,) = _workers()
    assert alive.ok and alive.detail.startswith("1 ")


def test_heartbeats_older_than_a_day_are_pruned(fresh: Engine) -> None:
    _silent_worker(fresh, 2 * 86400)
    beat(fresh, WorkerState("h:2:alive"))
    with open_session(fresh) as session:
        assert [row.worker_id for row in session.query(WorkerHeartbeat)] == ["h:2:alive"]


def test_the_admin_page_shows_the_workers_and_the_schedules(make_member, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    state = WorkerState("page-host:42:abcdef")
    beat(engine, state)
    admin = make_member("admin")
    try:
        page = admin.client.get("/admin/travailleurs")
    finally:  # the shared database: a row left behind would go silent and fail balise doctor's test
        forget(engine, state.worker_id)
    assert page.status_code == 200, page.text
    assert "page-host:42:abcdef" in page.text and "Rappels des plaintes" in page.text
    assert "Prochaine exécution" in page.text
    assert make_member("manager").client.get("/admin/travailleurs").status_code == 403
