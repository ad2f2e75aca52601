"""``balise worker``: run background jobs from the shared database queue.

``balise.cli`` lists the command with its help and imports this module only when it runs.
"""

from __future__ import annotations

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

console = Console()


def worker(
    once: bool = typer.Option(False, "--once", help=N_("Process the queued jobs, then stop.")),
) -> None:
    load_job_handlers()  # the capabilities' handlers (balise.capabilities)
    engine = default_engine()
    try:
        ensure_schema(engine, get_settings().auto_migrate)  # on PostgreSQL: `balise migrate-db` migrates
    except BaliseError as exc:
        from balise.cli import fail

        raise fail(exc) from exc
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    worker_id = default_worker_id()
    console.print(_("Worker {worker} started.").format(worker=worker_id))
    ran = run_worker(engine, worker_id=worker_id, stop_when_idle=once, stop=stop)
    console.print(_("Worker {worker} stopped after {count} job(s).").format(worker=worker_id, count=ran))
