"""The strategic roadmap's six steps and the resource persons of each service (G14, G18).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
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
        "roadmap_steps",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("roadmap_steps"),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_roadmap_steps_owner_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roadmap_steps")),
        sa.UniqueConstraint("tenant_id", "step", name="uq_roadmap_steps_tenant_step"),
    )
    op.create_index(op.f("ix_roadmap_steps_tenant_id"), "roadmap_steps", ["tenant_id"])
    op.create_table(
        "resource_persons",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("pilot", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("resource_persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_persons")),
    )
    op.create_index(op.f("ix_resource_persons_tenant_id"), "resource_persons", ["tenant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_resource_persons_tenant_id"), table_name="resource_persons")
    op.drop_table("resource_persons")
    op.drop_index(op.f("ix_roadmap_steps_tenant_id"), table_name="roadmap_steps")
    op.drop_table("roadmap_steps")
