"""Loopback ports for servers the tests start as real processes."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

Started = TypeVar("Started")


def free_port() -> int:
    """A port free a moment ago: another process may take it before ours binds it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def refused_port() -> Iterator[int]:
    """A port held bound but not listening: connections are refused and no other process takes it."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        yield int(closed.getsockname()[1])


def start_with_retries(start: Callable[[], Started | None], attempts: int = 5) -> Started | None:
    """``start`` again while it reports (None) that another process took its free port first."""
    for _attempt in range(attempts):
        started = start()
        if started is not None:
            return started
    return None
