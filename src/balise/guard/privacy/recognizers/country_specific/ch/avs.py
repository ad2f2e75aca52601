"""Swiss identifiers: the AVS/AHV social-security number (756, nine digits, EAN-13 check digit)."""

from __future__ import annotations

import re

from stdnum.ch import ssn

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context, digits


class AvsRecognizer(PiiRecognizer):
    """AVS/AHV number: the 756 prefix and a valid EAN-13 check digit make look-alikes very unlikely."""

    ENTITY = labels.CH_AVS
    PATTERNS = (re.compile(r"(?<![\w.])756([. ]?)\d{4}\1\d{4}\1\d{2}(?![\w]|\.\d)"),)
    CONTEXT = context(r"AVS", r"AHV", r"assurance[ -]vieillesse", r"num[ée]ro d'assur[ée]", r"NAVS13?")
    BASE_SCORE = 0.85

    def validate(self, value: str) -> bool:
        return bool(ssn.is_valid(digits(value)))
