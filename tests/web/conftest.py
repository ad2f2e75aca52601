"""Fixtures of the pages and APIs: signed-in clients, the assistant's library and model server, saved
outputs, and a worker beside the web app (as `balise serve` starts one)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.documents import INGEST_JOB
from balise.jobs import run_worker
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
