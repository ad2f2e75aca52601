"""Database: one code path for SQLite (embedded) and PostgreSQL (production).

``Session`` is re-exported so the web layer can name the request's session without importing the
ORM it must not query with.
"""

from sqlalchemy.orm import Session

from balise.db.base import Base, Classified, TenantScoped, Timestamped, new_id, utcnow
from balise.db.migrate import migrate
from balise.db.session import (
    EVERY_CLASSIFICATION,
    CrossTenantWrite,
    clearance_of,
    default_engine,
    engine_for,
    limit_clearance,
    make_engine,
    may_read,
    open_session,
    scope_session,
    tenant_session,
)

__all__ = [
    "EVERY_CLASSIFICATION",
    "Base",
    "Classified",
    "CrossTenantWrite",
    "Session",
    "TenantScoped",
    "Timestamped",
    "clearance_of",
    "default_engine",
    "engine_for",
    "limit_clearance",
    "make_engine",
    "may_read",
    "migrate",
    "new_id",
    "open_session",
    "scope_session",
    "tenant_session",
    "utcnow",
]
