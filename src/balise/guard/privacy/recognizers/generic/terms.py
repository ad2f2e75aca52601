"""Terms a tenant or a user chose to mask (file names, project code names…), whatever they look like."""

from __future__ import annotations

import re
from collections.abc import Iterable

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer


class TermsRecognizer(PiiRecognizer):
    """Each term, case-insensitive, as a whole word; longer terms first so "Projet Alpha 2" beats "Projet"."""

    ENTITY = labels.CUSTOM
    BASE_SCORE = 1.0

    def __init__(self, terms: Iterable[str]) -> None:
        super().__init__()
        cleaned = sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
        alternatives = "|".join(re.escape(term) for term in cleaned)
        self.patterns = (re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE),) if cleaned else ()
