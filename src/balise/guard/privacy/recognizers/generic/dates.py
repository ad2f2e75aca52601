"""Dates of birth: any date is a look-alike (meetings, deadlines), so only context makes one a birth date."""

from __future__ import annotations

import re

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context

_MONTHS = (
    r"janvier|janv\.|f[ée]vrier|f[ée]vr?\.|mars|avril|avr\.|mai|juin|juillet|juil\.|ao[uû]t|"
    r"septembre|sept\.|octobre|oct\.|novembre|nov\.|d[ée]cembre|d[ée]c\."
)
DATE = re.compile(
    rf"(?<![\w/.-])(?:(?:1er|\d{{1,2}})\s+(?i:{_MONTHS})\s+\d{{4}}"
    r"|\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2})(?![\w/-]|\.\d)"
)


class DateOfBirthRecognizer(PiiRecognizer):
    """A date preceded, in the same sentence and with no other date between, by "né le", "DDN"…"""

    ENTITY = labels.DATE_OF_BIRTH
    PATTERNS = (DATE,)
    CONTEXT = context(
        r"n[ée](?:e|\(e\))?s?(?=\s+(?:le|à|a|en|au|aux|vers|[àa] \w+ le)\b)",
        r"naissance",
        r"DDN",
        r"date of birth",
        r"DOB",
    )
    BASE_SCORE = 0.0
    CONTEXT_SCORE = 0.9
    WINDOW_BEFORE = 50

    def has_context(self, text: str, start: int, end: int) -> bool:
        assert self.CONTEXT is not None
        before = text[max(0, start - self.WINDOW_BEFORE) : start]
        cues = list(self.CONTEXT.finditer(before))
        if not cues:
            return False
        between = before[cues[-1].end() :]
        return not DATE.search(between) and not re.search(r"[.!?;]\s", between)
