"""Running a task while its answer is written: a worker thread with its own session relays the pieces.

The web layer turns the events into server-sent events; it opens no session and starts no thread.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from balise.assistant.results import TaskResult
from balise.db.session import SessionFactory, scope_session
from balise.errors import BaliseError

Delta = Callable[[str], None]
Run = Callable[[Session, Delta], TaskResult]


@dataclass(frozen=True)
class Event:
    """``delta`` (a piece of text, placeholders restored), then one of ``done`` (the result),
    ``error`` (a :class:`BaliseError` the person can act on) or ``crash`` (anything else, logged)."""

    kind: Literal["delta", "done", "error", "crash"]
    text: str = ""
    result: TaskResult | None = None
    error: Exception | None = None


def stream_task(engine: Engine, tenant_id: str, clearance: Collection[str], run: Run) -> Iterator[Event]:
    """Starts ``run(session, on_delta)`` at once in a worker thread (which keeps the caller's context:
    its language), in a session scoped to ``tenant_id`` and ``clearance`` that it commits on success;
    the events come as it writes."""
    events: queue.Queue[Event] = queue.Queue()

    def work() -> None:
        with SessionFactory(bind=engine) as session:
            scope_session(session, tenant_id, clearance)
            try:
                result = run(session, lambda text: events.put(Event("delta", text)))
                session.commit()
                events.put(Event("done", result=result))
            except BaliseError as exc:
                session.rollback()
                events.put(Event("error", error=exc))
            except Exception as exc:  # reported to the reader; the web layer logs it
                session.rollback()
                events.put(Event("crash", error=exc))

    worker = threading.Thread(target=contextvars.copy_context().run, args=(work,), daemon=True)
    worker.start()
    return _drain(events)


def _drain(events: queue.Queue[Event]) -> Iterator[Event]:
    while True:
        event = events.get()
        yield event
        if event.kind != "delta":
            return
