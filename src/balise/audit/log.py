"""Recording and verifying the hash chain.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting any
entry breaks every hash after it. ``seq`` is the primary key: two writers racing for the same
position make one of them fail and retry, which keeps the chain linear on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from balise.audit.models import AuditEntry, AuditHead
from balise.db.base import utcnow
from balise.logs import current_request_id

GENESIS = "0" * 64
FORBIDDEN_DETAIL_KEYS = {"text", "value", "values", "prompt", "answer", "email", "name", "password"}


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    payload = {
        "seq": entry.seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "tenant_id": entry.tenant_id,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def record(
    session: Session,
    action: str,
    *,
    actor: str,
    tenant_id: str | None,
    target_type: str = "",
    target_id: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one event to the caller's transaction: the event and the action commit together.

    ``details`` holds ids, counts and labels; keys that usually carry content are refused outright.
    The id of the request (or of the job's request) being served is added as ``request_id``.
    """
    details = dict(details or {})
    leaked = FORBIDDEN_DETAIL_KEYS & set(details)
    if leaked:
        raise ValueError(f"audit details must not carry content: {sorted(leaked)}")
    request_id = current_request_id()
    if request_id is not None:  # inside the hashed details: the link to the logs cannot be edited either
        details.setdefault("request_id", request_id)
    # The head row is never loaded as an object, so the ORM need not search the session to sync it
    # (on a busy request's session, that search cost more than the update).
    head = session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.hash)
        .execution_options(synchronize_session=False)
    ).first()
    if head is None:
        session.add(AuditHead(id=1, seq=1, hash=GENESIS))
        session.flush()
        seq, prev_hash = 1, GENESIS
    else:
        seq, prev_hash = head.seq, head.hash
    entry = AuditEntry(
        seq=seq,
        at=utcnow(),
        tenant_id=tenant_id,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.execute(
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(hash=entry.hash)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify(session: Session) -> list[ChainBreak]:
    """Every place where the chain does not hold; an empty list means the log is intact."""
    breaks: list[ChainBreak] = []
    expected_prev, expected_seq = GENESIS, 1
    for entry in iter_entries(session):
        if entry.seq != expected_seq:
            breaks.append(ChainBreak(expected_seq, f"missing entries {expected_seq}..{entry.seq - 1}"))
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.seq, "previous-hash link broken"))
        if entry_hash(entry) != entry.hash:
            breaks.append(ChainBreak(entry.seq, "content changed after it was written"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return breaks


def iter_entries(session: Session, tenant_id: str | None = None, batch: int = 1000) -> Iterator[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.seq)
    if tenant_id is not None:
        stmt = stmt.where(AuditEntry.tenant_id == tenant_id)
    yield from session.scalars(stmt.execution_options(yield_per=batch))


def latest_entries(
    session: Session, tenant_id: str, *, page: int = 1, per_page: int = 50
) -> list[AuditEntry]:
    """One page of a municipality's entries, newest first (what its journal page shows)."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.tenant_id == tenant_id)
        .order_by(AuditEntry.seq.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return list(session.scalars(stmt))


def as_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat() if isinstance(entry.at, datetime) else str(entry.at),
        "tenant_id": entry.tenant_id,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
