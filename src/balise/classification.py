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
CLASSIFICATION_LABELS: dict[str, str] = {
    Classification.PUBLIC.value: N_("Public"),
    Classification.INTERNAL.value: N_("Internal"),
    Classification.CONFIDENTIAL.value: N_("Confidential"),
    Classification.PERSONAL.value: N_("Personal information"),
}
"""Each classification as people call it (English msgids, translated when shown)."""


def rank(classification: str) -> int:
    """Higher is more sensitive; unknown values rank as the most sensitive (fail closed)."""
    try:
        return CLASSIFICATION_ORDER.index(classification)
    except ValueError:
        return len(CLASSIFICATION_ORDER)


def within(classification: str, ceiling: str) -> bool:
    """Whether data of ``classification`` may go where data up to ``ceiling`` may (a model, a reader).

    Fails closed: an unknown classification is above every ceiling, and an unknown ceiling lets
    nothing through.
    """
    return ceiling in CLASSIFICATION_ORDER and rank(classification) <= rank(ceiling)
