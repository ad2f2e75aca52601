"""What the pilot measurement keeps (G15, G19, G20): the time-consuming processes of the pilot service
with their time before and after and how each was redesigned, the interim review's own words, and
the two communications of its results (to staff and to residents)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow
from balise.i18n import N_

PERIOD_DAYS = 90
"""The interim review reads Balise's own figures over this many days."""
AUDIENCES = {"council": N_("The council"), "staff": N_("Staff"), "residents": N_("The public")}
"""Whom a communication speaks to (``Communication.audience``)."""


class PilotProcess(TenantScoped, Base):
    """One process mapped in the pilot: measured before, redesigned, then measured after (G15, G20)."""

    __tablename__ = "pilot_processes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(120))
    steps: Mapped[str] = mapped_column(Text, default="")
    minutes_before: Mapped[float] = mapped_column(Float)
    """Minutes one occurrence takes before the pilot."""
    occurrences: Mapped[float] = mapped_column(Float)
    """Occurrences per month."""
    redesign: Mapped[str] = mapped_column(Text, default="")
    """What changed: the steps removed or simplified, not the old process with AI bolted on (G20)."""
    minutes_after: Mapped[float | None] = mapped_column(Float, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InterimReview(TenantScoped, Base):
    """The interim review's text the manager writes (its figures are read live), one per municipality."""

    __tablename__ = "pilot_reviews"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_pilot_reviews_tenant_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    challenges: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Communication(TenantScoped, Base):
    """The review's results told to one audience: drafted, approved by a manager, then published."""

    __tablename__ = "pilot_communications"
    __table_args__ = (UniqueConstraint("tenant_id", "audience", name="uq_pilot_communications_audience"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    audience: Mapped[str] = mapped_column(String(16))  # staff, residents
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, approved, published
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
