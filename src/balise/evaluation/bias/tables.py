"""The stored bias-probe runs of each municipality (P5, P7): figures only, never a drafted text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id


class BiasRun(TenantScoped, Timestamped, Base):
    """One probe's run: which probe, against which model (none for the templates' title check), its
    figures (``balise eval bias --json`` gives the same) and whether it flagged a gap.

    ``example`` marks the demo's worked example, computed with a scripted stand-in for a model: shown
    as an example, never counted as evidence on the conformity view.
    """

    __tablename__ = "bias_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    probe: Mapped[str] = mapped_column(String(32))
    backend: Mapped[str] = mapped_column(String(120), default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    example: Mapped[bool] = mapped_column(Boolean, default=False)
