"""Meeting recordings and their transcription (U8), generated images and the signing certificate (U9).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "generated_images",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("backend", sa.String(length=120), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("captioned", sa.Boolean(), nullable=False),
        sa.Column("signer", sa.String(length=300), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_generated_images_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_images")),
    )
    op.create_index(op.f("ix_generated_images_tenant_id"), "generated_images", ["tenant_id"])

    op.create_table(
        "signing_certificates",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("chain_pem", sa.Text(), nullable=False),
        sa.Column("key_encrypted", sa.Text(), nullable=False),
        sa.Column("self_signed", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_signing_certificates_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_certificates")),
        sa.UniqueConstraint("tenant_id", name="uq_signing_certificates_tenant_id"),
    )
    op.create_index(op.f("ix_signing_certificates_tenant_id"), "signing_certificates", ["tenant_id"])

    op.create_table(
        "recordings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("backend", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("piece_seconds", sa.Float(), nullable=False),
        sa.Column("pieces_total", sa.Integer(), nullable=False),
        sa.Column("pieces_done", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("personal", sa.JSON(), nullable=False),
        sa.Column("example", sa.Boolean(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_recordings_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_recordings_tenant_id_tenants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
    )
    op.create_index(op.f("ix_recordings_tenant_id"), "recordings", ["tenant_id"])

    op.create_table(
        "recording_pieces",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("recording_id", sa.String(length=32), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["recordings.id"],
            name=op.f("fk_recording_pieces_recording_id_recordings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_recording_pieces_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recording_pieces")),
        sa.UniqueConstraint("recording_id", "ordinal", name="uq_recording_pieces_recording_ordinal"),
    )
    op.create_index(op.f("ix_recording_pieces_recording_id"), "recording_pieces", ["recording_id"])
    op.create_index(op.f("ix_recording_pieces_tenant_id"), "recording_pieces", ["tenant_id"])


def downgrade() -> None:
    for table in ("recording_pieces", "recordings", "signing_certificates", "generated_images"):
        op.drop_table(table)
