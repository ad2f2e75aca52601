"""The validated answers of each municipality: answers its staff checked, reused for the same question."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, Classified, TenantScoped, Timestamped, new_id, utcnow


class ValidatedAnswer(TenantScoped, Classified, Timestamped, Base):
    """An answer a reviewer approved or a staff member wrote, for one question (P4).

    ``question`` is stored as the privacy guard masked it. ``sources`` are the documents it rests on,
    each with the SHA-256 of the version that was checked ({document_id, sha256, title, page,
    chunk_id}): another version, or no document, suspends the answer. ``classification`` is the most
    sensitive of its sources', so a person only meets answers built on documents they may read.
    ``vector`` is the question's embedding (float32 bytes) by ``embedder``. ``status`` is
    ``active``, ``expired`` (past ``expires_at``, waiting for re-validation) or ``suspended``.
    """

    __tablename__ = "validated_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    classification: Mapped[str] = mapped_column(String(16), default="public")
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    embedder: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    status_reason: Mapped[str] = mapped_column(String(300), default="")
    origin: Mapped[str] = mapped_column(String(16), default="staff")  # staff | review
    output_id: Mapped[str | None] = mapped_column(String(32), default=None)
    validated_by: Mapped[str] = mapped_column(String(32))
    validated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
