"""Tables of the citizen assistant: exchanges with residents, requests for a person, and the
reviewer approvals that make a public document visible to residents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id, utcnow


class CitizenExchange(TenantScoped, Timestamped, Base):
    """One resident question and what Balise did with it; texts are stored masked.

    ``session_hash`` is the SHA-256 of the resident's session id, never the id itself. ``outcome``
    is ``answered`` or ``redirected``; ``reason`` says why a person was suggested instead.
    """

    __tablename__ = "citizen_exchanges"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    session_hash: Mapped[str] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32), default="")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    masked: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    feedback: Mapped[str] = mapped_column(String(16), default="")  # useful | not_useful | problem
    trace: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    """How the answer was reached (``balise.assistant.tracing``), kept and deleted with the exchange."""


class CitizenRequest(TenantScoped, Timestamped, Base):
    """A resident's request for a person (escalation) or a reported problem, in the staff queue.

    ``transcript`` is the pseudonymised conversation; ``contact`` is how the resident asked to be
    answered (given on purpose, deleted with the request). The follow-up page is reached with a
    random token whose SHA-256 is ``token_hash``.
    """

    __tablename__ = "citizen_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(16))  # escalation | problem | not_useful
    reference: Mapped[str] = mapped_column(String(16), index=True)
    session_hash: Mapped[str] = mapped_column(String(64), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    exchange_id: Mapped[str | None] = mapped_column(String(32), default=None)
    message: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | closed
    staff_answer: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[str | None] = mapped_column(String(32), default=None)
    handled_at: Mapped[datetime | None] = mapped_column(default=None)


class PublicApproval(TenantScoped, Base):
    """A reviewer's approval that one version (SHA-256) of a public document may reach residents (D1, P2).

    A changed file or a document that leaves ``public`` needs a new approval.
    """

    __tablename__ = "citizen_public_approvals"
    __table_args__ = (UniqueConstraint("document_id", name="uq_citizen_public_approvals_document_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(32))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
