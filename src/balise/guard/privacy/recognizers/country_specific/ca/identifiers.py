"""Canadian and Quebec identifiers: SIN (NAS), RAMQ health-insurance number, driver's licence, postal code."""

from __future__ import annotations

import re

from stdnum.ca import sin

from balise.guard.privacy import labels
from balise.guard.privacy.recognizers.base import PiiRecognizer, context, digits


class SinRecognizer(PiiRecognizer):
    """Social insurance number: nine digits whose Luhn checksum holds (stdnum also refuses 0 and 8 first)."""

    ENTITY = labels.CA_SIN
    PATTERNS = (re.compile(r"(?<![\w.,-])\d{3}([ -]?)\d{3}\1\d{3}(?![\w-]|[.,]\d)"),)
    CONTEXT = context(r"NAS", r"SIN", r"assurance[ -]sociale", r"num[ée]ro social", r"social insurance")
    LABEL = re.compile(
        r"(?<!\w)(?:NAS|SIN|assurance[ -]sociale|social insurance(?: number)?)\W{0,4}(?:n[o°º]\.?\W{0,3})?$",
        re.IGNORECASE,
    )
    BASE_SCORE = 0.6

    def validate(self, value: str) -> bool:
        return bool(sin.is_valid(digits(value)))


class RamqRecognizer(PiiRecognizer):
    """Quebec health-insurance number: four letters, then birth date (month + 50 for women) and two digits."""

    ENTITY = labels.CA_RAMQ
    PATTERNS = (re.compile(r"(?<!\w)[A-Z]{4} ?\d{4} ?\d{4}(?!\w)"),)
    CONTEXT = context(r"RAMQ", r"assurance[ -]maladie", r"carte[ -]soleil", r"carte d'assurance")
    BASE_SCORE = 0.6

    def validate(self, value: str) -> bool:
        number = digits(value)
        month, day = int(number[2:4]), int(number[4:6])
        return (1 <= month <= 12 or 51 <= month <= 62) and 1 <= day <= 31


class QcDriverLicenceRecognizer(PiiRecognizer):
    """Quebec driver's licence: the initial of the surname and twelve digits (e.g. T6541-150385-09)."""

    ENTITY = labels.CA_QC_DRIVER_LICENCE
    PATTERNS = (re.compile(r"(?<!\w)[A-Z]\d{4}([- ]?)\d{6}\1\d{2}(?!\w)"),)
    CONTEXT = context(r"permis", r"SAAQ", r"conduire", r"licence", r"driver'?s")
    BASE_SCORE = 0.6


class CanadianPostalCodeRecognizer(PiiRecognizer):
    """Canadian postal code (A1A 1A1); D, F, I, O, Q and U are never used, W and Z never come first."""

    ENTITY = labels.POSTAL_CODE
    PATTERNS = (
        re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w-])"),
    )
    CONTEXT = context(r"code postal", r"C\.P\.")
    BASE_SCORE = 0.7
