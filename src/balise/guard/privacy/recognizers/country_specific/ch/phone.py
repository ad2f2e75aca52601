"""Swiss phone numbers: 079 422 38 99, 079/422 38 99, 021/315.22.22, +41 (0)79 422 38 99, 0041 21…."""

from __future__ import annotations

import re

from balise.guard.privacy.recognizers.generic.contact import PhoneNumberRecognizer


class SwissPhoneRecognizer(PhoneNumberRecognizer):
    """Ten digits from 0 (or +41/0041 and nine digits), spaces, dots, dashes or the slash after the prefix."""

    REGION = "CH"
    PATTERNS = (
        re.compile(
            r"(?<![\w+/])(?:(?:\+|00)41[ .-]?(?:\(0\)\s?)?\d{2}|0\d{2})"
            r"(?:\s?/\s?|[ .-]?)\d{3}[ .-]?\d{2}[ .-]?\d{2}(?!\w|[.,/-]\d)"
        ),
    )
