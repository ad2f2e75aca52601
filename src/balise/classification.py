"""Data classification: who may see a document and which models may receive it."""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    PERSONAL = "personal"


CLASSIFICATION_ORDER = [c.value for c in Classification]


def rank(classification: str) -> int:
    """Higher is more sensitive; unknown values rank as the most sensitive (fail closed)."""
    try:
        return CLASSIFICATION_ORDER.index(classification)
    except ValueError:
        return len(CLASSIFICATION_ORDER)
