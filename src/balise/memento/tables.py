"""What the memento keeps: each version of the municipality's internal directive, and who read it.

A version is never edited once saved: a manager's change saves a new version, so what an employee
acknowledged stays what they read. Sections are a list of ``{"key", "title", "body"}``; ``body`` is
plain text where a blank line starts a paragraph and a line starting with ``- `` is a list item.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class MementoVersion(TenantScoped, Base):
    """One version of the memento (G14, G6); adopted ones have ``adopted_on``, the newest adopted is
    the current version every employee is asked to acknowledge."""

    __tablename__ = "memento_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number", name="uq_memento_versions_tenant_number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    number: Mapped[int] = mapped_column(Integer)
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    adopted_on: Mapped[date | None] = mapped_column(Date, default=None)
    adopted_by: Mapped[str] = mapped_column(String(32), default="")
    adopted_at: Mapped[datetime | None] = mapped_column(default=None)


class MementoAcknowledgement(TenantScoped, Base):
    """An employee's statement that they read one version (kept when a newer version is adopted)."""

    __tablename__ = "memento_acknowledgements"
    __table_args__ = (
        UniqueConstraint("version_id", "user_id", name="uq_memento_acknowledgements_version_user"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    version_id: Mapped[str] = mapped_column(ForeignKey("memento_versions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)
