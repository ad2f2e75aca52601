"""Liveness never depends on the database (an orchestrator would restart a healthy process during a
database outage); readiness does, and says why it is not ready."""

from __future__ import annotations

from fastapi.testclient import TestClient

import balise
from balise.db import make_engine
from balise.web.app import create_app

UNREACHABLE = "postgresql+psycopg://balise:mot-de-passe@127.0.0.1:9/balise?connect_timeout=2"


def test_healthz_answers_while_the_database_is_down_and_readyz_does_not() -> None:
    engine = make_engine(UNREACHABLE)
    try:
        client = TestClient(create_app(engine), raise_server_exceptions=False)
        live = client.get("/healthz")
        assert live.status_code == 200
        assert live.json() == {"status": "ok", "version": balise.__version__}
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "not_ready" and ready.json()["reason"]
        assert ready.json()["version"] == balise.__version__
    finally:
        engine.dispose()


def test_readyz_reports_the_version_when_ready(engine) -> None:
    ready = TestClient(create_app(engine)).get("/readyz")
    assert ready.status_code == 200 and ready.json()["version"] == balise.__version__
