"""Usage attributed to a person, a service and a tool, with its cost; quotas and budgets.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("model_usage") as batch:
        batch.add_column(sa.Column("user_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("service", sa.String(length=120), nullable=False, server_default=""))
        batch.add_column(sa.Column("tool", sa.String(length=60), nullable=False, server_default=""))
        batch.add_column(sa.Column("cost", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=False, server_default=""))
        batch.create_foreign_key(
            batch.f("fk_model_usage_user_id_users"), "users", ["user_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_model_usage_person_window", ["tenant_id", "user_id", "created_at"])
        batch.create_index("ix_model_usage_service_window", ["tenant_id", "service", "created_at"])
        batch.create_index("ix_model_usage_window", ["tenant_id", "created_at"])
    op.create_table(
        "usage_quotas",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("service", sa.String(length=120), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=True),
        sa.Column("tokens_per_day", sa.Integer(), nullable=True),
        sa.Column("money_per_month", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_usage_quotas_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_usage_quotas_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_quotas")),
    )
    with op.batch_alter_table("usage_quotas") as batch:
        batch.create_index(batch.f("ix_usage_quotas_tenant_id"), ["tenant_id"], unique=False)


def downgrade() -> None:
    op.drop_table("usage_quotas")
    with op.batch_alter_table("model_usage") as batch:
        batch.drop_index("ix_model_usage_window")
        batch.drop_index("ix_model_usage_service_window")
        batch.drop_index("ix_model_usage_person_window")
        batch.drop_constraint("fk_model_usage_user_id_users", type_="foreignkey")
        batch.drop_column("currency")
        batch.drop_column("cost")
        batch.drop_column("tool")
        batch.drop_column("service")
        batch.drop_column("user_id")
