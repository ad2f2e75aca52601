"""Requests per minute per client address and per resident session (``BALISE_PUBLIC_RATE_LIMIT``,
``BALISE_PUBLIC_SESSION_RATE_LIMIT``; 0 means no limit), for every public write: questions, feedback and
problem reports, requests for a person, complaints. Each kind counts apart, so that rating answers
does not use up a resident's questions.

In memory, per process: a sliding window of timestamps per key, keyed by a hash so that no address
is kept in clear. Behind several ``balise serve`` processes each enforces its own share, which is
what a reverse proxy's own limit is for; a shared limit would need a shared store.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque

from balise.citizen.errors import RateLimited

WINDOW_SECONDS = 60.0
MAX_KEYS = 100_000


class SlidingWindow:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, limit: int, now: float | None = None) -> bool:
        """Counts the request and says whether it is within ``limit`` per minute."""
        if limit <= 0:
            return True
        now = time.monotonic() if now is None else now
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        with self._lock:
            if len(self._hits) > MAX_KEYS:
                self._forget_idle(now)
            hits = self._hits.setdefault(digest, deque())
            while hits and now - hits[0] >= WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or now - hits[-1] >= WINDOW_SECONDS]:
            del self._hits[key]

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


_limiter = SlidingWindow()


KINDS = ("ask", "feedback", "complaint", "survey")


def check_rate(
    address: str, session_id: str, *, per_address: int, per_session: int, kind: str = "ask"
) -> None:
    """Raises :class:`RateLimited` (HTTP 429) with a French message when a limit is reached."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of public write: {kind}")
    if not _limiter.allow(f"address:{kind}:{address}", per_address) or not _limiter.allow(
        f"session:{kind}:{session_id}", per_session
    ):
        if kind == "ask":
            raise RateLimited(
                "Too many questions in a short time. Wait a minute before asking again, or contact a "
                "person at city hall with the details below."
            )
        raise RateLimited(
            "Too many forms were sent from your connection in a short time. Wait a minute before sending "
            "again, or contact city hall directly."
        )


def reset_limits() -> None:
    """Forgets every count (tests, and a server that changed its limits)."""
    _limiter.clear()
