"""Bias-probe runs of each municipality (P5, P7).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bias_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("probe", sa.String(length=32), nullable=False),
        sa.Column("backend", sa.String(length=120), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_bias_runs_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bias_runs")),
    )
    op.create_index(op.f("ix_bias_runs_tenant_id"), "bias_runs", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("bias_runs")
