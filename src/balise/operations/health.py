"""Liveness and readiness: what a load balancer or an orchestrator asks before sending traffic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from balise.config import get_settings
from balise.db.migrate import current_revision, head_revision
from balise.db.schema_check import missing_tables
from balise.errors import BaliseError
from balise.i18n import _
from balise.operations.workers import workers_expected, workers_of
from balise.warmup import models_loading


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str
    revision: str
    expected: str
    reason: str = ""
    status: str = "not_ready"
    """``ready``, ``not_ready`` (the database) or ``starting`` (models loading, no worker yet)."""


def readiness(engine: Engine) -> Readiness:
    """Ready when the database answers, its schema is at the expected revision and has every table,
    this process's models are loaded and, when workers are expected, one of them beats."""
    expected = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
        missing = missing_tables(engine)
    except (DBAPIError, BaliseError) as exc:
        reason = exc.localized() if isinstance(exc, BaliseError) else "database unreachable"
        return Readiness(False, engine.dialect.name, "", expected, reason)
    if revision != expected:
        return Readiness(
            False, engine.dialect.name, revision, expected, "schema not current: run balise migrate-db"
        )
    if missing:  # at the newest revision, yet tables are missing: a released migration was changed
        reason = "tables missing: " + ", ".join(missing) + " (run balise migrate-db --check)"
        return Readiness(False, engine.dialect.name, revision, expected, reason)
    if models_loading():
        reason = _("starting: the language models are loading")
        return Readiness(False, engine.dialect.name, revision, expected, reason, "starting")
    if workers_expected() and not any(view.alive for view in workers_of(engine)):
        reason = _(
            "no active worker: none has sent a heartbeat for {seconds} s; documents and scheduled jobs "
            "wait. Check the worker's log, or restart balise serve or balise worker."
        ).format(seconds=int(get_settings().worker_stale_seconds))
        return Readiness(False, engine.dialect.name, revision, expected, reason)
    return Readiness(True, engine.dialect.name, revision, expected, status="ready")
