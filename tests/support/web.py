"""Web fixtures: an app on the test database and signed-in clients.

A folder's ``conftest.py`` imports the fixtures it needs from here (``app``, ``make_member``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.db import open_session
from balise.tenancy import Tenant, User, create_user
from balise.web.app import create_app

PASSWORD = "correct-horse-battery"


@pytest.fixture
def app(engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(engine)


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


def draft_through_page(member: Member, template: str, text: str) -> tuple[str, str]:
    """Drafts as a person does on the page: the result as shown, and the id of the saved output."""
    response = member.client.post(
        "/assistant/redaction",
        data={"csrf_token": csrf_of(member.client), "template": template, "text": text, "action": "send"},
    )
    assert response.status_code == 200, response.text
    found = re.search(r"/resultats/([0-9a-f]{32})", response.text)
    assert found, "the result links to its saved output"
    return response.text, found.group(1)


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
