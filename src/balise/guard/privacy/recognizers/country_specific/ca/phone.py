"""North-American phone numbers: 514 555-0199, (819) 555-0100, +1 418.555.0123, 1-800-555-0199."""

from __future__ import annotations

import re

from balise.guard.privacy.recognizers.generic.contact import PhoneNumberRecognizer


class NorthAmericanPhoneRecognizer(PhoneNumberRecognizer):
    """Ten digits in the usual groupings, with an optional +1; valid in the North-American numbering plan."""

    REGION = "CA"
    PATTERNS = (
        re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?!\w|[.,-]\d)"),
    )
