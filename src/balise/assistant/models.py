"""Tables of the staff assistant: each person's conversations and the tenant's drafting templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id, utcnow


class Conversation(TenantScoped, Timestamped, Base):
    """A person's exchange with one task; deleted by them or when the tenant's retention period ends."""

    __tablename__ = "assistant_conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class Turn(TenantScoped, Timestamped, Base):
    """One request and its result; ``details`` keeps what the result page needs to show it again."""

    __tablename__ = "assistant_turns"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("assistant_conversations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    request: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DraftTemplate(TenantScoped, Timestamped, Base):
    """A municipality's own version of a drafting template; absent means the shipped default."""

    __tablename__ = "assistant_templates"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", name="uq_assistant_templates_kind"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    instructions: Mapped[str] = mapped_column(Text)
    skeleton: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(32), default="")
