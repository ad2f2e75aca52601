"""What the Swiss instruments keep (L2, nLPD art. 12 and 22): the register of processing activities
and one data-protection impact assessment per AI system.

Both name their AI system by id without a foreign key, as the register's vendor link does: a copy of
``governance_systems`` (SQLite) or a schema check dropping it (PostgreSQL) must not cascade here.
Entries are edited in place; the audit log keeps who changed what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class ProcessingActivity(TenantScoped, Base):
    """One entry of the register of processing activities (nLPD art. 12 al. 2)."""

    __tablename__ = "governance_processing_activities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    system_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    name: Mapped[str] = mapped_column(String(200))
    controller: Mapped[str] = mapped_column(Text, default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    data_subjects: Mapped[str] = mapped_column(Text, default="")
    data_categories: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    retention: Mapped[str] = mapped_column(Text, default="")
    security: Mapped[str] = mapped_column(Text, default="")
    abroad_countries: Mapped[str] = mapped_column(Text, default="")
    abroad_guarantees: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DataProtectionAssessment(TenantScoped, Base):
    """The data-protection impact assessment of one AI system (nLPD art. 22, prior consultation art. 23)."""

    __tablename__ = "governance_dpias"
    __table_args__ = (UniqueConstraint("system_id", name="uq_governance_dpias_system_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    system_id: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    risks: Mapped[str] = mapped_column(Text, default="")
    high_risk: Mapped[str] = mapped_column(String(8), default="")  # "", "yes", "no"
    measures: Mapped[str] = mapped_column(Text, default="")
    residual_risk: Mapped[str] = mapped_column(String(8), default="")  # "", "low", "medium", "high"
    consultation: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
