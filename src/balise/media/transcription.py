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

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.db import tenant_session
from balise.documents.service import submit_files
from balise.errors import BaliseError
from balise.gateway import BackendFailure, Gateway, attribution_of
from balise.gateway.media_calls import record_call, transcribe
from balise.jobs import Job, JobContext, handler
from balise.media.audio import decode, pieces
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


def _transcribe_piece(ctx: JobContext, recording_id: str, ordinal: int, start_s: float, wav: bytes) -> bool:
    """Transcribes and commits one piece; False when the recording may no longer be transcribed."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        recording = session.get(Recording, recording_id)
        if recording is None:
            return False
        try:
            backend = transcription_backend(
                session, ctx.tenant_id, recording.backend, recording.classification
            )
        except BaliseError as refusal:  # withdrawn or no longer approved for this classification
            _fail(session, recording, refusal)
            return False
        who = attribution_of(session, ctx.tenant_id, recording.uploaded_by, "recordings")
        gateway, started = Gateway(session, ctx.tenant_id, attribution=who), time.monotonic()
        try:
            segments = transcribe(backend, wav, language=recording.language, filename=f"piece-{ordinal}.wav")
        except BackendFailure as failure:
            record_call(
                gateway,
                backend,
                "transcription",
                TRANSCRIBE_TASK,
                recording.classification,
                started,
                f"error_{failure.reason}",
            )
            session.commit()
            raise
        characters = sum(len(s.text) for s in segments)
        record_call(
            gateway,
            backend,
            "transcription",
            TRANSCRIBE_TASK,
            recording.classification,
            started,
            "ok",
            characters=characters,
        )
        rows = [
            {"start": round(start_s + s.start, 2), "end": round(start_s + s.end, 2), "text": s.text}
            for s in segments
        ]
        session.add(
            RecordingPiece(
                tenant_id=ctx.tenant_id,
                recording_id=recording_id,
                ordinal=ordinal,
                start_s=start_s,
                end_s=start_s + (segments[-1].end if segments else 0.0),
                segments=rows,
            )
        )
        recording.pieces_done += 1
        session.commit()
    return True


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


@handler(TRANSCRIBE_JOB, on_give_up=_gave_up)
def transcribe_recording(ctx: JobContext) -> None:
    """Runs (or resumes) a recording's transcription."""
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
    try:
        decoded = decode(data, filename, max_seconds=float("inf"))
    except BaliseError as refusal:
        with tenant_session(ctx.tenant_id, ctx.engine) as session:
            failed = session.get(Recording, recording_id)
            if failed is not None:
                _fail(session, failed, refusal)
        return
    for piece in pieces(decoded, piece_seconds, skip=done):
        ctx.progress(len(done), total)  # raises when the worker stops or lost the job: resumed later
        if not _transcribe_piece(ctx, recording_id, piece.ordinal, piece.start_s, piece.wav):
            return
        done.add(piece.ordinal)
    ctx.progress(total, total)
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        finished = session.get(Recording, recording_id)
        if finished is not None:
            add_to_library(session, finished)
            session.commit()


__all__ = ["TRANSCRIBE_TASK", "add_to_library", "transcribe_recording"]
