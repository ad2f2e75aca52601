"""Fixtures of the pages and APIs: signed-in clients, the assistant's library and model server, saved
outputs, and a worker beside the web app (as `balise serve` starts one)."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import openai
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.db import open_session
from balise.documents import INGEST_JOB
from balise.jobs import run_worker
from balise.tenancy import Tenant, User, create_api_token, create_user
from tests.assistant.conftest import (  # noqa: F401  (the assistant's library and model server)
    _secret_key,
    add_document,
    library,
    member_of,
    openai_server,
    town,
    use_model,
)
from tests.review.conftest import make_output  # noqa: F401
from tests.support.web import PASSWORD, app, make_member  # noqa: F401

LOT = re.compile(r"/documents/progression\?lot=([0-9a-f,]+)")


WORKER_STOP_SECONDS = 120


@pytest.fixture(autouse=True)
def worker(engine: Engine) -> Iterator[None]:
    """A worker beside the web app during each test, as `balise serve` starts one (there a process).

    It drains the whole queue of the shared test database, so it is stopped (after its current
    batch) before the next test begins.
    """
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(engine,), kwargs={"kinds": [INGEST_JOB], "stop": stop, "poll_seconds": 0.2}
    )
    thread.start()
    yield
    stop.set()
    thread.join(WORKER_STOP_SECONDS)
    assert not thread.is_alive(), "the worker did not stop"


def wait_for_batch(client: TestClient, page: str, timeout: float = 300) -> str:
    """Polls the upload's status fragment, as htmx does, until every file is finished; returns it."""
    match = LOT.search(page)
    if match is None:
        return page
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/documents/progression?lot={match.group(1)}", headers={"hx-request": "true"})
        if response.status_code == 286:
            return response.text
        assert response.status_code == 200, response.text
        time.sleep(0.3)
    raise AssertionError("the upload was not processed in time")


@dataclass
class Person:
    tenant: Tenant
    user: User
    token: str
    client: openai.OpenAI


@pytest.fixture
def person(app, engine: Engine) -> Iterator[Callable[..., Person]]:  # type: ignore[no-untyped-def]  # noqa: F811
    """A person of a service with an API token (of ``scopes``), and the official client holding it."""
    clients: list[TestClient] = []

    def factory(
        tenant: Tenant, service: str = "", role: str = "employee", scopes: tuple[str, ...] = ("read", "ask")
    ) -> Person:
        with open_session(engine) as session:
            user = create_user(
                session,
                session.merge(tenant),
                f"staff-{uuid.uuid4().hex[:10]}@example.org",
                PASSWORD,
                role,
                display_name=f"Personne {len(clients)}",
                service=service,
            )
            token = create_api_token(session, session.merge(tenant), user, "outil", scopes=scopes).token
            session.commit()
        http = TestClient(app)
        clients.append(http)
        client = openai.OpenAI(
            base_url="http://testserver/v1", api_key=token, http_client=http, max_retries=0
        )
        return Person(tenant, user, token, client)

    yield factory
    for http in clients:
        http.close()
