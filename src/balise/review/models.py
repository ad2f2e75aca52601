"""What review keeps: AI-assisted outputs, the comments on them, and the notifications they cause."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow
from balise.i18n import N_


class Purpose(StrEnum):
    """What an output is for; public communication and decisions about a person need approval (D1, P2)."""

    INTERNAL = "internal"
    PUBLIC = "public"
    DECISION = "decision"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


PURPOSE_LABELS = {
    Purpose.INTERNAL: N_("Internal use"),
    Purpose.PUBLIC: N_("Public communication"),
    Purpose.DECISION: N_("Decision about a person"),
}
STATUS_LABELS = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Awaiting review"),
    Status.CHANGES_REQUESTED: N_("Changes requested"),
    Status.APPROVED: N_("Approved"),
    Status.REJECTED: N_("Rejected"),
}
NEEDS_APPROVAL = frozenset({Purpose.PUBLIC, Purpose.DECISION})
# What each kind of notification says; other capabilities add theirs with register_notification.
NOTIFICATION_LABELS: dict[str, str] = {
    "submitted": N_("A result was submitted for your review."),
    "commented": N_("A comment was added to a result."),
    "approved": N_("Your result was approved."),
    "changes_requested": N_("Changes were requested on your result."),
    "rejected": N_("Your result was rejected."),
}


def register_notification(kind: str, label: str) -> None:
    """Declare a kind of notification and its message (an English msgid, translated when shown)."""
    NOTIFICATION_LABELS[kind] = label


class Output(TenantScoped, Base):
    """One AI-assisted text, its provenance and where it stands in review.

    ``submitted_text`` is the text as the author last submitted it, so a reviewer's edits can be shown
    as a diff; ``notice`` holds the fields of the Law 25 s. 65.2 notice for decisions about a person.
    """

    __tablename__ = "review_outputs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    submitted_text: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(String(16), default=Purpose.INTERNAL.value)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(24), default=Status.DRAFT.value, index=True)
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    approved_by: Mapped[str | None] = mapped_column(String(200), default=None)
    approved_by_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    conversation_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    notice: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    minutes_saved: Mapped[int | None] = mapped_column(default=None)
    """What the author says the result saved them, in minutes (None: not said; 0: nothing)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReviewComment(TenantScoped, Base):
    """A comment on an output; ``kind`` tells whether it came with a decision (approved, rejected…)."""

    __tablename__ = "review_comments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    output_id: Mapped[str] = mapped_column(ForeignKey("review_outputs.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24), default="comment")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(TenantScoped, Base):
    """An in-app message to one person; the text comes from ``kind``, so no content is copied here.

    ``link`` is the page the notification leads to; ``output_id`` ties review notifications to their output.
    """

    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    output_id: Mapped[str | None] = mapped_column(
        ForeignKey("review_outputs.id", ondelete="CASCADE"), default=None
    )
    link: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
