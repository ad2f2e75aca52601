"""Search index tables: one entry per indexed chunk, and a per-tenant change counter.

The lexical index itself (an FTS5 table on SQLite, a ``tsvector`` column on PostgreSQL) is
dialect-specific DDL created by :mod:`balise.search.schema`; these are the ordinary tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    DDL,
    BigInteger,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from balise.db.base import Base, Classified, TenantScoped

EMBEDDING_DIM = 384
"""Dimension of the pgvector column (multilingual-e5-small); HNSW needs a fixed one."""


class EmbeddingType(TypeDecorator[np.ndarray]):
    """A float32 vector: pgvector on PostgreSQL (for HNSW), raw float32 bytes elsewhere."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Vector(EMBEDDING_DIM))
        return dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: np.ndarray | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        vector = np.asarray(value, dtype=np.float32)
        return vector if dialect.name == "postgresql" else vector.tobytes()

    def process_result_value(self, value: Any, dialect: Dialect) -> np.ndarray | None:
        if value is None:
            return None
        if isinstance(value, bytes | memoryview):
            return np.frombuffer(value, dtype=np.float32)
        return np.asarray(value, dtype=np.float32)


class SearchEntry(TenantScoped, Classified, Base):
    """A chunk as the indexes know it.

    ``id`` is an integer so that it can be the FTS5 rowid. The row disappears with its chunk
    (``ON DELETE CASCADE``), and the lexical entry with the row, so no orphan survives a deletion.
    """

    __tablename__ = "search_entries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    chunk_id: Mapped[str] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    classification: Mapped[str] = mapped_column(String(16))
    embedding: Mapped[np.ndarray | None] = mapped_column(EmbeddingType, default=None)
    embedding_model: Mapped[str | None] = mapped_column(String(200), default=None)


class SearchVersion(TenantScoped, Base):
    """A random token redrawn by triggers on every change of a tenant's entries, so a process's
    in-memory vector matrix knows when it is stale (SQLite only; PostgreSQL searches its HNSW index)."""

    __tablename__ = "search_versions"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", name="pk_search_versions"),)

    version: Mapped[int] = mapped_column(BigInteger, default=0)


# The vector type must exist before ``search_entries`` is created by ``metadata.create_all``.
event.listen(
    SearchEntry.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS vector").execute_if(dialect="postgresql"),
)
