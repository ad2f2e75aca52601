"""Balise's recognizers, one module per family of identifiers, all Presidio recognizers.

Presidio finds its predefined recognizers by class name among all subclasses, so no class here may
share a name with one of Presidio's (``EmailRecognizer``, ``PhoneRecognizer``…): a stock engine built
in the same process would otherwise load ours.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from balise.guard.privacy.recognizers.address import AddressRecognizer
from balise.guard.privacy.recognizers.base import PiiRecognizer
from balise.guard.privacy.recognizers.canada import (
    CanadianPostalCodeRecognizer,
    QcDriverLicenceRecognizer,
    RamqRecognizer,
    SinRecognizer,
)
from balise.guard.privacy.recognizers.contact import CaChPhoneRecognizer, EmailAddressRecognizer
from balise.guard.privacy.recognizers.dates import DateOfBirthRecognizer
from balise.guard.privacy.recognizers.finance import IbanMod97Recognizer, PaymentCardRecognizer
from balise.guard.privacy.recognizers.persons import SpacyPersonRecognizer, TitledPersonRecognizer
from balise.guard.privacy.recognizers.swiss import AvsRecognizer
from balise.guard.privacy.recognizers.terms import TermsRecognizer
from balise.guard.privacy.recognizers.vehicles import LicencePlateRecognizer


def default_recognizers() -> list[EntityRecognizer]:
    """One instance of every recognizer; together they cover every label of the contract."""
    return [
        SinRecognizer(),
        RamqRecognizer(),
        QcDriverLicenceRecognizer(),
        CanadianPostalCodeRecognizer(),
        AvsRecognizer(),
        IbanMod97Recognizer(),
        PaymentCardRecognizer(),
        EmailAddressRecognizer(),
        CaChPhoneRecognizer(),
        DateOfBirthRecognizer(),
        LicencePlateRecognizer(),
        AddressRecognizer(),
        TitledPersonRecognizer(),
        SpacyPersonRecognizer(),
    ]


__all__ = [
    "AddressRecognizer",
    "AvsRecognizer",
    "CaChPhoneRecognizer",
    "CanadianPostalCodeRecognizer",
    "DateOfBirthRecognizer",
    "EmailAddressRecognizer",
    "IbanMod97Recognizer",
    "LicencePlateRecognizer",
    "PaymentCardRecognizer",
    "PiiRecognizer",
    "QcDriverLicenceRecognizer",
    "RamqRecognizer",
    "SinRecognizer",
    "SpacyPersonRecognizer",
    "TermsRecognizer",
    "TitledPersonRecognizer",
    "default_recognizers",
]
