"""The memento (G14, G6): versions of the internal directive and the staff's acknowledgements.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 19:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
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
        "memento_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("adopted_by", sa.String(length=32), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant("memento_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memento_versions")),
        sa.UniqueConstraint("tenant_id", "number", name="uq_memento_versions_tenant_number"),
    )
    op.create_index(op.f("ix_memento_versions_tenant_id"), "memento_versions", ["tenant_id"])
    op.create_table(
        "memento_acknowledgements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("version_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("memento_acknowledgements"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["memento_versions.id"],
            name=op.f("fk_memento_acknowledgements_version_id_memento_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_memento_acknowledgements_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memento_acknowledgements")),
        sa.UniqueConstraint("version_id", "user_id", name="uq_memento_acknowledgements_version_user"),
    )
    op.create_index(op.f("ix_memento_acknowledgements_tenant_id"), "memento_acknowledgements", ["tenant_id"])
    op.create_index(
        op.f("ix_memento_acknowledgements_version_id"), "memento_acknowledgements", ["version_id"]
    )
    op.create_index(op.f("ix_memento_acknowledgements_user_id"), "memento_acknowledgements", ["user_id"])


def downgrade() -> None:
    op.drop_table("memento_acknowledgements")
    op.drop_table("memento_versions")
