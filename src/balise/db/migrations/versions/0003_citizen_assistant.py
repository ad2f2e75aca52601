"""Citizen assistant: exchanges with residents, requests for a person, public-document approvals.

Revision ID: 0003
Revises: 0004 (relinked after merging main, which added 0004 on 0001)
Create Date: 2026-12-06 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "citizen_exchanges",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("masked", sa.JSON(), nullable=False),
        sa.Column("feedback", sa.String(length=16), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_citizen_exchanges_tenant_id_tenants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_citizen_exchanges"),
    )
    op.create_index("ix_citizen_exchanges_session_hash", "citizen_exchanges", ["session_hash"])
    op.create_index("ix_citizen_exchanges_tenant_id", "citizen_exchanges", ["tenant_id"])
    op.create_table(
        "citizen_requests",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("exchange_id", sa.String(length=32), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("transcript", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("staff_answer", sa.Text(), nullable=False),
        sa.Column("handled_by", sa.String(length=32), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_citizen_requests_tenant_id_tenants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_citizen_requests"),
        sa.UniqueConstraint("token_hash", name="uq_citizen_requests_token_hash"),
    )
    op.create_index("ix_citizen_requests_reference", "citizen_requests", ["reference"])
    op.create_index("ix_citizen_requests_session_hash", "citizen_requests", ["session_hash"])
    op.create_index("ix_citizen_requests_tenant_id", "citizen_requests", ["tenant_id"])
    op.create_table(
        "citizen_public_approvals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_citizen_public_approvals_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name="fk_citizen_public_approvals_tenant_id_tenants",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_citizen_public_approvals"),
        sa.UniqueConstraint("document_id", name="uq_citizen_public_approvals_document_id"),
    )
    op.create_index("ix_citizen_public_approvals_tenant_id", "citizen_public_approvals", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("citizen_public_approvals")
    op.drop_table("citizen_requests")
    op.drop_table("citizen_exchanges")
