"""What pooling keeps: the packs a municipality published in the deployment's shared library, and
every pack it imported with what arrived.

A published pack is not tenant-scoped: other municipalities of the deployment read it, read-only,
and only once its publisher chose to publish it. The service is the one place that reads this table,
always filtered by publisher or by ``published``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class SharedPack(Base):
    """A pack a municipality published (or withdrew); one row per publisher and name, its version
    raised at each new publication so subscribers are told."""

    __tablename__ = "shared_packs"
    __table_args__ = (UniqueConstraint("publisher_id", "name", name="uq_shared_packs_publisher_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    publisher_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    document: Mapped[str] = mapped_column(Text)
    """The pack file itself, exactly as a download would give it."""
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class PackImport(TenantScoped, Base):
    """One pack imported by a municipality: its origin, its version and each item's fate."""

    __tablename__ = "pack_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)
    origin_municipality: Mapped[str] = mapped_column(String(200))
    origin_deployment: Mapped[str] = mapped_column(String(300))
    shared_pack_id: Mapped[str] = mapped_column(String(32), default="", index=True)
    """The library's pack it came from ("" for a file): a newer version there is announced."""
    sha256: Mapped[str] = mapped_column(String(64))
    outcomes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Each item: ``{"kind", "title", "status" (added|present|refused), "reason"}``."""
    imported_by: Mapped[str] = mapped_column(String(32), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class UseCaseCard(Base):
    """What a municipality tried with AI, the time it saved and its lessons, published for its peers
    of the deployment (not tenant-scoped for the same reason as :class:`SharedPack`)."""

    __tablename__ = "use_case_cards"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    publisher_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    tried: Mapped[str] = mapped_column(Text)
    time_saved: Mapped[str] = mapped_column(String(200), default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
