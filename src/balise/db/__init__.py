"""Database: one code path for SQLite (embedded) and PostgreSQL (production)."""

from balise.db.base import Base, TenantScoped, Timestamped, new_id, utcnow
from balise.db.migrate import migrate
from balise.db.session import (
    CrossTenantWrite,
    default_engine,
    engine_for,
    make_engine,
    open_session,
    scope_session,
    tenant_session,
)

__all__ = [
    "Base",
    "CrossTenantWrite",
    "TenantScoped",
    "Timestamped",
    "default_engine",
    "engine_for",
    "make_engine",
    "migrate",
    "new_id",
    "open_session",
    "scope_session",
    "tenant_session",
    "utcnow",
]
