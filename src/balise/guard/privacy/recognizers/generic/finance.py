"""Bank identifiers: IBAN (mod 97) and payment cards (Luhn, known issuer prefixes)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context, digits


class IbanMod97Recognizer(PiiRecognizer):
    """IBAN in compact or grouped form; trailing groups are dropped until the mod-97 check holds."""

    ENTITY = labels.IBAN
    PATTERNS = (re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?!\w)"),)
    CONTEXT = context(r"IBAN", r"compte", r"bancaire", r"virement", r"RIB", r"banque")
    BASE_SCORE = 0.9

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        for start, end in super().candidates(text):
            value = text[start:end]
            while len(value.replace(" ", "")) >= 15:
                if iban.is_valid(value, check_country=False):
                    yield start, start + len(value)
                    break
                cut = value.rfind(" ")
                if cut < 0:
                    break
                value = value[:cut]

    def validate(self, value: str) -> bool:
        return bool(iban.is_valid(value, check_country=False))


ISSUER = re.compile(r"4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|3[47]|6(?:011|5)|35")


class PaymentCardRecognizer(PiiRecognizer):
    """Payment card: 13 to 19 digits, a Visa/Mastercard (incl. 2-series)/Amex/Discover/JCB prefix, Luhn."""

    ENTITY = labels.CREDIT_CARD
    PATTERNS = (re.compile(r"(?<![\w.,-])\d(?:[ -]?\d){12,18}(?![\w-]|[.,]\d)"),)
    CONTEXT = context(r"carte", r"cr[ée]dit", r"visa", r"mastercard", r"amex", r"paiement")
    BASE_SCORE = 0.9

    def validate(self, value: str) -> bool:
        number = digits(value)
        return 13 <= len(number) <= 19 and bool(ISSUER.match(number)) and bool(luhn.is_valid(number))
