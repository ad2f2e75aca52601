"""What the adoption step keeps (G1, G3, P1, P8, G19): why a system is adopted and who supplies it.

An adoption case is one per system and is edited in place (the audit log keeps who changed what);
the council's resolution may be attached as a document kept in the database, so that a backup of the
database is the whole file. A vendor assessment belongs to the municipality and is named by any
number of its systems (and so by the models the register enters).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class AdoptionCase(TenantScoped, Base):
    """The need, the budget, acceptability, effects and the council's decision for one system."""

    __tablename__ = "governance_adoption_cases"
    __table_args__ = (UniqueConstraint("system_id", name="uq_governance_adoption_cases_system_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    system_id: Mapped[str] = mapped_column(
        ForeignKey("governance_systems.id", ondelete="CASCADE"), index=True
    )
    objectives: Mapped[str] = mapped_column(Text, default="")
    need: Mapped[str] = mapped_column(Text, default="")
    alternatives: Mapped[str] = mapped_column(Text, default="")
    budget_licences: Mapped[float | None] = mapped_column(Float, default=None)  # amount per year
    budget_hours: Mapped[float | None] = mapped_column(Float, default=None)  # staff hours
    budget_training: Mapped[float | None] = mapped_column(Float, default=None)  # amount
    success_measures: Mapped[str] = mapped_column(Text, default="")
    environmental_cost: Mapped[str] = mapped_column(Text, default="")
    acceptability_method: Mapped[str] = mapped_column(Text, default="")
    acceptability_result: Mapped[str] = mapped_column(Text, default="")
    staff_autonomy: Mapped[str] = mapped_column(Text, default="")
    staff_workload: Mapped[str] = mapped_column(Text, default="")
    dehumanisation: Mapped[str] = mapped_column(Text, default="")
    public_service: Mapped[str] = mapped_column(Text, default="")
    council_date: Mapped[date | None] = mapped_column(Date, default=None)
    council_resolution: Mapped[str] = mapped_column(String(80), default="")
    document: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    document_name: Mapped[str] = mapped_column(String(200), default="")
    document_type: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VendorAssessment(TenantScoped, Base):
    """One supplier as the municipality assessed it (G3, G17), scored criterion by criterion.

    ``scores`` maps each criterion of :data:`balise.governance.vendors.CRITERIA` to 0–4.
    """

    __tablename__ = "governance_vendors"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    hosting: Mapped[str] = mapped_column(String(40), default="")
    jurisdiction: Mapped[str] = mapped_column(Text, default="")
    training_reuse: Mapped[str] = mapped_column(String(16), default="")  # yes, no, unknown
    retention: Mapped[str] = mapped_column(Text, default="")
    certifications: Mapped[str] = mapped_column(Text, default="")
    subcontractors: Mapped[str] = mapped_column(Text, default="")
    export_formats: Mapped[str] = mapped_column(Text, default="")
    exit_clause: Mapped[str] = mapped_column(Text, default="")
    openai_compatible: Mapped[str] = mapped_column(String(16), default="")  # yes, no, unknown
    interoperability: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
