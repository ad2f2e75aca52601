"""Tenant-B objects for the recordings' and images' path parameters (issue 27)."""

from __future__ import annotations

import io
import wave

from PIL import Image
from sqlalchemy.orm import Session

from balise.media import GeneratedImage, Recording
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _recording(session: Session, tenant: Tenant, user: User) -> str:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\x10\x20" * 16_000)
    recording = Recording(
        tenant_id=tenant.id,
        title="Séance",
        filename="seance.wav",
        media_type="audio/wav",
        data=buffer.getvalue(),
        sha256="0" * 64,
        classification="public",
        backend="whisper",
        piece_seconds=600.0,
        uploaded_by=user.id,
    )
    session.add(recording)
    session.flush()
    return recording.id


def _image(session: Session, tenant: Tenant, user: User) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    image = GeneratedImage(
        tenant_id=tenant.id,
        prompt="Une affiche",
        backend="images",
        data=buffer.getvalue(),
        created_by=user.id,
    )
    session.add(image)
    session.flush()
    return image.id


FACTORIES: dict[str, Factory] = {"recording_id": _recording, "image_id": _image}
