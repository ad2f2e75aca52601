"""Evaluation sets and runs of each municipality (P4, G7).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
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
        "eval_sets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("eval_sets"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_sets")),
        sa.UniqueConstraint("tenant_id", "name", name="uq_eval_sets_tenant_name"),
    )
    op.create_index(op.f("ix_eval_sets_tenant_id"), "eval_sets", ["tenant_id"])
    op.create_table(
        "eval_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("set_id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("abstain", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("eval_items"),
        sa.ForeignKeyConstraint(
            ["set_id"], ["eval_sets.id"], name=op.f("fk_eval_items_set_id_eval_sets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_items")),
    )
    op.create_index(op.f("ix_eval_items_tenant_id"), "eval_items", ["tenant_id"])
    op.create_index(op.f("ix_eval_items_set_id"), "eval_items", ["set_id"])
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("set_id", sa.String(length=32), nullable=True),
        sa.Column("set_name", sa.String(length=120), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("below", sa.JSON(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("wh", sa.Float(), nullable=False),
        sa.Column("gco2e", sa.Float(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("eval_runs"),
        sa.ForeignKeyConstraint(
            ["set_id"], ["eval_sets.id"], name=op.f("fk_eval_runs_set_id_eval_sets"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_runs")),
    )
    op.create_index(op.f("ix_eval_runs_tenant_id"), "eval_runs", ["tenant_id"])
    op.create_index(op.f("ix_eval_runs_set_id"), "eval_runs", ["set_id"])
    op.create_table(
        "eval_run_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("expected", sa.JSON(), nullable=False),
        sa.Column("cited", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("failure", sa.String(length=32), nullable=False),
        sa.Column("ms", sa.Float(), nullable=False),
        *_tenant("eval_run_items"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["eval_runs.id"], name=op.f("fk_eval_run_items_run_id_eval_runs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["eval_items.id"],
            name=op.f("fk_eval_run_items_item_id_eval_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eval_run_items")),
    )
    op.create_index(op.f("ix_eval_run_items_tenant_id"), "eval_run_items", ["tenant_id"])
    op.create_index(op.f("ix_eval_run_items_run_id"), "eval_run_items", ["run_id"])


def downgrade() -> None:
    op.drop_table("eval_run_items")
    op.drop_table("eval_runs")
    op.drop_table("eval_items")
    op.drop_table("eval_sets")
