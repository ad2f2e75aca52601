"""Contact details: e-mail addresses (also written "[at]" or "arobase") and the phone-number check that the
country-specific phone recognizers share."""

from __future__ import annotations

import re
from typing import ClassVar

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


class PhoneNumberRecognizer(PiiRecognizer):
    """A phone number valid in ``REGION``'s numbering plan (the country-specific subclasses give patterns).

    Cheap patterns find candidates; ``phonenumbers`` then keeps only numbers valid in the numbering
    plan (its own matcher scans every digit group and is ten times slower), so amounts and file
    numbers that look like phone numbers do not match.
    """

    ENTITY = labels.PHONE
    REGION: ClassVar[str] = "CA"
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
        try:
            number = phonenumbers.parse(value.replace("/", " "), self.REGION)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(number))
