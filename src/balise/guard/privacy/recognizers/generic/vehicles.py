"""Licence plates: short letter-and-digit groups are everywhere, so only context makes one a plate."""

from __future__ import annotations

import re
from typing import ClassVar

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context

_CANTONS = "AG|AI|AR|BE|BL|BS|FR|GE|GL|GR|JU|LU|NE|NW|OW|SG|SH|SO|SZ|TG|TI|UR|VD|VS|ZG|ZH"


class LicencePlateRecognizer(PiiRecognizer):
    """Quebec (ABC 123, 123 ABC, A12 BCD) and Swiss (VD 123 456) plates near "plaque", "immatriculé"…"""

    ENTITY = labels.LICENCE_PLATE
    PATTERNS: ClassVar[tuple[re.Pattern[str], ...]] = (
        re.compile(
            r"(?<![\w-])(?:[A-Z]{3}[ -]?\d{3}|\d{3}[ -]?[A-Z]{3}|[A-Z]\d{2}[ -]?[A-Z]{3}"
            r"|[A-Z]{2}\d[ -]?\d[A-Z]{2})(?![\w-])"
        ),
        re.compile(rf"(?<![\w-])(?:{_CANTONS})[ -]?\d{{1,3}}(?:[ '’]?\d{{3}})?(?![\w-])"),
    )
    CONTEXT = context(
        r"plaques?",
        r"immatricul\w*",
        r"v[ée]hicules?",
        r"voiture",
        r"automobile",
        r"camion",
        r"moto",
        r"plate",
    )
    BASE_SCORE = 0.0
    CONTEXT_SCORE = 0.85
    WINDOW_BEFORE = 50


class SivPlateRecognizer(LicencePlateRecognizer):
    """The « AB-123-CD » plate (two letters, three digits, two letters, with dashes): no identifier,
    reference or product code of municipal texts has that shape, so no context word is needed."""

    PATTERNS = (re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}-(?!000)\d{3}-[A-HJ-NP-TV-Z]{2}(?![\w-])"),)
    BASE_SCORE = 0.7
