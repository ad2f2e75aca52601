"""A web process works on a bounded number of requests at once; the others wait their turn, and one
that waited too long is told in French to try again (issue 22: 80 people without pauses took the
throughput from 54 to 1.6 requests per second, with 500s)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from balise.config import get_settings
from balise.web.app import create_app


@pytest.fixture
def app_with_turns(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., FastAPI]]:
    def build(concurrent: int, wait_seconds: float) -> FastAPI:
        monkeypatch.setenv("BALISE_CONCURRENT_REQUESTS", str(concurrent))
        monkeypatch.setenv("BALISE_QUEUE_SECONDS", str(wait_seconds))
        get_settings.cache_clear()
        app = create_app(engine)
        working: list[int] = []
        app.state.most_at_once = 0

        async def slow() -> dict[str, int]:  # the work of a long request, in the app's own turn
            working.append(1)
            app.state.most_at_once = max(app.state.most_at_once, len(working))
            await asyncio.sleep(0.4)
            working.pop()
            return {"done": 1}

        app.add_api_route("/essai-lent", slow)
        return app

    yield build
    get_settings.cache_clear()


def _together(app: FastAPI, paths: list[str], headers: dict[str, str]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=headers
        ) as client:
            return list(await asyncio.gather(*(client.get(path) for path in paths)))

    with ThreadPoolExecutor(1) as own_thread:  # an event loop of its own, whatever ran before in this one
        return own_thread.submit(asyncio.run, run()).result()


def test_requests_past_the_limit_wait_their_turn(app_with_turns: Callable[..., FastAPI]) -> None:
    app = app_with_turns(concurrent=2, wait_seconds=10)
    answers = _together(app, ["/essai-lent"] * 5, {"accept": "application/json"})
    assert [answer.status_code for answer in answers] == [200] * 5
    assert app.state.most_at_once == 2


def test_a_request_that_waited_too_long_is_told_to_try_again_in_french(
    app_with_turns: Callable[..., FastAPI],
) -> None:
    app = app_with_turns(concurrent=1, wait_seconds=0.1)
    answers = _together(app, ["/essai-lent", "/essai-lent", "/healthz"], {"accept": "application/json"})
    statuses = sorted(answer.status_code for answer in answers[:2])
    assert statuses == [200, 503]
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert busy.json()["error"] == "busy" and "réessayez" in busy.json()["message"]
    assert busy.headers["retry-after"] == "5" and busy.headers["x-request-id"]
    assert answers[2].status_code == 200, "the liveness probe never queues behind people"
    page = _together(app, ["/essai-lent", "/connexion"], {"accept": "text/html"})[1]
    assert page.status_code == 503 and "Rien n’a été enregistré" in page.text
