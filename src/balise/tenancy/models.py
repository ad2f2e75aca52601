"""Municipalities (tenants), people, their roles, and how they authenticate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from balise.db.base import Base, TenantScoped, Timestamped, new_id


class Tenant(Timestamped, Base):
    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(8), default="QC")  # QC, CH-VD, CH-VS, …
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    """Wrong passwords typed for this account since its owner last signed in; told to them then."""
    failed_login_at: Mapped[datetime | None] = mapped_column(default=None)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="selectin")


class Membership(TenantScoped, Timestamped, Base):
    """A user's role in one municipality; a person may work for several."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_memberships_tenant_user"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    service: Mapped[str] = mapped_column(String(120), default="")

    user: Mapped[User] = relationship(back_populates="memberships", lazy="joined")


class ApiToken(TenantScoped, Timestamped, Base):
    """A programmatic credential; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    scopes: Mapped[str] = mapped_column(String(64), default="read,ask")
    """Comma-separated ``balise.tenancy.tokens.Scope`` values."""
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    issued_role: Mapped[str] = mapped_column(String(32), default="employee")
    """The owner's role when it was issued: a lower role since then revokes it."""


class WebSession(Timestamped, Base):
    """A browser session; the cookie holds a random token whose SHA-256 is the key here."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column()
    id_token: Mapped[str] = mapped_column(Text, default="")
    """The OpenID provider's ID token when signed in through single sign-on, to sign out there too."""


class LoginAttempt(Timestamped, Base):
    """Failed logins, kept to rate-limit guessing per e-mail and per client address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)


class SsoProvider(TenantScoped, Timestamped, Base):
    """A municipality's OpenID Connect provider (Entra ID, Keycloak…); its secret is stored encrypted."""

    __tablename__ = "sso_providers"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_sso_providers_tenant_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_encrypted: Mapped[str] = mapped_column(Text, default="")
    scopes: Mapped[str] = mapped_column(String(300), default="openid email profile")
    group_claim: Mapped[str] = mapped_column(String(100), default="groups")
    role_map: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """{group name or id in the claim: Balise role}; the highest mapped role wins."""
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class SsoIdentity(TenantScoped, Timestamped, Base):
    """Links a person to the subject (``sub``) the municipality's provider knows them by."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("tenant_id", "subject", name="uq_sso_identities_tenant_subject"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
