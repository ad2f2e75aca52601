"""The demo's worked examples of U8 and U9, made without any model and labelled so (``balise demo``).

The demo has no transcription or image server. Its recording is French speech synthesised by Debian's
espeak-ng from a short script; its « transcript » is that script, timed over the real recording, so
the page, the library, citations at a time and summaries can be seen working before a municipality
connects its own Whisper server. Its image is a poster drawn by Pillow, labelled « Exemple », whose
C2PA manifest (really signed with the demo's self-signed certificate) declares IPTC's
``algorithmicMedia`` — drawn by an algorithm without training data — never a generative model.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from balise import __version__, audit
from balise.db import scope_session, tenant_session
from balise.documents.service import pending_jobs, queue_vectors
from balise.i18n import N_
from balise.jobs import run_worker
from balise.media.audio import check
from balise.media.images import certificate
from balise.media.provenance import ALGORITHMIC_MEDIA, as_png, sign_png, unseal_key
from balise.media.tables import GeneratedImage, Recording, RecordingPiece
from balise.media.transcription import add_to_library
from balise.tenancy import Tenant

SCRIPT = (
    "Bonjour à toutes et à tous, la séance du conseil est ouverte.",
    "Le conseil adopte le budget de la rénovation de la piscine municipale.",
    "Les travaux commencent au printemps et la piscine rouvre en juillet.",
    "La collecte des feuilles mortes aura lieu en octobre.",
    "La séance est levée.",
)
TITLE = "Exemple — séance du conseil (voix de synthèse)"
PROMPT = "Exemple de démonstration : affiche de la piscine municipale, dessinée par Balise sans modèle."


def _speech(text: str) -> bytes | None:
    """WAV bytes of ``text`` said by espeak-ng, or None when it is not installed."""
    if shutil.which("espeak-ng") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "demo.wav"
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(out), text], check=True, timeout=60)
        return out.read_bytes()


def ensure_demo_recording(session: Session, tenant: Tenant) -> str:
    """The example recording, added once; returns what happened, in words for the console (English
    msgid), or "" when it already exists."""
    scope_session(session, tenant.id)
    if session.scalars(select(Recording).where(Recording.example.is_(True))).first() is not None:
        return ""
    data = _speech(" ".join(SCRIPT))
    if data is None:
        return N_(
            "espeak-ng is not installed: the demo has no example recording (scripts/install-system-deps.sh)."
        )
    seconds = check(data, "demo.wav", max_seconds=600)  # short: its samples give its duration
    recording = Recording(
        tenant_id=tenant.id,
        title=TITLE,
        filename="exemple-seance.wav",
        media_type="audio/wav",
        data=data,
        sha256="",
        classification="internal",
        backend="",
        duration_s=round(seconds, 3),
        piece_seconds=seconds,
        pieces_total=1,
        pieces_done=1,
        example=True,
    )
    session.add(recording)
    session.flush()
    total, at, segments = sum(len(s) for s in SCRIPT), 0.0, []
    for sentence in SCRIPT:  # each sentence timed by its share of the letters said
        length = seconds * len(sentence) / total
        segments.append({"start": round(at, 2), "end": round(at + length, 2), "text": sentence})
        at += length
    session.add(
        RecordingPiece(
            tenant_id=tenant.id,
            recording_id=recording.id,
            ordinal=0,
            start_s=0.0,
            end_s=at,
            segments=segments,
        )
    )
    add_to_library(session, recording, embed=False)
    return N_(
        "The demo's example recording was added to the library (transcribed from its script, not by a model)."
    )


def index_demo_transcript(engine: Engine, tenant_id: str) -> None:
    """Indexes the example transcript by words now, and queues its vectors for the worker."""
    with tenant_session(tenant_id, engine) as session:
        found = session.scalars(select(Recording.document_id).where(Recording.example.is_(True))).first()
        if found is None:
            return
        job_ids = pending_jobs(session, [found])
    if job_ids:
        run_worker(engine, job_ids=job_ids, stop_when_idle=True, poll_seconds=0.1)
    with tenant_session(tenant_id, engine) as session:
        queue_vectors(session, [found])
        session.commit()


def ensure_demo_image(session: Session, tenant: Tenant) -> None:
    """The example image, added once, signed with the demo's certificate."""
    scope_session(session, tenant.id)
    if session.scalars(select(GeneratedImage).where(GeneratedImage.example.is_(True))).first() is not None:
        return
    poster = Image.new("RGB", (512, 512), (32, 110, 170))
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 330, 512, 512), fill=(70, 170, 210))
    draw.ellipse((360, 40, 460, 140), fill=(250, 200, 60))
    for wave_top in (360, 400, 440):
        draw.arc((20, wave_top, 492, wave_top + 40), 0, 180, fill="white", width=4)
    buffer = io.BytesIO()
    poster.save(buffer, "PNG")
    drawn = as_png(
        buffer.getvalue(), caption="Exemple de démonstration — dessiné sans IA", source=ALGORITHMIC_MEDIA
    )
    signing = certificate(session, tenant)
    key = unseal_key(signing.key_encrypted)
    signed = sign_png(
        drawn, signing.chain_pem, key, title="exemple.png", generator=__version__, source=ALGORITHMIC_MEDIA
    )
    image = GeneratedImage(
        tenant_id=tenant.id,
        prompt=PROMPT,
        backend="",
        data=signed,
        captioned=True,
        signer=tenant.name,
        example=True,
    )
    session.add(image)
    session.flush()
    audit.record(
        session,
        "media.image_generated",
        actor="demo",
        tenant_id=tenant.id,
        target_type="image",
        target_id=image.id,
        details={"backend": "", "captioned": True, "c2pa": True, "example": True},
    )
