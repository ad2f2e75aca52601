"""What the strategic roadmap keeps (G14, G18): the six steps of the Valais guide, each with its owner,
due date, status and evidence, and the resource persons of each service (the pilot's first)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class RoadmapStep(TenantScoped, Base):
    """One of the six steps for one municipality (a row once someone has written something)."""

    __tablename__ = "roadmap_steps"
    __table_args__ = (UniqueConstraint("tenant_id", "step", name="uq_roadmap_steps_tenant_step"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    step: Mapped[str] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="todo")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ResourcePerson(TenantScoped, Base):
    """A person who promotes good use of AI in a service and shares experience with peers (G18)."""

    __tablename__ = "resource_persons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    service: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    pilot: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
