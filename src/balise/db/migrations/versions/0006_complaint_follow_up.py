"""Complaints: the resident's follow-up link (a random token, kept only as its hash).

Revision ID: 0006
Revises: 0008
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("governance_complaints") as batch:
        batch.add_column(sa.Column("follow_up_hash", sa.String(length=64), nullable=True))
        batch.create_index(
            batch.f("ix_governance_complaints_follow_up_hash"), ["follow_up_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("governance_complaints") as batch:
        batch.drop_index(batch.f("ix_governance_complaints_follow_up_hash"))
        batch.drop_column("follow_up_hash")
