"""What the governance workspace keeps: AI systems, their roles, assessments, complaints, incidents.

Personal information of complainants (name, contact, message) is only ever stored encrypted
(:mod:`balise.governance.sealing`); the other fields describe systems and procedures, not people,
except the names of the staff responsible for a system, which the register publishes on purpose.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow
from balise.i18n import N_


class SystemStatus(StrEnum):
    """Life cycle of an AI system, as the Dutch register and the ATRS record it."""

    PLANNED = "planned"
    PILOT = "pilot"
    PRODUCTION = "production"
    RETIRED = "retired"


class SystemSource(StrEnum):
    BALISE_TASK = "balise_task"  # one of Balise's own tasks, entered automatically
    MODEL = "model"  # a model of the gateway registry, entered automatically
    MANUAL = "manual"  # any other tool the municipality declares


STATUS_LABELS = {
    SystemStatus.PLANNED: N_("Planned"),
    SystemStatus.PILOT: N_("Pilot"),
    SystemStatus.PRODUCTION: N_("In production"),
    SystemStatus.RETIRED: N_("Retired"),
}


class AISystem(TenantScoped, Base):
    """One AI system or tool of the municipality: a record of the register (G1, P3).

    The fields cover tiers 1 and 2 of the UK Algorithmic Transparency Recording Standard and the
    Dutch algorithm register; ``key`` ties the automatic entries to the task or model they describe.
    """

    __tablename__ = "governance_systems"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_governance_systems_tenant_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(160))
    source: Mapped[str] = mapped_column(String(16), default=SystemSource.MANUAL.value)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(80), default="")
    owner_team: Mapped[str] = mapped_column(String(200), default="")
    responsible_person: Mapped[str] = mapped_column(String(200), default="")
    responsible_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    supplier: Mapped[str] = mapped_column(String(200), default="")
    hosting: Mapped[str] = mapped_column(String(40), default="")
    data_used: Mapped[str] = mapped_column(Text, default="")
    human_oversight: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    mitigations: Mapped[str] = mapped_column(Text, default="")
    lawful_basis: Mapped[str] = mapped_column(Text, default="")
    impact_level: Mapped[int] = mapped_column(Integer, default=0)  # 0: not assessed yet, else 1–4
    # The supplier's assessment (G3); ``no_vendor`` declares a system built in-house, which has none.
    # No foreign key: SQLite adds one only by copying the table, whose drop would cascade to every
    # assessment and role. Vendor assessments are never deleted; a dangling id reads as none linked.
    vendor_assessment_id: Mapped[str | None] = mapped_column(String(32), default=None)
    no_vendor: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=SystemStatus.PLANNED.value)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SystemRole(TenantScoped, Base):
    """Who is responsible for what on one system (G4), e.g. the person in charge of PI protection."""

    __tablename__ = "governance_roles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    system_id: Mapped[str] = mapped_column(
        ForeignKey("governance_systems.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    person: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    duties: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(TenantScoped, Base):
    """One version of a system's impact assessment: answers, scores, level and privacy checklist."""

    __tablename__ = "governance_assessments"
    __table_args__ = (
        UniqueConstraint("system_id", "version", name="uq_governance_assessments_system_version"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    system_id: Mapped[str] = mapped_column(
        ForeignKey("governance_systems.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    privacy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raw_impact: Mapped[int] = mapped_column(Integer, default=0)
    mitigation: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    level: Mapped[int] = mapped_column(Integer, default=1)
    leaves_quebec: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"


class Complaint(TenantScoped, Base):
    """A citizen's complaint or request about an AI tool (G11, P2, L1 s. 63.3).

    ``sealed`` holds the complainant's name, contact and message, encrypted; ``client_hash`` is a
    keyed hash of their address, only to limit how many forms one client can send.
    """

    __tablename__ = "governance_complaints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="complaint")
    system_id: Mapped[str | None] = mapped_column(
        ForeignKey("governance_systems.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(16), default=ComplaintStatus.RECEIVED.value, index=True)
    assigned_to: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    sealed: Mapped[str] = mapped_column(Text)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The resident's follow-up link is a random token shown once; only its hash is kept.
    follow_up_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True, default=None)
    due_date: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(default=None)


class ComplaintEvent(TenantScoped, Base):
    """A reply, an internal note or a change of status on a complaint; text is kept encrypted."""

    __tablename__ = "governance_complaint_events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    complaint_id: Mapped[str] = mapped_column(
        ForeignKey("governance_complaints.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(String(16))  # reply, note, status, assigned
    sealed: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncidentStatus(StrEnum):
    PROPOSED = "proposed"  # from a platform signal, waiting for the privacy officer
    OPEN = "open"
    CLOSED = "closed"
    DISMISSED = "dismissed"


class Incident(TenantScoped, Base):
    """A confidentiality incident (A-2.1 s. 63.8–63.11 and its regulation's register fields).

    ``signal`` identifies the platform event an incident was proposed from, so that a signal is
    proposed once; the risk fields follow s. 63.10 (sensitivity, anticipated consequences, likelihood).
    """

    __tablename__ = "governance_incidents"
    __table_args__ = (UniqueConstraint("tenant_id", "signal", name="uq_governance_incidents_tenant_signal"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(16), default=IncidentStatus.OPEN.value, index=True)
    source: Mapped[str] = mapped_column(String(32), default="manual")
    # « confidentiality » or « unsanctioned_tool » (a forbidden AI service used, G9), and for the
    # latter the consequence applied to the person (a key of ``shadow_models.CONSEQUENCES``, or "").
    kind: Mapped[str] = mapped_column(String(32), default="confidentiality")
    consequence: Mapped[str] = mapped_column(String(32), default="")
    signal: Mapped[str | None] = mapped_column(String(80), default=None)
    system_id: Mapped[str | None] = mapped_column(
        ForeignKey("governance_systems.id", ondelete="SET NULL"), default=None
    )
    information_kinds: Mapped[str] = mapped_column(Text, default="")
    circumstances: Mapped[str] = mapped_column(Text, default="")
    occurred_on: Mapped[date | None] = mapped_column(Date, default=None)
    discovered_on: Mapped[date | None] = mapped_column(Date, default=None)
    people_affected: Mapped[int] = mapped_column(Integer, default=0)
    sensitivity: Mapped[int] = mapped_column(Integer, default=0)  # 0 low … 3 high
    consequences: Mapped[int] = mapped_column(Integer, default=0)
    likelihood: Mapped[int] = mapped_column(Integer, default=0)
    risk_notes: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    commission_notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    persons_notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    public_notice: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # counts and labels of the signal
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
