"""Meeting recordings (U8): submitted, transcribed piece by piece in the background, added to the library.

A recording's voices are personal information no guard can mask: it is sent only to a transcription
server approved for its classification and for personal information (hosted on premises or in the
municipality's jurisdiction, :meth:`Gateway.admit`), checked at upload and again before each piece.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.config import get_settings
from balise.documents.service import check_classification
from balise.errors import NotFound
from balise.gateway import Gateway, InvalidBackend, ModelBackend, get_backend, kind_of, list_backends
from balise.jobs import enqueue
from balise.media.audio import check, estimated_pieces, media_type
from balise.media.tables import Recording, RecordingPiece

TRANSCRIBE_JOB = "media.transcribe"
TITLE_MAX_CHARS = 200


def transcription_backend(session: Session, tenant_id: str, name: str, classification: str) -> ModelBackend:
    """The registered transcription server ``name``, if it may hear a recording of ``classification``."""
    backend = get_backend(session, tenant_id, name)
    if kind_of(backend.provider) != "transcription":
        raise InvalidBackend("{name} is not a transcription server. Choose one of the list.", name=name)
    Gateway(session, tenant_id).admit(backend, classification, True)
    return backend


def transcription_backends(session: Session, tenant_id: str) -> list[ModelBackend]:
    return list_backends(session, tenant_id, "transcription")


def submit_recording(
    session: Session,
    tenant_id: str,
    filename: str,
    data: bytes,
    *,
    classification: str,
    backend_name: str,
    title: str = "",
    uploaded_by: str | None = None,
) -> Recording:
    """Checks the recording (:func:`~balise.media.audio.check`) and the server, then queues its
    transcription; ``pieces_total`` is an estimate until the job has cut it all. Raises with a French
    message what to do; the caller commits."""
    level = check_classification(classification).value
    kind = media_type(filename)
    backend = transcription_backend(session, tenant_id, backend_name, level)
    settings = get_settings()
    seconds = check(data, filename, max_seconds=settings.recording_max_minutes * 60)
    title = " ".join((title or PurePath(filename).stem).split())[:TITLE_MAX_CHARS]
    recording = Recording(
        tenant_id=tenant_id,
        title=title or PurePath(filename).stem,
        filename=PurePath(filename).name,
        media_type=kind,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        classification=level,
        backend=backend.name,
        duration_s=round(seconds, 3),
        piece_seconds=settings.recording_piece_seconds,
        pieces_total=estimated_pieces(seconds, settings.recording_piece_seconds),
        uploaded_by=uploaded_by,
    )
    session.add(recording)
    session.flush()
    enqueue(session, TRANSCRIBE_JOB, {"recording_id": recording.id}, tenant_id)
    audit.record(
        session,
        "media.recording_submitted",
        actor=uploaded_by or "system",
        tenant_id=tenant_id,
        target_type="recording",
        target_id=recording.id,
        details={
            "classification": level,
            "backend": backend.name,
            "seconds": round(seconds),
            "pieces": recording.pieces_total,
        },
    )
    return recording


def get_recording(session: Session, recording_id: str) -> Recording:
    """The recording, if the session's tenant and clearance reach it."""
    recording = session.get(Recording, recording_id)
    if recording is None:
        raise NotFound("This recording does not exist, was deleted, or is not yours to read.")
    return recording


def list_recordings(session: Session, tenant_id: str) -> list[Recording]:
    """The recordings the session may read, newest first."""
    statement = (
        select(Recording).where(Recording.tenant_id == tenant_id).order_by(Recording.created_at.desc())
    )
    return list(session.scalars(statement))


def stamp(seconds: float) -> str:
    """``[hh:mm:ss]``, how a moment of a recording is shown."""
    whole = int(seconds)
    return f"[{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}]"


def segments_of(session: Session, recording: Recording) -> list[dict[str, Any]]:
    """Every transcribed segment ({start, end, text}, seconds from the start), in order."""
    rows = session.scalars(
        select(RecordingPiece)
        .where(RecordingPiece.recording_id == recording.id)
        .order_by(RecordingPiece.ordinal)
    )
    return [segment for row in rows for segment in row.segments]


def transcript(session: Session, recording: Recording) -> str:
    """The transcript as the library keeps it: one line per segment. Its times stay with the segments
    (:func:`moment` finds a quote's): written in the text, « [00:00:07] » would be read by the
    extractive reader as the time a question asks for (measured: « 00:00 » instead of « juillet »)."""
    return "".join(f"{s['text']}\n" for s in segments_of(session, recording))


@dataclass(frozen=True)
class Moment:
    """Where a cited passage of a transcript is heard in its recording."""

    recording_id: str
    seconds: int
    label: str


def moment(session: Session, document_id: str, quote: str) -> Moment | None:
    """The time in the recording at which ``quote`` (a passage of its transcript) starts, or None
    when the document is not a transcript or the quote is not found in it."""
    recording = session.scalars(select(Recording).where(Recording.document_id == document_id)).first()
    if recording is None:
        return None
    wanted = " ".join(quote.split())[:60]
    flat, starts = "", []
    for segment in segments_of(session, recording):
        starts.append((len(flat), float(segment["start"])))
        flat += " ".join(str(segment["text"]).split()) + " "
    at = flat.find(wanted) if wanted else -1
    if at < 0:
        return None
    return _moment(recording, int(max(start for offset, start in starts if offset <= at)))


def _moment(recording: Recording, seconds: int) -> Moment:
    return Moment(recording.id, seconds, stamp(seconds))
