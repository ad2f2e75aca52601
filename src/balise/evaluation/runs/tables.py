"""A municipality's evaluation sets, and the runs that measured the assistant on them (P4, G7).

Questions and expected sources are written by staff (or taken from residents' feedback once staff
named the right source); a run keeps, per item, what the assistant cited and whether it passed, so
that a failed item is one click away from the run's figures.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id


class EvalSet(TenantScoped, Timestamped, Base):
    """A named set of questions; ``role`` is whose clearance its questions are asked with."""

    __tablename__ = "eval_sets"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="uq_eval_sets_tenant_name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(32), default="employee")


class EvalItem(TenantScoped, Timestamped, Base):
    """One question: the documents (title or file name) that answer it, optionally the expected answer,
    or ``abstain`` when no document answers it and the assistant should say so. ``origin`` is how it
    came: manual, import, feedback or validated."""

    __tablename__ = "eval_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    set_id: Mapped[str] = mapped_column(ForeignKey("eval_sets.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text, default="")
    abstain: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20), default="manual")


class EvalRun(TenantScoped, Timestamped, Base):
    """One run of a set: the contract's figures (``balise eval run --json``), the metrics below their
    threshold, the footprint of the model calls, and how it was started (cli, schedule, page, demo)."""

    __tablename__ = "eval_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    set_id: Mapped[str | None] = mapped_column(
        ForeignKey("eval_sets.id", ondelete="SET NULL"), index=True, default=None
    )
    set_name: Mapped[str] = mapped_column(String(120))
    trigger: Mapped[str] = mapped_column(String(20), default="cli")
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    below: Mapped[list[str]] = mapped_column(JSON, default=list)
    items: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    wh: Mapped[float] = mapped_column(Float, default=0.0)
    gco2e: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    example: Mapped[bool] = mapped_column(Boolean, default=False)


class EvalRunItem(TenantScoped, Base):
    """What one question of a run got: the titles cited, the answer's text, where search ranked the
    expected document, and why it failed (empty when it passed)."""

    __tablename__ = "eval_run_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    run_id: Mapped[str] = mapped_column(ForeignKey("eval_runs.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str | None] = mapped_column(
        ForeignKey("eval_items.id", ondelete="SET NULL"), default=None
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[str] = mapped_column(Text)
    expected: Mapped[list[str]] = mapped_column(JSON, default=list)
    cited: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text, default="")
    rank: Mapped[int | None] = mapped_column(Integer, default=None)
    failure: Mapped[str] = mapped_column(String(32), default="")
    ms: Mapped[float] = mapped_column(Float, default=0.0)
