"""Web fixtures: an app on the test database and signed-in clients.

A folder's ``conftest.py`` imports the fixtures it needs from here (``app``, ``make_member``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.db import open_session
from balise.tenancy import Tenant, User, create_user
from balise.web.app import create_app

PASSWORD = "correct-horse-battery"


RUNNER_DRAIN_SECONDS = 300


@pytest.fixture
def app(engine: Engine):  # type: ignore[no-untyped-def]
    app = create_app(engine)
    yield app
    _wait_for_inline_runner(app)


def _wait_for_inline_runner(app) -> None:  # type: ignore[no-untyped-def]
    """Lets the ingestion thread a route may have started finish before the next test begins.

    The runner drains the whole queue of the (shared) test database: left running, it would ingest
    other tests' files, retitle their documents and hold the SQLite write lock while they run.
    """
    runner = getattr(app.state, "inline_runner", None)
    if runner is not None:
        assert runner.join(RUNNER_DRAIN_SECONDS), "the in-process ingestion runner did not finish"


@dataclass
class Member:
    tenant: Tenant
    user: User
    client: TestClient


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> None:
    client.get("/connexion")
    response = client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": client.cookies.get("balise_csrf", "")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_of(client: TestClient) -> str:
    page = client.get("/compte/jetons").text
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def make_member(app, engine: Engine, make_tenant) -> Callable[..., Member]:  # type: ignore[no-untyped-def]
    def factory(role: str = "employee", tenant: Tenant | None = None, name: str = "Ville") -> Member:
        tenant = tenant or make_tenant(name)
        with open_session(engine) as session:
            email = f"{role}-{tenant.slug}@example.org"
            user = create_user(
                session, session.merge(tenant), email, PASSWORD, role, display_name=f"{role} {name}"
            )
            session.commit()
        client = TestClient(app, headers={"accept": "text/html"})
        sign_in(client, email)
        return Member(tenant, user, client)

    return factory
