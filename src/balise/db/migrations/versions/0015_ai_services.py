"""Sanctioned and forbidden AI services, the blocklist feed and consequences (D0, G8, G9); the kind
of an incident and the consequence applied.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
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
        "ai_services",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("domains", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("ai_services"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_services")),
        sa.UniqueConstraint("tenant_id", "name", name="uq_ai_services_tenant_name"),
    )
    op.create_index(op.f("ix_ai_services_tenant_id"), "ai_services", ["tenant_id"])
    op.create_table(
        "ai_service_policies",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key_salt", sa.String(length=64), nullable=False),
        sa.Column("key_rotated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consequences", sa.JSON(), nullable=False),
        sa.Column("consequences_note", sa.Text(), nullable=False),
        sa.Column("forbidden_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_format", sa.String(length=16), nullable=False),
        sa.Column("fetches", sa.Integer(), nullable=False),
        *_tenant("ai_service_policies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_service_policies")),
        sa.UniqueConstraint("tenant_id", name="uq_ai_service_policies_tenant_id"),
    )
    op.create_index(op.f("ix_ai_service_policies_tenant_id"), "ai_service_policies", ["tenant_id"])
    with op.batch_alter_table("governance_incidents") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=32), nullable=False, server_default="confidentiality")
        )
        batch.add_column(sa.Column("consequence", sa.String(length=32), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("governance_incidents") as batch:
        batch.drop_column("consequence")
        batch.drop_column("kind")
    op.drop_table("ai_service_policies")
    op.drop_table("ai_services")
