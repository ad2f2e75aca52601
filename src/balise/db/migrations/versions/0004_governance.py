"""Governance workspace: AI system register, roles, impact assessments, complaints, incidents.

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-06 01:48:35.783225
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_systems",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("owner_team", sa.String(length=200), nullable=False),
        sa.Column("responsible_person", sa.String(length=200), nullable=False),
        sa.Column("responsible_user_id", sa.String(length=32), nullable=True),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("hosting", sa.String(length=40), nullable=False),
        sa.Column("data_used", sa.Text(), nullable=False),
        sa.Column("human_oversight", sa.Text(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("mitigations", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.Text(), nullable=False),
        sa.Column("impact_level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["responsible_user_id"],
            ["users.id"],
            name=op.f("fk_governance_systems_responsible_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_systems_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_systems")),
        sa.UniqueConstraint("tenant_id", "key", name="uq_governance_systems_tenant_key"),
    )
    with op.batch_alter_table("governance_systems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_systems_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "governance_assessments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("privacy", sa.JSON(), nullable=False),
        sa.Column("raw_impact", sa.Integer(), nullable=False),
        sa.Column("mitigation", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("leaves_quebec", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_governance_assessments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["governance_systems.id"],
            name=op.f("fk_governance_assessments_system_id_governance_systems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_assessments_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_assessments")),
        sa.UniqueConstraint("system_id", "version", name="uq_governance_assessments_system_version"),
    )
    with op.batch_alter_table("governance_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_assessments_system_id"), ["system_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_assessments_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "governance_complaints",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_to", sa.String(length=32), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("client_hash", sa.String(length=64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"],
            ["users.id"],
            name=op.f("fk_governance_complaints_assigned_to_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["governance_systems.id"],
            name=op.f("fk_governance_complaints_system_id_governance_systems"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_complaints_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_complaints")),
    )
    with op.batch_alter_table("governance_complaints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_complaints_client_hash"), ["client_hash"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_governance_complaints_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_complaints_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_complaints_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "governance_incidents",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("signal", sa.String(length=80), nullable=True),
        sa.Column("system_id", sa.String(length=32), nullable=True),
        sa.Column("information_kinds", sa.Text(), nullable=False),
        sa.Column("circumstances", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("discovered_on", sa.Date(), nullable=True),
        sa.Column("people_affected", sa.Integer(), nullable=False),
        sa.Column("sensitivity", sa.Integer(), nullable=False),
        sa.Column("consequences", sa.Integer(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("risk_notes", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("commission_notified_on", sa.Date(), nullable=True),
        sa.Column("persons_notified_on", sa.Date(), nullable=True),
        sa.Column("public_notice", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["governance_systems.id"],
            name=op.f("fk_governance_incidents_system_id_governance_systems"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_incidents_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_incidents")),
        sa.UniqueConstraint("tenant_id", "signal", name="uq_governance_incidents_tenant_signal"),
    )
    with op.batch_alter_table("governance_incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_incidents_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_incidents_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_incidents_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "governance_roles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("system_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("duties", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["governance_systems.id"],
            name=op.f("fk_governance_roles_system_id_governance_systems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_roles_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_governance_roles_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_roles")),
    )
    with op.batch_alter_table("governance_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_roles_system_id"), ["system_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_governance_roles_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "governance_complaint_events",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_governance_complaint_events_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["governance_complaints.id"],
            name=op.f("fk_governance_complaint_events_complaint_id_governance_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_governance_complaint_events_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_complaint_events")),
    )
    with op.batch_alter_table("governance_complaint_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_complaint_events_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_complaint_events_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("governance_complaint_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_complaint_events_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_governance_complaint_events_complaint_id"))

    op.drop_table("governance_complaint_events")
    with op.batch_alter_table("governance_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_roles_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_governance_roles_system_id"))

    op.drop_table("governance_roles")
    with op.batch_alter_table("governance_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_incidents_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_governance_incidents_status"))
        batch_op.drop_index(batch_op.f("ix_governance_incidents_reference"))

    op.drop_table("governance_incidents")
    with op.batch_alter_table("governance_complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_complaints_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_governance_complaints_status"))
        batch_op.drop_index(batch_op.f("ix_governance_complaints_reference"))
        batch_op.drop_index(batch_op.f("ix_governance_complaints_client_hash"))

    op.drop_table("governance_complaints")
    with op.batch_alter_table("governance_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_assessments_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_governance_assessments_system_id"))

    op.drop_table("governance_assessments")
    with op.batch_alter_table("governance_systems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_systems_tenant_id"))

    op.drop_table("governance_systems")
