"""Pooling between municipalities (G16): the shared library's packs, each municipality's imports
and the use-case cards published for peers.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shared_packs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("publisher_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["tenants.id"],
            name=op.f("fk_shared_packs_publisher_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_packs")),
        sa.UniqueConstraint("publisher_id", "name", name="uq_shared_packs_publisher_name"),
    )
    op.create_index(op.f("ix_shared_packs_publisher_id"), "shared_packs", ["publisher_id"])
    op.create_table(
        "pack_imports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_municipality", sa.String(length=200), nullable=False),
        sa.Column("origin_deployment", sa.String(length=300), nullable=False),
        sa.Column("shared_pack_id", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_pack_imports_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_imports")),
    )
    op.create_index(op.f("ix_pack_imports_tenant_id"), "pack_imports", ["tenant_id"])
    op.create_index(op.f("ix_pack_imports_shared_pack_id"), "pack_imports", ["shared_pack_id"])
    op.create_table(
        "use_case_cards",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("publisher_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column("time_saved", sa.String(length=200), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["tenants.id"],
            name=op.f("fk_use_case_cards_publisher_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_case_cards")),
    )
    op.create_index(op.f("ix_use_case_cards_publisher_id"), "use_case_cards", ["publisher_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_use_case_cards_publisher_id"), table_name="use_case_cards")
    op.drop_table("use_case_cards")
    op.drop_index(op.f("ix_pack_imports_shared_pack_id"), table_name="pack_imports")
    op.drop_index(op.f("ix_pack_imports_tenant_id"), table_name="pack_imports")
    op.drop_table("pack_imports")
    op.drop_index(op.f("ix_shared_packs_publisher_id"), table_name="shared_packs")
    op.drop_table("shared_packs")
