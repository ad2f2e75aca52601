"""``balise worker``: run background jobs from the shared database queue.

``balise.cli`` lists the command with its help and imports this module only when it runs.
"""

from __future__ import annotations

import logging
import os
import signal
from types import FrameType

import typer
from rich.console import Console

from balise.capabilities import load_job_handlers
from balise.config import get_settings
from balise.db import default_engine
from balise.db.migrate import ensure_schema
from balise.errors import BaliseError
from balise.i18n import N_, _
from balise.jobs.lifecycle import RELEASE_MARGIN_SECONDS, Companion, StopRequest, WorkerState
from balise.jobs.queue import default_worker_id, run_worker
from balise.jobs.runner import PARENT_PID_VARIABLE
from balise.jobs.schedules import queue_due
from balise.logs import configure_logging
from balise.warmup import warm_embedder

console = Console()


def worker(
    once: bool = typer.Option(False, "--once", help=N_("Process the queued jobs, then stop.")),
) -> None:
    from balise.cli import require_secret_key

    require_secret_key()
    settings = get_settings()
    # Set before any model loads: one compute thread per worker process by default, so that several
    # workers (or a worker beside `balise serve`) share the cores instead of oversubscribing them.
    os.environ["OMP_NUM_THREADS"] = str(max(1, settings.worker_threads))
    if settings.worker_niceness > 0 and hasattr(os, "nice"):
        os.nice(settings.worker_niceness)
    configure_logging(settings.log_format)  # JSON lines on standard error, with each job's request id
    load_job_handlers()  # the capabilities' handlers (balise.capabilities)
    engine = default_engine()
    try:
        ensure_schema(engine, get_settings().auto_migrate)  # on PostgreSQL: `balise migrate-db` migrates
    except BaliseError as exc:
        from balise.cli import fail

        raise fail(exc) from exc
    hard_stop = max(1.0, settings.worker_stop_seconds)
    stop = StopRequest(grace_seconds=max(0.0, hard_stop - RELEASE_MARGIN_SECONDS))

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    worker_id = default_worker_id()
    state = WorkerState(worker_id)
    parent = os.environ.get(PARENT_PID_VARIABLE, "")
    companion = Companion(  # beats from now on: /readyz need not wait for the model to load
        engine,
        state,
        stop,
        hard_stop_seconds=hard_stop,
        parent_pid=int(parent) if parent.isdigit() else None,
        queue_due=None if once else queue_due,
    )
    with companion:
        try:
            warm_embedder()
        except Exception:  # an embeddings server still starting: the first job will try again
            logging.getLogger(__name__).warning("the embedding model could not be loaded yet", exc_info=True)
        console.print(_("Worker {worker} started.").format(worker=worker_id))
        ran = run_worker(engine, worker_id=worker_id, stop_when_idle=once, stop=stop, state=state)
    console.print(_("Worker {worker} stopped after {count} job(s).").format(worker=worker_id, count=ran))
