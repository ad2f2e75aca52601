"""Adoption cases and vendor assessments (G1, G3, G17, P1, P8, G19); a system names its vendor.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 19:45:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "governance_vendors",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hosting", sa.String(length=40), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=False)
            for name in ("jurisdiction", "retention", "certifications", "subcontractors")
        ),
        sa.Column("training_reuse", sa.String(length=16), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in ("export_formats", "exit_clause")),
        sa.Column("openai_compatible", sa.String(length=16), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in ("interoperability", "price")),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("governance_vendors"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_vendors")),
    )
    op.create_index(op.f("ix_governance_vendors_tenant_id"), "governance_vendors", ["tenant_id"])
    texts = (
        "objectives",
        "need",
        "alternatives",
        "success_measures",
        "environmental_cost",
        "acceptability_method",
        "acceptability_result",
        "staff_autonomy",
        "staff_workload",
        "dehumanisation",
        "public_service",
    )
    op.create_table(
        "governance_adoption_cases",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in texts[:3]),
        *(sa.Column(name, sa.Float(), nullable=True) for name in ("budget_licences", "budget_hours")),
        sa.Column("budget_training", sa.Float(), nullable=True),
        *(sa.Column(name, sa.Text(), nullable=False) for name in texts[3:]),
        sa.Column("council_date", sa.Date(), nullable=True),
        sa.Column("council_resolution", sa.String(length=80), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("document_name", sa.String(length=200), nullable=False),
        sa.Column("document_type", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("governance_adoption_cases"),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["governance_systems.id"],
            name=op.f("fk_governance_adoption_cases_system_id_governance_systems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_adoption_cases")),
        sa.UniqueConstraint("system_id", name="uq_governance_adoption_cases_system_id"),
    )
    op.create_index(
        op.f("ix_governance_adoption_cases_tenant_id"), "governance_adoption_cases", ["tenant_id"]
    )
    op.create_index(
        op.f("ix_governance_adoption_cases_system_id"), "governance_adoption_cases", ["system_id"]
    )
    # Added in place, never through a batch copy: on SQLite a copy of the register drops the old table,
    # and with it (ON DELETE CASCADE) every assessment and role of its systems.
    op.add_column(
        "governance_systems", sa.Column("vendor_assessment_id", sa.String(length=32), nullable=True)
    )
    op.add_column(
        "governance_systems", sa.Column("no_vendor", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("governance_systems", "no_vendor")
    op.drop_column("governance_systems", "vendor_assessment_id")
    op.drop_table("governance_adoption_cases")
    op.drop_table("governance_vendors")
