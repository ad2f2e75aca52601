"""Resumable ingestion: which version a document's passages belong to, one passage per position, and
job priorities (the vectors of a large document wait behind new uploads).

Revision ID: 0002
Revises: 0004
Create Date: 2026-12-06 01:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from balise.search import schema as search_schema

revision = "0002"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("indexed_sha256", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("chunk_total", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("chunks", schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f("uq_chunks_document_ordinal"), ["document_id", "ordinal"])
    # SQLite's batch mode rebuilds the table, which drops its triggers: put the search index's back.
    search_schema.install(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("chunks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_chunks_document_ordinal"), type_="unique")
    search_schema.install(op.get_bind())
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("chunk_total")
        batch_op.drop_column("indexed_sha256")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("priority")
