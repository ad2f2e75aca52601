"""Staff survey campaigns (G2) and maturity self-assessments (G5).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 19:20:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f(f"fk_{table}_tenant_id_tenants"), ondelete="CASCADE"
        ),
    ]


def _campaign(table: str) -> list[Any]:
    return [
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["survey_campaigns.id"],
            name=op.f(f"fk_{table}_campaign_id_survey_campaigns"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("survey_campaigns"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaigns")),
        sa.UniqueConstraint("token", name=op.f("uq_survey_campaigns_token")),
    )
    op.create_index(op.f("ix_survey_campaigns_tenant_id"), "survey_campaigns", ["tenant_id"])
    op.create_table(
        "survey_questions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        *_campaign("survey_questions"),
        *_tenant("survey_questions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    op.create_index(op.f("ix_survey_questions_tenant_id"), "survey_questions", ["tenant_id"])
    op.create_index(op.f("ix_survey_questions_campaign_id"), "survey_questions", ["campaign_id"])
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        *_campaign("survey_responses"),
        *_tenant("survey_responses"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index(op.f("ix_survey_responses_tenant_id"), "survey_responses", ["tenant_id"])
    op.create_index(op.f("ix_survey_responses_campaign_id"), "survey_responses", ["campaign_id"])
    op.create_table(
        "maturity_assessments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant("maturity_assessments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maturity_assessments")),
    )
    op.create_index(op.f("ix_maturity_assessments_tenant_id"), "maturity_assessments", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("maturity_assessments")
    op.drop_table("survey_responses")
    op.drop_table("survey_questions")
    op.drop_table("survey_campaigns")
