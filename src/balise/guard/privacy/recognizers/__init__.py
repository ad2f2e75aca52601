"""Balise's recognizers, laid out like Presidio's: ``country_specific/ca``, ``country_specific/ch``,
``generic``.

Presidio finds its predefined recognizers by class name among all subclasses, so no class here may
share a name with one of Presidio's (``EmailRecognizer``, ``PhoneRecognizer``…): a stock engine built
in the same process would otherwise load ours.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from balise.guard.privacy.recognizers.base import PiiRecognizer
from balise.guard.privacy.recognizers.country_specific.ca.identifiers import (
    CanadianPostalCodeRecognizer,
    QcDriverLicenceRecognizer,
    RamqRecognizer,
    SinRecognizer,
)
from balise.guard.privacy.recognizers.country_specific.ca.phone import NorthAmericanPhoneRecognizer
from balise.guard.privacy.recognizers.country_specific.ch.avs import AvsRecognizer
from balise.guard.privacy.recognizers.country_specific.ch.phone import SwissPhoneRecognizer
from balise.guard.privacy.recognizers.country_specific.ch.postal_code import SwissPostalCodeRecognizer
from balise.guard.privacy.recognizers.generic.address import AddressRecognizer
from balise.guard.privacy.recognizers.generic.administrative_names import AdministrativeNameRecognizer
from balise.guard.privacy.recognizers.generic.contact import EmailAddressRecognizer
from balise.guard.privacy.recognizers.generic.dates import DateOfBirthRecognizer
from balise.guard.privacy.recognizers.generic.finance import IbanMod97Recognizer, PaymentCardRecognizer
from balise.guard.privacy.recognizers.generic.persons import SpacyPersonRecognizer, TitledPersonRecognizer
from balise.guard.privacy.recognizers.generic.terms import TermsRecognizer
from balise.guard.privacy.recognizers.generic.vehicles import LicencePlateRecognizer, SivPlateRecognizer


def default_recognizers() -> list[EntityRecognizer]:
    """One instance of every recognizer; together they cover every label of the contract."""
    return [
        SinRecognizer(),
        RamqRecognizer(),
        QcDriverLicenceRecognizer(),
        CanadianPostalCodeRecognizer(),
        NorthAmericanPhoneRecognizer(),
        AvsRecognizer(),
        SwissPostalCodeRecognizer(),
        SwissPhoneRecognizer(),
        IbanMod97Recognizer(),
        PaymentCardRecognizer(),
        EmailAddressRecognizer(),
        DateOfBirthRecognizer(),
        LicencePlateRecognizer(),
        SivPlateRecognizer(),
        AddressRecognizer(),
        TitledPersonRecognizer(),
        AdministrativeNameRecognizer(),
        SpacyPersonRecognizer(),
    ]


__all__ = [
    "AddressRecognizer",
    "AdministrativeNameRecognizer",
    "AvsRecognizer",
    "CanadianPostalCodeRecognizer",
    "DateOfBirthRecognizer",
    "EmailAddressRecognizer",
    "IbanMod97Recognizer",
    "LicencePlateRecognizer",
    "NorthAmericanPhoneRecognizer",
    "PaymentCardRecognizer",
    "PiiRecognizer",
    "QcDriverLicenceRecognizer",
    "RamqRecognizer",
    "SinRecognizer",
    "SivPlateRecognizer",
    "SpacyPersonRecognizer",
    "SwissPhoneRecognizer",
    "SwissPostalCodeRecognizer",
    "TermsRecognizer",
    "TitledPersonRecognizer",
    "default_recognizers",
]
