"""Who runs the queue's jobs: never a web request's thread.

* production (PostgreSQL, several ``balise serve``): ``balise worker`` processes started by the
  operator (systemd, compose…);
* embedded default (SQLite, ``make run``): ``balise serve`` starts one ``balise worker`` as its own
  child process (:class:`WorkerProcess`) and stops it when it stops. Parsing and embedding then
  never take the web process's CPU time or its interpreter lock, and every database write they make
  is a short transaction, so web requests never wait behind them.

The ``inline_jobs`` setting (``BALISE_INLINE_JOBS``) overrides the choice, which defaults to a child
worker on SQLite only.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Mapping

from sqlalchemy import Engine

from balise.config import get_settings

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
STOP_SECONDS = 20.0


def serve_starts_worker(engine: Engine) -> bool:
    """Whether ``balise serve`` starts a worker process beside the web app (see the module docstring)."""
    configured = get_settings().inline_jobs
    if configured is None:
        return engine.dialect.name == "sqlite"
    return bool(configured)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """On Linux, the worker receives SIGTERM if ``balise serve`` dies without stopping it."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class WorkerProcess:
    """A ``balise worker`` child process, started and stopped by its parent."""

    def __init__(self, environment: Mapping[str, str] | None = None) -> None:
        self._environment = dict(environment if environment is not None else os.environ)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        command = [sys.executable, "-m", "balise.cli", "worker"]
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        self._process = subprocess.Popen(command, env=self._environment, preexec_fn=preexec)
        log.info("worker process %d started beside the web app", self._process.pid)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Asks the worker to finish its current batch and stop; kills it if it does not in time."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        log.info("worker process %d stopped", self._process.pid)


__all__ = ["WorkerProcess", "serve_starts_worker"]
