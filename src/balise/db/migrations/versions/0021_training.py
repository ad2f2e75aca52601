"""Training sessions and attendance, quiz attempts, learning resources (G13, G21).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 20:10:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def _user(table: str) -> list[Any]:
    return [
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("training_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    op.create_index(op.f("ix_training_sessions_tenant_id"), "training_sessions", ["tenant_id"])
    op.create_table(
        "training_attendance",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        *_user("training_attendance"),
        *_tenant("training_attendance"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_training_attendance_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_attendance")),
        sa.UniqueConstraint("session_id", "user_id", name="uq_training_attendance_session_user"),
    )
    op.create_index(op.f("ix_training_attendance_tenant_id"), "training_attendance", ["tenant_id"])
    op.create_index(op.f("ix_training_attendance_session_id"), "training_attendance", ["session_id"])
    op.create_index(op.f("ix_training_attendance_user_id"), "training_attendance", ["user_id"])
    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.String(length=32), nullable=False),
        *_user("quiz_attempts"),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("quiz_attempts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
    )
    op.create_index(op.f("ix_quiz_attempts_tenant_id"), "quiz_attempts", ["tenant_id"])
    op.create_index(op.f("ix_quiz_attempts_user_id"), "quiz_attempts", ["user_id"])
    op.create_table(
        "learning_resources",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.Column("edited_by", sa.String(length=32), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant("learning_resources"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_resources")),
        sa.UniqueConstraint("tenant_id", "key", name="uq_learning_resources_tenant_key"),
    )
    op.create_index(op.f("ix_learning_resources_tenant_id"), "learning_resources", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("learning_resources")
    op.drop_table("quiz_attempts")
    op.drop_table("training_attendance")
    op.drop_table("training_sessions")
