"""Data classification: who may see a document and which models may receive it."""

from __future__ import annotations

from enum import StrEnum

from balise.i18n import N_


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    PERSONAL = "personal"


CLASSIFICATION_ORDER = [c.value for c in Classification]

# What people read, on every page (msgids; translate with gettext).
CLASSIFICATION_LABELS: dict[str, str] = {
    Classification.PUBLIC.value: N_("Public"),
    Classification.INTERNAL.value: N_("Internal"),
    Classification.CONFIDENTIAL.value: N_("Confidential"),
    Classification.PERSONAL.value: N_("Personal information"),
}


def rank(classification: str) -> int:
    """Higher is more sensitive; unknown values rank as the most sensitive (fail closed)."""
    try:
        return CLASSIFICATION_ORDER.index(classification)
    except ValueError:
        return len(CLASSIFICATION_ORDER)
