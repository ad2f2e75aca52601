"""Fixtures of the pages and APIs: signed-in clients, the assistant's library and model server, saved
outputs, and ingestion run by the web app."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from balise.config import get_settings
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
from tests.support.web import app, make_member  # noqa: F401

LOT = re.compile(r"/documents/progression\?lot=([0-9a-f,]+)")


@pytest.fixture(autouse=True)
def inline_jobs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The web process runs ingestion itself on SQLite and PostgreSQL alike, as `make run` does."""
    monkeypatch.setattr(get_settings(), "inline_jobs", True)
    yield


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
