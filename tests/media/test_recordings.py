"""U8: a recording synthesised by espeak-ng is decoded, cut, transcribed by a loopback server speaking
``/v1/audio/transcriptions``, guarded, added to the library, asked and summarised with time citations."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable

import av
import pytest
from sqlalchemy import Engine, select

import balise.media.transcription  # noqa: F401  (registers the transcription job)
from balise.assistant import Requester, summarise
from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.documents import Chunk, Document
from balise.errors import BaliseError
from balise.gateway import ModelUsage, NoAllowedBackend
from balise.i18n import use_locale
from balise.jobs import run_worker
from balise.media.audio import UnreadableRecording
from balise.media.recordings import TRANSCRIBE_JOB, get_recording, moment, submit_recording
from balise.media.tables import Recording, RecordingPiece
from balise.tenancy import Tenant
from tests.media.conftest import register_media
from tests.support.media_server import MediaServer

SPOKEN = (
    "Bonjour à tous. Le conseil adopte le budget de la piscine municipale. "
    "Les travaux de la piscine commencent au printemps. Madame Tremblay demande un rapport sur le bruit."
)
HEARD = [
    "Bonjour à tous. Le conseil adopte le budget de la piscine municipale.",
    "Les travaux de la piscine commencent au printemps.",
    "Madame Tremblay demande un rapport sur le bruit.",
    "La séance est levée.",
    "Merci.",
    "Au revoir.",
]


def _submit(engine: Engine, tenant: Tenant, data: bytes, filename: str = "conseil.wav", **kw: str) -> str:
    with tenant_session(tenant.id, engine) as session:
        recording = submit_recording(
            session,
            tenant.id,
            filename,
            data,
            classification=kw.get("classification", "internal"),
            backend_name=kw.get("backend", "openai-transcription"),
            title="Séance du conseil",
        )
        session.commit()
        return recording.id


def _run(engine: Engine) -> None:
    run_worker(engine, kinds=[TRANSCRIBE_JOB, "ingest_document"], stop_when_idle=True, poll_seconds=0.1)


def _council(
    engine: Engine, tenant: Tenant, speech: Callable[[str], bytes], server: MediaServer
) -> tuple[Tenant, str]:
    """The council meeting, submitted to the tenant's loopback transcription server (not run yet)."""
    register_media(engine, tenant, server, "openai-transcription")
    server.script = list(HEARD)
    return tenant, _submit(engine, tenant, speech(SPOKEN))


def test_a_recording_is_transcribed_into_the_library_and_cited_at_its_time(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
) -> None:
    tenant, recording_id = _council(engine, make_tenant(), speech, media_server)
    _run(engine)

    # The audio really decoded and cut: 16 kHz mono WAV pieces of about 2.5 s, sent as the protocol says.
    assert len(media_server.pieces) >= 3
    assert all(
        rate == 16_000 and channels == 1 and 0.5 < s <= 2.6 for rate, channels, s in media_server.pieces
    )
    assert media_server.forms[0]["response_format"] == "verbose_json"
    assert media_server.forms[0]["model"] == "whisper-large-v3"
    with tenant_session(tenant.id, engine) as session:
        recording = get_recording(session, recording_id)
        assert recording.status == "ready", recording.status_reason
        assert recording.pieces_done == recording.pieces_total == len(media_server.pieces)
        assert recording.personal.get("PERSON", 0) >= 1  # the guard read the transcript: « Madame Tremblay »
        document = session.get(Document, recording.document_id)
        assert document is not None and document.status == "ready"
        assert document.title == "Transcription — Séance du conseil"
        usage = session.scalars(select(ModelUsage).where(ModelUsage.tenant_id == tenant.id)).all()
        assert {(u.kind, u.outcome, u.tool) for u in usage} == {("transcription", "ok", "recordings")}
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_id == tenant.id)))
        assert {"media.recording_submitted", "media.recording_transcribed"} <= actions

        who = Requester(tenant, None, ("public", "internal"))
        summary = summarise(session, who, document_ids=[document.id], audience="general")
        assert summary.citations
        moments = [moment(session, c.document_id, c.quote) for c in summary.citations]
        assert all(m is not None and m.recording_id == recording_id for m in moments)
        # A quote from the second piece opens the recording after the first piece's 2.5 s or so.
        works = moment(session, document.id, "Les travaux de la piscine commencent au printemps.")
        assert works is not None and works.seconds >= 2 and works.label.startswith("[00:00:0")
        assert moment(session, document.id, "Jamais dit.") is None


def test_a_crashed_transcription_resumes_at_the_first_piece_not_done(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
) -> None:
    tenant, recording_id = _council(engine, make_tenant(), speech, media_server)
    with tenant_session(tenant.id, engine) as session:
        # The first piece, committed by a worker that then crashed (its job is still queued).
        session.add(
            RecordingPiece(
                tenant_id=tenant.id,
                recording_id=recording_id,
                ordinal=0,
                start_s=0.0,
                end_s=2.0,
                segments=[{"start": 0.0, "end": 2.0, "text": "Déjà transcrit avant la panne."}],
            )
        )
        session.commit()
    _run(engine)
    with tenant_session(tenant.id, engine) as session:
        recording = session.get(Recording, recording_id)
        assert recording is not None and recording.status == "ready", recording.status_reason
        assert len(media_server.pieces) == recording.pieces_total - 1  # piece 0 was not sent again
        chunks = session.scalars(select(Chunk.text).where(Chunk.document_id == recording.document_id)).all()
        assert "Déjà transcrit avant la panne." in "\n".join(chunks)


@pytest.mark.parametrize(
    ("filename", "data", "words"),
    [
        ("conseil.wav", b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 200, "could not be read"),
        ("conseil.docx", b"PK\x03\x04", "not a recording"),
    ],
)
def test_corrupt_or_unsupported_files_are_refused_in_french(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    media_server: MediaServer,
    filename: str,
    data: bytes,
    words: str,
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-transcription")
    with pytest.raises(UnreadableRecording) as refused:
        _submit(engine, tenant, data, filename)
    assert words in refused.value.message
    with use_locale("fr"):
        assert "enregistrement" in refused.value.localized()


def test_silent_and_too_long_recordings_are_refused(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    media_server: MediaServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-transcription")
    silent = _encoded(seconds=3.0, amplitude=0, codec="libmp3lame", container="mp3")
    with pytest.raises(UnreadableRecording) as refused:
        _submit(engine, tenant, silent, "vide.mp3")
    assert "silent" in refused.value.message
    monkeypatch.setenv("BALISE_RECORDING_MAX_MINUTES", "1")
    from balise.config import get_settings

    get_settings.cache_clear()
    long = _encoded(seconds=65.0, amplitude=8000, codec="libmp3lame", container="mp3")
    with pytest.raises(UnreadableRecording) as refused:
        _submit(engine, tenant, long, "longue.mp3")
    assert "longer than" in refused.value.message
    with use_locale("fr"):
        assert "plus long" in refused.value.localized()
    assert not media_server.pieces


def test_a_server_not_approved_for_the_recording_is_refused(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-transcription", max_classification="public")
    with pytest.raises(NoAllowedBackend) as refused:
        _submit(engine, tenant, speech("Bonjour."), classification="confidential")
    with use_locale("fr"):
        assert "ne peut recevoir" in refused.value.localized() or "peut recevoir" in refused.value.localized()
    register_media(
        engine,
        tenant,
        media_server,
        "openai-transcription",
        name="abroad",
        hosting="abroad",
        max_classification="personal",
    )
    with pytest.raises(BaliseError):
        _submit(engine, tenant, speech("Bonjour."), backend="abroad")
    assert not media_server.pieces
    with tenant_session(tenant.id, engine) as session:
        assert not session.scalars(select(Recording).where(Recording.tenant_id == tenant.id)).all()


def _encoded(*, seconds: float, amplitude: int, codec: str, container: str) -> bytes:
    """A tone (or silence) encoded by FFmpeg in ``container``: what a recorder would produce."""
    import numpy as np

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=16_000)
        stream.layout = "mono"
        t = np.arange(int(seconds * 16_000)) / 16_000
        samples = (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.int16)
        for start in range(0, len(samples), 1152):
            frame = av.AudioFrame.from_ndarray(
                samples[None, start : start + 1152], format="s16", layout="mono"
            )
            frame.rate = 16_000
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def test_silent_stretches_are_not_sent(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
) -> None:
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-transcription")
    media_server.script = ["Bonjour à tous.", "Le budget est adopté."]
    with wave.open(io.BytesIO(speech("Bonjour à tous. Le budget est adopté.")), "rb") as said:
        params, frames = said.getparams(), said.readframes(said.getnframes())
    padded = io.BytesIO()
    with wave.open(padded, "wb") as out:
        out.setparams(params)
        out.writeframes(frames + b"\x00\x00" * params.framerate * 6)  # six seconds of silence after
    recording_id = _submit(engine, tenant, padded.getvalue())
    _run(engine)
    with tenant_session(tenant.id, engine) as session:
        recording = session.get(Recording, recording_id)
        assert recording is not None and recording.status == "ready", recording.status_reason
        assert recording.pieces_done == recording.pieces_total >= len(media_server.pieces) + 2


def test_a_long_silent_recording_passes_the_upload_and_fails_in_the_job(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    media_server: MediaServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("balise.media.audio.CHECKED_SECONDS", 1)  # the upload decodes its first second
    tenant = make_tenant()
    register_media(engine, tenant, media_server, "openai-transcription")
    recording_id = _submit(
        engine, tenant, _encoded(seconds=6.0, amplitude=0, codec="libmp3lame", container="mp3"), "vide.mp3"
    )
    _run(engine)
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        recording = session.get(Recording, recording_id)
        assert recording is not None and recording.status == "failed"
        assert "silencieux" in recording.reason and recording.document_id is None
    assert not media_server.pieces  # no silent piece was sent


def test_a_failing_server_is_tried_again_then_the_recording_says_so(
    engine: Engine,
    make_tenant: Callable[..., Tenant],
    speech: Callable[[str], bytes],
    media_server: MediaServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("balise.jobs.queue.RETRY_BASE_SECONDS", 0)
    tenant, recording_id = _council(engine, make_tenant(), speech, media_server)
    media_server.media_behaviour = "error"
    _run(engine)
    with tenant_session(tenant.id, engine) as session, use_locale("fr"):
        recording = session.get(Recording, recording_id)
        assert recording is not None and recording.status == "failed"
        assert "n’a pas répondu après plusieurs tentatives" in recording.reason
        outcomes = session.scalars(select(ModelUsage.outcome).where(ModelUsage.tenant_id == tenant.id)).all()
        assert outcomes == ["error_error"] * 3  # one try of the first piece per attempt of the job
