"""Loopback ports for servers the tests start as real processes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx

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


def start_serve(
    data_dir: Path, env: Mapping[str, str], log: Path, seconds: float
) -> tuple[subprocess.Popen[bytes], str] | None:
    """``balise serve`` on a free port, logging to ``log``; None when another process took the port.

    Its log goes to a file: a pipe nobody reads would block the server once full. The server is
    ready when it says it listens (so the port is this process's, not another worker's) and /readyz
    answers 200 (models loaded, and on SQLite its worker alive).
    """
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "balise.cli", "serve", "--port", str(port)],
            env=dict(env),
            cwd=data_dir,
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if base in log.read_text(errors="replace"):  # serve names its address once it listens
            try:
                if httpx.get(base + "/readyz", timeout=10).status_code == 200:
                    return process, base
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    process.kill()
    process.wait(timeout=10)
    return None
