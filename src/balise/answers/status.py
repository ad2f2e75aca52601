"""When a validated answer stops being served: its time is past, or a document it rests on changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.answers.models import ValidatedAnswer
from balise.db import EVERY_CLASSIFICATION, utcnow
from balise.documents import Document

ACTIVE = "active"
EXPIRED = "expired"
SUSPENDED = "suspended"
STATUSES = (ACTIVE, EXPIRED, SUSPENDED)
SOURCE_CHANGED = "source_changed"
SOURCE_REMOVED = "source_removed"


def _aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _current_versions(session: Session, answers: Sequence[ValidatedAnswer]) -> dict[str, str]:
    """document id → SHA-256 of its current version, whatever the reader may read: only the answers'
    statuses are decided from it, nothing of the documents is shown."""
    ids = {s["document_id"] for a in answers for s in a.sources}
    if not ids:
        return {}
    rows = session.execute(
        select(Document.id, Document.sha256)
        .where(Document.id.in_(ids))
        .execution_options(**{EVERY_CLASSIFICATION: True})
    )
    return {row.id: row.sha256 for row in rows}


def _set(session: Session, answer: ValidatedAnswer, action: str, status: str, reason: str) -> None:
    answer.status, answer.status_reason = status, reason
    audit.record(
        session,
        action,
        actor="system",
        tenant_id=answer.tenant_id,
        target_type="validated_answer",
        target_id=answer.id,
        details={"reason": reason},
    )


def refresh(session: Session, answers: Sequence[ValidatedAnswer]) -> list[ValidatedAnswer]:
    """Suspends active answers whose source changed or disappeared, expires those past their date;
    returns the same answers (the caller commits)."""
    active = [a for a in answers if a.status == ACTIVE]
    versions = _current_versions(session, active)
    now = utcnow()
    for answer in active:
        changed = [s for s in answer.sources if versions.get(s["document_id"]) != s["sha256"]]
        if any(s["document_id"] not in versions for s in changed):
            _set(session, answer, "answers.suspended", SUSPENDED, SOURCE_REMOVED)
        elif changed:
            _set(session, answer, "answers.suspended", SUSPENDED, SOURCE_CHANGED)
        elif _aware(answer.expires_at) <= now:
            _set(session, answer, "answers.expired", EXPIRED, "")
    return list(answers)
