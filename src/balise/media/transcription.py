"""The background transcription of a recording (U8): piece by piece, resumable, then into the library.

Each transcribed piece is committed with its segments, so a worker that crashes or stops resumes at
the first piece without a row; the job's progress is the pieces done. When all are done, the
transcript passes the privacy guard (what it finds is counted, by label; when the guard cannot
check, the transcript waits: fail closed) and becomes a text document of the library at the
recording's classification, which ingestion indexes like any other.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.config import get_settings
from balise.db import tenant_session
from balise.documents.service import submit_files
from balise.errors import BaliseError
from balise.gateway import BackendFailure, Gateway, attribution_of
from balise.gateway.media_calls import record_call, transcribe
from balise.jobs import Job, JobContext, handler
from balise.media.audio import Piece, UnreadableRecording, pieces, silent
from balise.media.recordings import TRANSCRIBE_JOB, transcript, transcription_backend
from balise.media.tables import Recording, RecordingPiece

TRANSCRIBE_TASK = "transcribe"


def _fail(session: Session, recording: Recording, error: BaliseError) -> None:
    recording.status = "failed"
    recording.status_reason = error.stored()
    audit.record(
        session,
        "media.recording_failed",
        actor="system",
        tenant_id=recording.tenant_id,
        target_type="recording",
        target_id=recording.id,
        details={"code": error.code},
    )
    session.commit()


def _gave_up(session: Session, job: Job, error: str) -> None:
    """After the last attempt: the recording says what happened (the server kept failing)."""
    recording = session.get(Recording, job.payload.get("recording_id"))
    if recording is not None and recording.status != "ready":
        recording.status = "failed"
        recording.status_reason = BaliseError(
            "The transcription server did not answer after several attempts ({error}). Check it on the "
            "models page, then send the recording again.",
            error=error[:200],
        ).stored()


def _transcribe_piece(ctx: JobContext, recording_id: str, piece: Piece) -> list[dict[str, Any]] | None:
    """A piece's segments (times from the recording's start), or None when the recording may no longer
    be transcribed (withdrawn, or its server no longer approved: the recording says so)."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return None
        try:
            backend = transcription_backend(
                session, ctx.tenant_id, recording.backend, recording.classification
            )
        except BaliseError as refusal:
            _fail(session, recording, refusal)
            return None
        who = attribution_of(session, ctx.tenant_id, recording.uploaded_by, "recordings")
        gateway, started = Gateway(session, ctx.tenant_id, attribution=who), time.monotonic()
        level = recording.classification
        try:
            heard = transcribe(
                backend, piece.wav, language=recording.language, filename=f"piece-{piece.ordinal}.wav"
            )
        except BackendFailure as failure:
            record_call(
                gateway, backend, "transcription", TRANSCRIBE_TASK, level, started, f"error_{failure.reason}"
            )
            session.commit()
            raise
        characters = sum(len(s.text) for s in heard)
        record_call(
            gateway, backend, "transcription", TRANSCRIBE_TASK, level, started, "ok", characters=characters
        )
        session.commit()
    return [
        {"start": round(piece.start_s + s.start, 2), "end": round(piece.start_s + s.end, 2), "text": s.text}
        for s in heard
    ]


def add_to_library(session: Session, recording: Recording, *, embed: bool = True) -> None:
    """The transcript through the privacy guard, then into the library at the recording's
    classification; raises the guard's error when it cannot check (nothing unchecked is added)."""
    from balise.guard.privacy import get_guard, load_settings  # spaCy loads when a transcript is ready

    title = f"Transcription — {recording.title}"
    text = f"{title}\n\n{transcript(session, recording)}"
    findings = get_guard().detect(text, load_settings(session, recording.tenant_id))
    counts = dict(Counter(finding.label for finding in findings))
    (document,) = submit_files(
        session,
        recording.tenant_id,
        [(f"transcription-{recording.id}.txt", text.encode())],
        classification=recording.classification,
        uploaded_by=recording.uploaded_by,
        embed=embed,
    )
    document.title = title  # ingestion reads it again from the first line
    recording.document_id = document.id
    recording.personal = counts
    recording.status = "ready"
    audit.record(
        session,
        "media.recording_transcribed",
        actor="system",
        tenant_id=recording.tenant_id,
        target_type="recording",
        target_id=recording.id,
        details={"document_id": document.id, "pieces": recording.pieces_total, "masked": counts},
    )


def _store(ctx: JobContext, recording_id: str, piece: Piece, segments: list[dict[str, Any]]) -> None:
    """Commits a piece's segments (none for a silent piece, which is not sent)."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return
        session.add(
            RecordingPiece(
                tenant_id=ctx.tenant_id,
                recording_id=recording_id,
                ordinal=piece.ordinal,
                start_s=piece.start_s,
                end_s=piece.end_s,
                segments=segments,
            )
        )
        recording.pieces_done += 1
        recording.pieces_total = max(recording.pieces_total, recording.pieces_done)
        session.commit()


def _finish(ctx: JobContext, recording_id: str, total: int) -> None:
    """The true number of pieces, then the transcript into the library; a recording in which nothing
    was heard fails with the silent message instead."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return
        recording.pieces_total = total
        if not transcript(session, recording).strip():
            _fail(session, recording, silent(recording.filename))
            return
        add_to_library(session, recording)
        session.commit()


@handler(TRANSCRIBE_JOB, on_give_up=_gave_up)
def transcribe_recording(ctx: JobContext) -> None:
    """Runs (or resumes) a recording's transcription, streaming it piece by piece."""
    recording_id = str(ctx.payload["recording_id"])
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        recording = session.get(Recording, recording_id)
        if recording is None or recording.status in ("ready", "failed"):
            return
        done = set(
            session.scalars(select(RecordingPiece.ordinal).where(RecordingPiece.recording_id == recording_id))
        )
        recording.status = "transcribing"
        recording.pieces_done = len(done)
        data, filename, piece_seconds = recording.data, recording.filename, recording.piece_seconds
        total = recording.pieces_total
        session.commit()
    limit = get_settings().recording_max_minutes * 60
    seen = max(done, default=-1) + 1
    try:
        for piece in pieces(data, filename, piece_seconds, max_seconds=limit, skip=done):
            ctx.progress(len(done), max(total, len(done) + 1))  # raises when the worker stops: resumed later
            if piece.wav:
                segments = _transcribe_piece(ctx, recording_id, piece)
                if segments is None:
                    return
            else:
                segments = []
            _store(ctx, recording_id, piece, segments)
            done.add(piece.ordinal)
            seen = max(seen, piece.ordinal + 1)
    except UnreadableRecording as refusal:
        with tenant_session(ctx.tenant_id, ctx.engine) as session:
            failed = session.get(Recording, recording_id)
            if failed is not None:
                _fail(session, failed, refusal)
        return
    ctx.progress(seen, seen)
    _finish(ctx, recording_id, seen)


__all__ = ["TRANSCRIBE_TASK", "add_to_library", "transcribe_recording"]
