"""Stored policies, the decisions they produced, and the contests users raise against blocks.

A decision row keeps the rule and outcome only, never the request text: the log shows how the policy
is applied without becoming a second copy of what staff typed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from balise.db.base import Base, TenantScoped, Timestamped, new_id, utcnow


class StoredPolicy(TenantScoped, Base):
    """A tenant's own policy, kept as the YAML an administrator imports and exports."""

    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_policies_tenant"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    yaml_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyDecision(TenantScoped, Timestamped, Base):
    """One verdict of the policy on one request: which rule, which outcome, how sure; no text."""

    __tablename__ = "policy_decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(8), index=True)
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    requirement: Mapped[str] = mapped_column(String(8), default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)

    contest: Mapped[PolicyContest | None] = relationship(back_populates="decision", lazy="selectin")


class ContestStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the block stands
    OVERTURNED = "overturned"  # the block was wrong; the manager refines the policy


class PolicyContest(TenantScoped, Timestamped, Base):
    """A user's objection to a block, and the manager's answer to it."""

    __tablename__ = "policy_contests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    decision_id: Mapped[str] = mapped_column(
        ForeignKey("policy_decisions.id", ondelete="CASCADE"), unique=True, index=True
    )
    user_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ContestStatus.OPEN.value, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    decision: Mapped[PolicyDecision] = relationship(back_populates="contest", lazy="joined")
