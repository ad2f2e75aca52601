"""Street addresses, Quebec order (1234, rue Saint-Denis, app. 5) and Swiss order (rue du Simplon 12).

The span covers number, street type, street name and apartment, never the city or postal code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context

_TYPES = (
    r"rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|rang|route|rte|place|mont[ée]e|c[ôo]te|impasse|"
    r"croissant|all[ée]e?|promenade|terrasse|carr[ée]|ruelle|quai|square|sentier|passage|voie|cours|"
    r"esplanade"
)
_PARTICLE = r"(?:(?:de\s+la|du|des|de|aux|au|à\s+la|la|le|les)\s+|(?:de\s+l|d|l)['’])"
_WORD = r"(?:(?:St|Ste|Mgr)\.|[A-ZÀ-ÖØ-Þ0-9][\w'’]*(?:-[\w'’]+)*)"
_NAME = rf"{_PARTICLE}?{_WORD}(?:\s+{_PARTICLE}?{_WORD}){{0,4}}"
_DIRECTION = r"(?:\s+(?:Est|Ouest|Nord|Sud|E\.|O\.))?"
_UNIT = r"(?:,?\s*(?i:app\.|appartement|apt\.?|bureau|unit[ée]|local|suite|porte|logement|#)\s*[\w-]{1,6})?"
_START = r"(?<!\d\s)(?<![\w,.-])"
"""A civic number never continues a digit group (the end of a phone number, an amount)."""
_NUMBER = r"\d{1,5}[A-Za-z]?(?:-\d{1,5}[A-Za-z]?)?"


class AddressRecognizer(PiiRecognizer):
    """Civic number + street type + capitalised name, in either order, with an optional unit."""

    ENTITY = labels.ADDRESS
    PATTERNS = (
        re.compile(rf"{_START}{_NUMBER},?\s+(?i:{_TYPES})\s+{_NAME}{_DIRECTION}{_UNIT}(?![\w-])"),
        re.compile(
            rf"{_START}{_NUMBER},?\s+\d{{1,3}}(?:e|re|ème)\s+(?i:rue|avenue|rang){_DIRECTION}{_UNIT}(?![\w-])"
        ),
        re.compile(
            rf"(?<![\w-])(?i:{_TYPES})\s+{_NAME}\s+\d{{1,4}}(?:bis|ter|[a-zA-Z])?(?![\w-]){_UNIT}(?![\w-])"
        ),
        re.compile(
            rf"(?<![\w-])[A-ZÄÖÜ][\wäöüß-]*(?:strasse|straße|gasse|weg|platz|allee|ring|rain|matte)"
            rf"\s+\d{{1,4}}[a-zA-Z]?(?![\w-]){_UNIT}(?![\w-])"
        ),
        re.compile(rf"(?<![\w-])(?i:grand-rue|grand['’]rue)\s+\d{{1,4}}[a-zA-Z]?(?![\w-]){_UNIT}(?![\w-])"),
    )
    CONTEXT = context(r"adresse", r"domicil\w*", r"habit\w*", r"r[ée]sid\w*", r"demeur\w*")
    BASE_SCORE = 0.7

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        for start, end in super().candidates(text):
            while end > start and text[end - 1] in ".,":
                end -= 1
            yield start, end
