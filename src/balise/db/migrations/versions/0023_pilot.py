"""The pilot's processes measured before and after with their redesign, the interim review and its
communications to staff and residents (G15, G19, G20).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
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
        "pilot_processes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("minutes_before", sa.Float(), nullable=False),
        sa.Column("occurrences", sa.Float(), nullable=False),
        sa.Column("redesign", sa.Text(), nullable=False),
        sa.Column("minutes_after", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("pilot_processes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_processes")),
    )
    op.create_index(op.f("ix_pilot_processes_tenant_id"), "pilot_processes", ["tenant_id"])
    op.create_table(
        "pilot_reviews",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("challenges", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("pilot_reviews"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_reviews")),
        sa.UniqueConstraint("tenant_id", name="uq_pilot_reviews_tenant_id"),
    )
    op.create_index(op.f("ix_pilot_reviews_tenant_id"), "pilot_reviews", ["tenant_id"])
    op.create_table(
        "pilot_communications",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("pilot_communications"),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["users.id"],
            name=op.f("fk_pilot_communications_approved_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilot_communications")),
        sa.UniqueConstraint("tenant_id", "audience", name="uq_pilot_communications_audience"),
    )
    op.create_index(op.f("ix_pilot_communications_tenant_id"), "pilot_communications", ["tenant_id"])


def downgrade() -> None:
    for table in ("pilot_communications", "pilot_reviews", "pilot_processes"):
        op.drop_index(op.f(f"ix_{table}_tenant_id"), table_name=table)
        op.drop_table(table)
