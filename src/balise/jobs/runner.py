"""Who runs the queue's jobs: never a web request's thread.

* production (PostgreSQL, several ``balise serve``): ``balise worker`` processes started by the
  operator (systemd, compose…);
* embedded default (SQLite, ``make run``): ``balise serve`` starts one ``balise worker`` as its own
  child process (:class:`WorkerProcess`) and stops it when it stops. Parsing and embedding then
  never take the web process's CPU time or its interpreter lock, and every database write they make
  is a short transaction, so web requests never wait behind them.

The ``inline_jobs`` setting (``BALISE_INLINE_JOBS``) overrides the choice, which defaults to a child
worker on SQLite only.

``serve`` supervises its worker (:class:`WorkerSupervisor`): a worker that dies is started again,
after 1, 2, 4… up to 60 s (back to 1 s after a healthy minute), and its jobs' leases end at once.
No worker outlives its ``serve``: ``serve`` stops it on exit, and when ``serve`` is killed the kernel
sends the worker SIGTERM (PDEATHSIG, which Linux fires when the *thread* that started the child ends:
the supervisor's thread lives as long as ``serve``) and the worker watches its parent's pid as well.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping

from sqlalchemy import Engine

from balise.config import get_settings

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
STOP_SECONDS = 30.0
"""How long ``serve`` waits for its worker to stop before killing it (the worker needs at most 25 s)."""
PARENT_PID_VARIABLE = "BALISE_WORKER_PARENT_PID"
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 60.0
HEALTHY_SECONDS = 60.0
"""A worker that ran this long without dying is healthy: the next restart waits the least again."""


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
        environment = {**self._environment, PARENT_PID_VARIABLE: str(os.getpid())}
        self._process = subprocess.Popen(command, env=environment, preexec_fn=preexec)
        log.info("worker process %d started beside the web app", self._process.pid)

    def exit_code(self) -> int | None:
        return None if self._process is None else self._process.poll()

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


def restart_delay(failures: int) -> float:
    """Seconds to wait before the ``failures``-th restart in a row: 1, 2, 4… up to a minute."""
    return min(RESTART_FIRST_SECONDS * 2 ** max(0, failures - 1), RESTART_MAX_SECONDS)


class WorkerSupervisor:
    """Keeps one :class:`WorkerProcess` running beside ``balise serve``, from a thread of its own.

    The thread starts every worker and lives until :meth:`stop`: PDEATHSIG, tied to the thread that
    started the child, then fires only when ``serve`` itself dies.
    """

    def __init__(
        self, engine: Engine, environment: Mapping[str, str] | None = None, *, poll_seconds: float = 0.5
    ) -> None:
        self._engine = engine
        self._worker = WorkerProcess(environment)
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="balise-worker-supervisor", daemon=True)
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        return self._worker.pid

    def start(self) -> None:
        self._thread.start()
        self._started.wait(timeout=30)

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Stops supervising, then stops the worker (SIGTERM, then SIGKILL after ``timeout``)."""
        self._stopping.set()
        self._thread.join()
        self._worker.stop(timeout)

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._worker.start()
            self._started.set()
            started = time.monotonic()
            while self._worker.running() and not self._stopping.wait(self._poll_seconds):
                pass
            if self._stopping.is_set():
                return
            pid, code = self._worker.pid, self._worker.exit_code()
            failures = 1 if time.monotonic() - started >= HEALTHY_SECONDS else failures + 1
            delay = restart_delay(failures)
            log.warning("worker process %s exited (code %s); restarting it in %.0f s", pid, code, delay)
            self._release_jobs_of(pid)
            if self._stopping.wait(delay):
                return
            self.restarts += 1

    def _release_jobs_of(self, pid: int | None) -> None:
        from balise.jobs.lifecycle import expire_leases_of

        if pid is None:
            return
        try:
            expired = expire_leases_of(self._engine, socket.gethostname(), pid)
        except Exception:  # the leases then lapse by themselves within half a minute
            log.warning("the jobs of the dead worker %s could not be released", pid, exc_info=True)
            return
        if expired:
            log.warning("%d job(s) of the dead worker %s are taken again at once", expired, pid)


__all__ = ["WorkerProcess", "WorkerSupervisor", "restart_delay", "serve_starts_worker"]
