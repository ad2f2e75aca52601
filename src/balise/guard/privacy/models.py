"""Tables of the privacy guard: per-tenant settings and the encrypted placeholder vault."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class PrivacySettingsRow(TenantScoped, Base):
    """One row per municipality; absent means the defaults (mask every label, 30 days)."""

    __tablename__ = "privacy_settings"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_privacy_settings_tenant"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    labels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    deny_terms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    allow_terms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    retention_days: Mapped[int] = mapped_column(Integer, default=30)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlaceholderVaultEntry(TenantScoped, Base):
    """The placeholder mapping of one conversation, AES-GCM encrypted with a per-tenant key."""

    __tablename__ = "privacy_vault"
    __table_args__ = (UniqueConstraint("tenant_id", "conversation_id", name="uq_privacy_vault_conversation"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    conversation_id: Mapped[str] = mapped_column(String(64))
    nonce: Mapped[bytes] = mapped_column(LargeBinary(16))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
