"""Swiss postal codes (NPA): four digits written before the locality (« 1227 Carouge », « CH-1950 Sion »).

Four digits before a capitalised word are also years (« en 2024 Genève… ») and amounts, so the code
needs the locality right after it and no year-like cue (month, « en », « depuis »…) right before it.
"""

from __future__ import annotations

import re

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context

_UPPER = "A-ZÀ-ÖØ-Þ"
_JOINER = r"(?:sur|sous|en|les|la|le|de|du|pr[eè]s|bei|am|im)"
_LOCALITY = rf"[{_UPPER}][\w'’]+(?:[- ](?:{_JOINER}[- ])?[{_UPPER}][\w'’]+)*"
_YEAR_CUE = re.compile(
    r"(?<!\w)(?:en|depuis|d[èe]s|ann[ée]e|an|l['’]an|vers|avant|apr[èe]s|janvier|f[ée]vrier|mars|avril|mai|"
    r"juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|fin|d[ée]but|mi|hiver|[ée]t[ée]|"
    r"printemps|automne|[$€]|CHF|Fr\.|fr\.)\s*$",
    re.IGNORECASE,
)
_NOT_LOCALITY = re.compile(
    r"(?:Fr|CHF|francs?|personnes|habitants|m2|m²|km|mètres|Conseil|Municipalit[ée]|La|Le|Les|Il|Elle|Ce|On)$"
)


class SwissPostalCodeRecognizer(PiiRecognizer):
    """1000–9699 followed by a capitalised locality; « CH-» or « NPA » before it makes it certain."""

    ENTITY = labels.POSTAL_CODE
    PATTERNS = (
        re.compile(rf"(?<![\w.,'’/-])(?:CH-)?(?P<value>[1-9]\d{{3}})(?=\s+(?P<locality>{_LOCALITY}))"),
    )
    CONTEXT = context(r"NPA", r"code postal", r"CH", r"case postale", r"CP")
    BASE_SCORE = 0.6
    WINDOW_BEFORE = 15

    def accept(self, text: str, start: int, end: int) -> bool:
        if text[max(0, start - 3) : start] == "CH-":
            return True
        if _YEAR_CUE.search(text, max(0, start - 20), start):
            return False
        locality = re.match(rf"\s+({_LOCALITY})", text[start + 4 :])
        return (
            int(text[start : start + 4]) <= 9699
            and locality is not None
            and _NOT_LOCALITY.match(locality.group(1)) is None
        )
