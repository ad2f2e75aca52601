"""What the recordings and images of a municipality show for its conformity view (U8, U9, D2, L3)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.gateway import list_backends
from balise.media.provenance import read_provenance
from balise.media.tables import GeneratedImage, Recording

CHECKED_IMAGES = 20
"""The newest images whose content credentials are read back and validated for the view."""


@dataclass(frozen=True)
class MediaFacts:
    transcription_servers: int = 0
    image_servers: int = 0
    recordings_ready: int = 0
    recordings_example: int = 0
    recordings_failed: int = 0
    images: int = 0
    images_example: int = 0
    images_checked: int = 0
    images_valid: int = 0


def media_facts(session: Session, tenant_id: str) -> MediaFacts:
    """Counts of the municipality's servers, recordings and images (the session is scoped to it); the
    newest images' manifests are validated again, so the view reports what the files say."""
    recordings = session.execute(
        select(Recording.status, Recording.example, func.count()).group_by(
            Recording.status, Recording.example
        )
    ).all()
    newest = session.scalars(
        select(GeneratedImage).order_by(GeneratedImage.created_at.desc()).limit(CHECKED_IMAGES)
    )
    checked = [read_provenance(image.data) for image in newest]
    return MediaFacts(
        transcription_servers=len(list_backends(session, tenant_id, "transcription")),
        image_servers=len(list_backends(session, tenant_id, "images")),
        recordings_ready=sum(n for status, example, n in recordings if status == "ready" and not example),
        recordings_example=sum(n for _status, example, n in recordings if example),
        recordings_failed=sum(n for status, _example, n in recordings if status == "failed"),
        images=session.scalar(select(func.count(GeneratedImage.id)).where(GeneratedImage.example.is_(False)))
        or 0,
        images_example=session.scalar(
            select(func.count(GeneratedImage.id)).where(GeneratedImage.example.is_(True))
        )
        or 0,
        images_checked=len(checked),
        images_valid=sum(1 for seen in checked if seen.state == "valid"),
    )
