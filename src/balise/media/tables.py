"""Meeting recordings and their transcription (U8), generated images and the signing certificate (U9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, Classified, TenantScoped, Timestamped, new_id, utcnow
from balise.i18n import localize_stored


class Recording(TenantScoped, Classified, Timestamped, Base):
    """An uploaded meeting recording: its bytes (played back at a cited time), the transcription
    backend chosen, and how far its transcription went (``pieces_done`` of ``pieces_total``).

    Read clearance applies as to documents: a reader sees a recording of a classification they may read.
    ``personal`` counts what the privacy guard found in the transcript, by label (never the values).
    """

    __tablename__ = "recordings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    classification: Mapped[str] = mapped_column(String(16))
    backend: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(8), default="fr")
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    piece_seconds: Mapped[float] = mapped_column(Float)
    pieces_total: Mapped[int] = mapped_column(Integer, default=0)
    pieces_done: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, transcribing, ready, failed
    status_reason: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("documents.id", ondelete="SET NULL"), default=None
    )
    personal: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    example: Mapped[bool] = mapped_column(Boolean, default=False)
    """The demo's worked example: synthesised speech transcribed from its own script, not by a model."""
    uploaded_by: Mapped[str | None] = mapped_column(String(32), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def reason(self) -> str:
        """Why the transcription failed, in the reader's language."""
        return localize_stored(self.status_reason)


class RecordingPiece(TenantScoped, Base):
    """One transcribed piece of a recording: written once per piece, so a transcription interrupted by
    a crash resumes at the first piece without a row. ``segments``: [{start, end, text}], in seconds
    from the start of the recording."""

    __tablename__ = "recording_pieces"
    __table_args__ = (
        UniqueConstraint("recording_id", "ordinal", name="uq_recording_pieces_recording_ordinal"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    recording_id: Mapped[str] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    segments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class GeneratedImage(TenantScoped, Timestamped, Base):
    """An image made by a registered image backend, signed with a C2PA manifest (D2, L3, U9).

    The prompt is kept (the usage policy and the privacy guard let through only prompts without any
    real person or personal information); ``data`` is the signed PNG as it is downloaded.
    """

    __tablename__ = "generated_images"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    prompt: Mapped[str] = mapped_column(Text)
    backend: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = mapped_column(LargeBinary)
    captioned: Mapped[bool] = mapped_column(Boolean, default=False)
    signer: Mapped[str] = mapped_column(String(300), default="")
    example: Mapped[bool] = mapped_column(Boolean, default=False)
    """The demo's worked example: drawn by Balise without any model, and labelled so."""
    created_by: Mapped[str | None] = mapped_column(String(32), default=None)


class SigningCertificate(TenantScoped, Timestamped, Base):
    """The municipality's certificate chain (end entity first, PEM) and its private key, encrypted with
    the deployment secret; ``self_signed`` when Balise made it (trusted by no one but the municipality)."""

    __tablename__ = "signing_certificates"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_signing_certificates_tenant_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    chain_pem: Mapped[str] = mapped_column(Text)
    key_encrypted: Mapped[str] = mapped_column(Text)
    self_signed: Mapped[bool] = mapped_column(Boolean, default=True)
