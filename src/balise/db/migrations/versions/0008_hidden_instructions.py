"""Instructions hidden in documents: which passages carry them, and how many each document has.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from balise.search import schema as search_schema

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite), so the search index's triggers stay in place.
    op.add_column(
        "chunks", sa.Column("instructions", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column(
        "documents", sa.Column("instruction_passages", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("instruction_passages")
    with op.batch_alter_table("chunks", schema=None) as batch_op:
        batch_op.drop_column("instructions")
    search_schema.install(op.get_bind())
