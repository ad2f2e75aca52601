"""The conformity evidence of recordings (U8) and images (U9), and what they add to D2 and L3."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, evidence_text
from balise.governance.evidence import Facts
from balise.i18n import N_

_ORDER = (IN_PLACE, ATTENTION, MISSING)


def u8(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place with a transcription server; else missing, or attention when the demo's example shows it."""
    m = f.media
    params = {"servers": m.transcription_servers, "ready": m.recordings_ready, "failed": m.recordings_failed}
    if m.transcription_servers:
        return (
            ATTENTION if m.recordings_failed else IN_PLACE,
            N_(
                "Transcription servers registered: {servers}. Recordings transcribed into the library: "
                "{ready}; failed: {failed}."
            ),
            params,
        )
    if m.recordings_example:
        return (
            ATTENTION,
            N_(
                "Built and shown by the demo's example recording (transcribed from its script); no "
                "transcription server is registered yet: add one on the models page."
            ),
            params,
        )
    return (
        MISSING,
        N_(
            "Built, but no transcription server is registered: add one on the models page "
            "(openai-transcription)."
        ),
        params,
    )


def u9(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place with an image server whose images validate; attention with the example only."""
    m = f.media
    params = {
        "servers": m.image_servers,
        "images": m.images,
        "valid": m.images_valid,
        "checked": m.images_checked,
    }
    if m.image_servers:
        return (
            IN_PLACE if m.images_valid == m.images_checked else ATTENTION,
            N_(
                "Image servers registered: {servers}; images generated: {images}. Prompts pass the usage "
                "policy (X2, D4) and the privacy guard; of the newest {checked} images, {valid} carry a "
                "valid C2PA manifest."
            ),
            params,
        )
    if m.images_example:
        return (
            ATTENTION,
            N_(
                "Built and shown by the demo's example image (drawn without a model, its C2PA manifest "
                "signed); no image server is registered yet: add one on the models page."
            ),
            params,
        )
    return (
        MISSING,
        N_("Built, but no image server is registered: add one on the models page (openai-images)."),
        params,
    )


def _images_labelled(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    m = f.media
    status = IN_PLACE if m.images_valid == m.images_checked else ATTENTION
    return (
        status,
        N_(
            "Images: {valid} of the newest {checked} carry a valid signed C2PA manifest and the IPTC "
            "digital source type in their XMP; transcripts are marked as transcribed by AI."
        ),
        {"valid": m.images_valid, "checked": m.images_checked},
    )


def with_media(base: Check) -> Check:
    """``base`` (D2, L3: the texts' AI mention) and the images' labels: the worse status, both texts."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        status, evidence, params = base(f)
        if not f.media.images_checked:
            return status, evidence, params
        extra_status, extra, extra_params = _images_labelled(f)
        worst = max(status, extra_status, key=_ORDER.index)
        return (
            worst,
            N_("{texts} {images}"),
            {"texts": evidence_text(evidence, params), "images": evidence_text(extra, extra_params)},
        )

    return check
