"""The document library: files of a municipality and the chunks that search and citations use."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from balise.classification import CLASSIFICATION_ORDER as CLASSIFICATION_ORDER  # re-exported
from balise.classification import Classification as Classification  # re-exported
from balise.db.base import Base, Classified, TenantScoped, Timestamped, new_id, utcnow
from balise.i18n import localize_stored


class DocumentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Document(TenantScoped, Classified, Timestamped, Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("tenant_id", "source", name="uq_documents_tenant_source"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(1000))  # file name or path it came from
    owner_service: Mapped[str] = mapped_column(String(120), default="")
    classification: Mapped[str] = mapped_column(String(16), default=Classification.INTERNAL.value)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    third_party_copyright: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.PENDING.value)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # The file version whose passages are in ``chunks`` (written batch by batch, so an interrupted
    # ingestion resumes after its last committed batch), and how many there are once all are written.
    indexed_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")
    chunk_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    instruction_passages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Passages that address instructions to an AI or hold hidden text (never sent to a model)."""
    uploaded_by: Mapped[str | None] = mapped_column(String(32), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def reason(self) -> str:
        """Why the document failed or needs a look, in the reader's language."""
        return localize_stored(self.status_reason)

    chunks: Mapped[list[Chunk]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )


class Chunk(TenantScoped, Classified, Base):
    """A passage of a document with everything a citation needs to point back at it."""

    __tablename__ = "chunks"
    # One passage per position: a resumed or doubled ingestion can never store a passage twice.
    __table_args__ = (UniqueConstraint("document_id", "ordinal", name="uq_chunks_document_ordinal"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-based; None when not paged
    heading_path: Mapped[str] = mapped_column(String(1000), default="")  # "Titre > Section > Sous-section"
    char_start: Mapped[int] = mapped_column(Integer)  # offsets in the document's extracted text
    char_end: Mapped[int] = mapped_column(Integer)
    classification: Mapped[str] = mapped_column(String(16))  # copied from the document for filtering
    instructions: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Carries instructions addressed to an AI or hidden text: shown to reviewers, never to a model."""

    document: Mapped[Document] = relationship(back_populates="chunks", lazy="raise")


class DocumentFile(TenantScoped, Base):
    """The bytes of a document's newest submitted version.

    Kept in the database so that any worker, on any machine, can (re)run the ingestion job after a
    crash, and so that the original can be downloaded again; one row per document, replaced when a
    changed file is submitted.
    """

    __tablename__ = "document_files"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
