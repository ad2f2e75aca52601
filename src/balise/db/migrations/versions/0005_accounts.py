"""Accounts: scoped and expiring API tokens, failed-login notices, single sign-on (OpenID Connect).

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-07 02:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scopes", sa.String(length=64), nullable=False, server_default="read,ask")
        )
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("issued_role", sa.String(length=32), nullable=False, server_default="employee")
        )
    # Tokens issued before expiry existed get the default lifetime from today, not eternity.
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + timedelta(days=90)))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("failed_login_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_token", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "sso_providers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=300), nullable=False),
        sa.Column("client_secret_encrypted", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(length=300), nullable=False),
        sa.Column("group_claim", sa.String(length=100), nullable=False),
        sa.Column("role_map", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_sso_providers_tenant_id_tenants", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sso_providers"),
        sa.UniqueConstraint("tenant_id", name="uq_sso_providers_tenant_id"),
    )
    op.create_index("ix_sso_providers_tenant_id", "sso_providers", ["tenant_id"])
    op.create_table(
        "sso_identities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name="fk_sso_identities_tenant_id_tenants", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_sso_identities_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sso_identities"),
        sa.UniqueConstraint("tenant_id", "subject", name="uq_sso_identities_tenant_subject"),
    )
    op.create_index("ix_sso_identities_tenant_id", "sso_identities", ["tenant_id"])
    op.create_index("ix_sso_identities_user_id", "sso_identities", ["user_id"])


def downgrade() -> None:
    op.drop_table("sso_identities")
    op.drop_table("sso_providers")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_column("id_token")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("failed_login_at")
        batch_op.drop_column("failed_logins")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("issued_role")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("scopes")
