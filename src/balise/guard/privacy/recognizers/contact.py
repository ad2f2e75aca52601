"""Contact details: e-mail addresses (also written "[at]" or "arobase") and phone numbers.

Phone numbers are checked by Google's ``phonenumbers`` against the North-American and Swiss numbering
plans, so amounts and file numbers that look like phone numbers do not match.
"""

from __future__ import annotations

import re

import phonenumbers

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context

_AT = r"(?:\s*(?:@|[\[({](?:at|arobase|a)[\])}])\s*|\s+arobase\s+)"
_DOT = r"(?:\.|\s*[\[(](?:dot|point)[\])]\s*|\s+point\s+)"


class EmailAddressRecognizer(PiiRecognizer):
    """E-mail address, including the obfuscated "nom [at] domaine [point] ca" forms."""

    ENTITY = labels.EMAIL
    PATTERNS = (
        re.compile(
            rf"(?<![\w.+-])[A-Za-z0-9][\w.+-]*{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,24}}(?![\w-])",
            re.IGNORECASE,
        ),
    )
    CONTEXT = context(r"courriel", r"e-?mail", r"adresse [ée]lectronique", r"m[ée]l")
    BASE_SCORE = 0.9


class CaChPhoneRecognizer(PiiRecognizer):
    """North-American and Swiss phone numbers, local or international notation.

    Cheap patterns find candidates; ``phonenumbers`` then keeps only numbers valid in the numbering
    plan (its own matcher scans every digit group and is ten times slower).
    """

    ENTITY = labels.PHONE
    PATTERNS = (
        re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?!\w|[.,-]\d)"),
        re.compile(
            r"(?<![\w+])(?:(?:\+|00)41[ .-]?(?:\(0\))?\d{2}|0\d{2})"
            r"[ .-]?\d{3}[ .-]?\d{2}[ .-]?\d{2}(?!\w|[.,-]\d)"
        ),
    )
    CONTEXT = context(
        r"t[ée]l\.?",
        r"t[ée]l[ée]phone",
        r"cellulaire",
        r"cell?\.?",
        r"portable",
        r"natel",
        r"mobile",
        r"joindre",
        r"appeler",
        r"num[ée]ro",
        r"fax",
        r"t[ée]l[ée]copieur",
    )
    BASE_SCORE = 0.7

    def validate(self, value: str) -> bool:
        region = "CH" if re.match(r"(?:\+|00)41|0", value) else "CA"
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number))
