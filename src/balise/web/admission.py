"""How many requests a web process works on at once.

Past a few requests per core, taking more at once only makes each slower: the threads share one
interpreter lock and a pool of database connections. Measured with 80 people and no pauses on two
cores, throughput fell from 54 to 1.6 requests per second and threads that waited 30 s for a connection
answered 500. A web process now works on at most ``BALISE_CONCURRENT_REQUESTS`` requests (by default
twice the cores: 30 requests per second at 80 people, 0 errors; 27 with 16 at once, and a p95 twice as
long); the others wait their turn in order, and one that waited ``BALISE_QUEUE_SECONDS`` is told to
try again (503, ``Retry-After``) instead of failing after a minute.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from weakref import WeakKeyDictionary

from balise.i18n import N_

PASS_THROUGH = ("/healthz", "/readyz", "/metrics", "/static/")
"""Probes and files: cheap, and an orchestrator must reach the probes even when people queue."""
RETRY_AFTER_SECONDS = 5
BUSY = N_("Balise is answering many requests right now. Nothing was recorded: try again in a few seconds.")


class Admission:
    """A web process's turns: ``async with admission.turn() as admitted`` (False once the wait ran out)."""

    def __init__(self, concurrent: int, wait_seconds: float) -> None:
        self.concurrent = concurrent or 2 * (os.cpu_count() or 1)
        self.wait_seconds = wait_seconds
        self._turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[bool]:
        # One set of turns per event loop: a semaphore belongs to the loop it first waited in (one
        # loop in a served process; test clients start one per request).
        turns = self._turns.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(self.concurrent))
        try:
            await asyncio.wait_for(turns.acquire(), self.wait_seconds)
        except TimeoutError:
            yield False
            return
        try:
            yield True
        finally:
            turns.release()


def needs_turn(path: str) -> bool:
    return not path.startswith(PASS_THROUGH)
