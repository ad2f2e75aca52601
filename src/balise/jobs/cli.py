"""``balise worker``: run background jobs from the shared database queue.

``balise.cli`` lists the command with its help and imports this module only when it runs.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from types import FrameType

import typer
from rich.console import Console

from balise.capabilities import load_job_handlers
from balise.config import get_settings
from balise.db import default_engine
from balise.db.migrate import ensure_schema
from balise.errors import BaliseError
from balise.i18n import N_, _
from balise.jobs.queue import default_worker_id, run_worker
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
    try:
        warm_embedder()
    except Exception:  # an embeddings server still starting: the first job will try again
        logging.getLogger(__name__).warning("the embedding model could not be loaded yet", exc_info=True)
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    worker_id = default_worker_id()
    console.print(_("Worker {worker} started.").format(worker=worker_id))
    ran = run_worker(engine, worker_id=worker_id, stop_when_idle=once, stop=stop)
    console.print(_("Worker {worker} stopped after {count} job(s).").format(worker=worker_id, count=ran))
