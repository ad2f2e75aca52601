"""Swiss data protection (L2): the register of processing activities (nLPD art. 12) and the
data-protection impact assessments of AI systems (nLPD art. 22).

The jurisdiction itself needs no column: it is the municipality's region (``QC``, ``CH-VS``, …),
which the gateway already reads for data residency.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 22:45:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

ACTIVITY_TEXTS = (
    "controller",
    "purpose",
    "data_subjects",
    "data_categories",
    "recipients",
    "retention",
    "security",
    "abroad_countries",
    "abroad_guarantees",
)


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "governance_processing_activities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in ACTIVITY_TEXTS),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("governance_processing_activities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_processing_activities")),
    )
    for column in ("tenant_id", "system_id"):
        op.create_index(
            op.f(f"ix_governance_processing_activities_{column}"),
            "governance_processing_activities",
            [column],
        )
    op.create_table(
        "governance_dpias",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in ("description", "risks")),
        sa.Column("high_risk", sa.String(length=8), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("residual_risk", sa.String(length=8), nullable=False),
        sa.Column("consultation", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("governance_dpias"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_dpias")),
        sa.UniqueConstraint("system_id", name="uq_governance_dpias_system_id"),
    )
    for column in ("tenant_id", "system_id"):
        op.create_index(op.f(f"ix_governance_dpias_{column}"), "governance_dpias", [column])


def downgrade() -> None:
    op.drop_table("governance_dpias")
    op.drop_table("governance_processing_activities")
