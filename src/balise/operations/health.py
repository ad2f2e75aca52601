"""Liveness and readiness: what a load balancer or an orchestrator asks before sending traffic."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from balise.db.migrate import current_revision, head_revision
from balise.errors import BaliseError


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str
    revision: str
    expected: str
    reason: str = ""


def readiness(engine: Engine) -> Readiness:
    """Ready when the database answers and its schema is the one this version expects."""
    expected = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except (DBAPIError, BaliseError) as exc:
        reason = exc.localized() if isinstance(exc, BaliseError) else "database unreachable"
        return Readiness(False, engine.dialect.name, "", expected, reason)
    if revision != expected:
        return Readiness(
            False, engine.dialect.name, revision, expected, "schema not current: run balise migrate-db"
        )
    return Readiness(True, engine.dialect.name, revision, expected)
