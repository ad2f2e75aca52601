"""What the shadow-AI rules keep (D0, G8, G9): the municipality's sanctioned and forbidden AI
services with their domains, and its one policy row (the blocklist feed's key, when a blocklist was
last handed to IT, the consequences staff face).

The feed's key is never stored: the row keeps a random salt and the key is derived from it and the
instance secret, so a copy of the database alone does not open the feed, and a new salt revokes it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow
from balise.i18n import N_


class ServiceStatus(StrEnum):
    SANCTIONED = "sanctioned"  # staff may use it for their work
    FORBIDDEN = "forbidden"  # blocked on municipal devices; its use is an incident


SERVICE_STATUS_LABELS = {
    ServiceStatus.SANCTIONED: N_("Sanctioned"),
    ServiceStatus.FORBIDDEN: N_("Forbidden"),
}

# What may follow the use of a forbidden tool, from the mildest; G9 asks that they be defined.
CONSEQUENCES = {
    "reminder": N_("Reminder of the rules"),
    "training": N_("Training required"),
    "access_suspended": N_("Access suspended"),
    "disciplinary": N_("Disciplinary measure"),
}


class AIService(TenantScoped, Base):
    """One AI service the municipality sanctions or forbids, with the domains it answers on."""

    __tablename__ = "ai_services"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_ai_services_tenant_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default=ServiceStatus.FORBIDDEN.value)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AIServicePolicy(TenantScoped, Base):
    """The municipality's one row: the feed's key salt, the blocklist's publication, the consequences.

    ``published_at`` is the last time a blocklist left Balise (downloaded from the page or fetched at
    the stable address); ``forbidden_changed_at`` the last change of the forbidden list, so a
    blocklist older than the list shows as out of date.
    """

    __tablename__ = "ai_service_policies"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_ai_service_policies_tenant_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    key_salt: Mapped[str] = mapped_column(String(64))
    key_rotated_at: Mapped[datetime] = mapped_column(default=utcnow)
    consequences: Mapped[list[str]] = mapped_column(JSON, default=list)
    consequences_note: Mapped[str] = mapped_column(Text, default="")
    forbidden_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    published_format: Mapped[str] = mapped_column(String(16), default="")
    fetches: Mapped[int] = mapped_column(Integer, default=0)
