"""Circuit breakers: a backend that keeps failing is skipped at once instead of making users wait.

After ``threshold`` consecutive failures the circuit opens; requests go straight to the extractive
fallback. After ``cooldown_s`` one probe request is let through (half-open): success closes the
circuit, failure opens it for another cool-down. State is per process and per backend.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    threshold: int = 3
    cooldown_s: float = 30.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> State:
        if self.opened_at is None:
            return State.CLOSED
        if self.clock() - self.opened_at >= self.cooldown_s:
            return State.HALF_OPEN
        return State.OPEN

    def allow(self) -> bool:
        """Whether a request may go to the backend now; in half-open state only one probe at a time."""
        with self._lock:
            state = self.state
            if state is State.CLOSED:
                return True
            if state is State.HALF_OPEN and not self.probing:
                self.probing = True
                return True
            return False

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self.probing = 0, None, False

    def release(self) -> None:
        """A request ended without telling whether the backend works: let another probe through."""
        with self._lock:
            self.probing = False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.probing or self.failures >= self.threshold:
                self.opened_at = self.clock()
            self.probing = False


@dataclass
class BreakerBoard:
    """One breaker per backend id, created on first use with the board's settings."""

    threshold: int = 3
    cooldown_s: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _breakers: dict[str, CircuitBreaker] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, backend_id: str) -> CircuitBreaker:
        with self._lock:
            if backend_id not in self._breakers:
                self._breakers[backend_id] = CircuitBreaker(self.threshold, self.cooldown_s, self.clock)
            return self._breakers[backend_id]


BREAKERS = BreakerBoard()
