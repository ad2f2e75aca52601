"""Declarative base and the tenant-scoping mixin shared by every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


class TenantScoped:
    """Rows that belong to one municipality.

    A session opened with :func:`balise.db.tenant_session` only ever sees and writes rows of its
    tenant: the filter is added to every query and checked on every flush, so a route cannot forget it.
    """

    @declared_attr
    def tenant_id(cls) -> Mapped[str]:
        return mapped_column(String(32), ForeignKey("tenants.id", ondelete="CASCADE"), index=True)


class Classified:
    """Rows that carry a data ``classification`` (documents, their passages, their index entries).

    A session given a clearance (:func:`balise.db.scope_session`) only ever reads rows whose
    classification is in it, the same way it only reads rows of its tenant. A table declares its own
    ``classification`` column (with its default); this one names it for the session's filter.
    """

    @declared_attr
    def classification(cls) -> Mapped[str]:
        return mapped_column(String(16))


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
