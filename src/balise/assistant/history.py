"""Each person's conversation history: kept for the municipality's retention period, deletable at any time.

The history holds the person's own requests and answers, masked (``kept.py``): the rows hold
placeholders, the values stay in the privacy guard's vault and are put back for their owner only, on
reading. Every read is filtered by user as well as by tenant. Deleting a conversation also deletes its
placeholder vault entry, so no masked value outlives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.assistant.errors import ConversationNotFound
from balise.assistant.kept import ShownTurn, shown_title, shown_turns
from balise.assistant.models import Conversation, Turn
from balise.db.base import utcnow
from balise.errors import Invalid
from balise.guard.privacy import delete_placeholders, load_settings
from balise.tenancy import Tenant, store_setting

RETENTION_KEY = "assistant_retention_days"
MAX_RETENTION_DAYS = 3650
TITLE_LENGTH = 120


def retention_days(session: Session, tenant: Tenant) -> int:
    """The tenant's own period, else the privacy vault's: history and masked values expire together."""
    value = (tenant.settings or {}).get(RETENTION_KEY)
    if isinstance(value, int) and 1 <= value <= MAX_RETENTION_DAYS:
        return value
    return load_settings(session, tenant.id).retention_days


def set_retention_days(session: Session, tenant: Tenant, days: int, *, actor: str) -> None:
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise Invalid(
            "The retention period must be between 1 and {max} days; {days} was given.",
            max=MAX_RETENTION_DAYS,
            days=days,
        )
    store_setting(
        session,
        tenant,
        RETENTION_KEY,
        days,
        action="assistant.retention_set",
        actor=actor,
        details={"retention_days": days},
    )


def _title(request: str) -> str:
    line = " ".join(request.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def start_conversation(
    session: Session, tenant: Tenant, user_id: str, task: str, request: str
) -> Conversation:
    conversation = Conversation(
        tenant_id=tenant.id,
        user_id=user_id,
        task=task,
        title=_title(request),
        expires_at=utcnow() + timedelta(days=retention_days(session, tenant)),
    )
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(session: Session, user_id: str, conversation_id: str) -> Conversation:
    conversation = session.scalars(
        select(Conversation).where(
            Conversation.id == conversation_id,
            Conversation.user_id == user_id,
            Conversation.expires_at > utcnow(),
        )
    ).first()
    if conversation is None:
        raise ConversationNotFound(
            "This conversation does not exist, was deleted or has expired. Start a new one."
        )
    return conversation


def add_turn(
    session: Session,
    tenant: Tenant,
    conversation: Conversation,
    request: str,
    answer: str,
    details: dict[str, Any],
) -> Turn:
    """Appends a turn; each new turn restarts the retention period of its conversation."""
    position = session.scalar(
        select(func.count()).select_from(Turn).where(Turn.conversation_id == conversation.id)
    )
    turn = Turn(
        tenant_id=tenant.id,
        conversation_id=conversation.id,
        position=int(position or 0),
        request=request,
        answer=answer,
        details=details,
    )
    session.add(turn)
    conversation.updated_at = utcnow()
    conversation.expires_at = utcnow() + timedelta(days=retention_days(session, tenant))
    session.flush()
    return turn


def turns(session: Session, conversation: Conversation) -> list[ShownTurn]:
    """The turns of the person's own conversation, with the masked values put back for them."""
    stored = session.scalars(
        select(Turn).where(Turn.conversation_id == conversation.id).order_by(Turn.position)
    )
    return shown_turns(session, conversation, list(stored))


def conversation_title(session: Session, conversation: Conversation) -> str:
    """The title as its owner reads it (the stored one is masked)."""
    return shown_title(session, conversation)


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    task: str
    title: str
    updated_at: datetime
    expires_at: datetime
    turns: int


def list_conversations(session: Session, user_id: str) -> list[ConversationSummary]:
    """The person's live conversations, most recent first.

    Their expired ones are deleted on the way (the caller commits); ``balise purge-conversations``
    deletes everyone's with :func:`purge_expired`.
    """
    expired = session.execute(
        select(Conversation.tenant_id, Conversation.id).where(
            Conversation.user_id == user_id, Conversation.expires_at <= utcnow()
        )
    ).all()
    for tenant_id, conversation_id in expired:
        _forget(session, tenant_id, [conversation_id])
    counts = select(Turn.conversation_id, func.count().label("n")).group_by(Turn.conversation_id).subquery()
    rows = session.execute(
        select(Conversation, counts.c.n)
        .outerjoin(counts, counts.c.conversation_id == Conversation.id)
        .where(Conversation.user_id == user_id, Conversation.expires_at > utcnow())
        .order_by(Conversation.updated_at.desc())
    ).all()
    return [
        ConversationSummary(c.id, c.task, shown_title(session, c), c.updated_at, c.expires_at, int(n or 0))
        for c, n in rows
    ]


def _forget(session: Session, tenant_id: str, conversation_ids: list[str]) -> None:
    """Deletes the turns and erases the masked values kept for them."""
    if not conversation_ids:
        return
    session.execute(delete(Turn).where(Turn.conversation_id.in_(conversation_ids)))
    delete_placeholders(session, tenant_id, conversation_ids)
    session.execute(delete(Conversation).where(Conversation.id.in_(conversation_ids)))


def delete_conversation(session: Session, tenant_id: str, user_id: str, conversation_id: str) -> None:
    """The person deletes one conversation: its turns and its masked values go with it."""
    conversation = get_conversation(session, user_id, conversation_id)
    _forget(session, tenant_id, [conversation.id])
    audit.record(
        session,
        "assistant.conversation_deleted",
        actor=user_id,
        tenant_id=tenant_id,
        target_type="conversation",
        target_id=conversation_id,
    )


def delete_all(session: Session, tenant_id: str, user_id: str) -> int:
    """The person clears their whole history; returns how many conversations were deleted."""
    ids = list(session.scalars(select(Conversation.id).where(Conversation.user_id == user_id)))
    _forget(session, tenant_id, ids)
    audit.record(
        session,
        "assistant.history_cleared",
        actor=user_id,
        tenant_id=tenant_id,
        target_type="user",
        target_id=user_id,
        details={"conversations": len(ids)},
    )
    return len(ids)


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Deletes every conversation past its retention period (every tenant, for the CLI or a worker)."""
    rows = session.execute(
        select(Conversation.tenant_id, Conversation.id).where(Conversation.expires_at <= (now or utcnow()))
    ).all()
    for tenant_id, conversation_id in rows:
        _forget(session, tenant_id, [conversation_id])
    return len(rows)
