"""The personal-information labels (a stable contract, docs/architecture.md) and their French names."""

from __future__ import annotations

from typing import Final

from balise.i18n import N_

PERSON: Final = "PERSON"
EMAIL: Final = "EMAIL"
PHONE: Final = "PHONE"
ADDRESS: Final = "ADDRESS"
POSTAL_CODE: Final = "POSTAL_CODE"
CA_SIN: Final = "CA_SIN"
CA_RAMQ: Final = "CA_RAMQ"
CA_QC_DRIVER_LICENCE: Final = "CA_QC_DRIVER_LICENCE"
CH_AVS: Final = "CH_AVS"
IBAN: Final = "IBAN"
CREDIT_CARD: Final = "CREDIT_CARD"
DATE_OF_BIRTH: Final = "DATE_OF_BIRTH"
LICENCE_PLATE: Final = "LICENCE_PLATE"
CUSTOM: Final = "CUSTOM"
"""Not a contract label: terms the tenant or the user asked to mask (deny-list, extra terms)."""

LABELS: Final[tuple[str, ...]] = (
    PERSON,
    EMAIL,
    PHONE,
    ADDRESS,
    POSTAL_CODE,
    CA_SIN,
    CA_RAMQ,
    CA_QC_DRIVER_LICENCE,
    CH_AVS,
    IBAN,
    CREDIT_CARD,
    DATE_OF_BIRTH,
    LICENCE_PLATE,
)

PLACEHOLDER_NAMES: Final[dict[str, str]] = {
    PERSON: "PERSONNE",
    EMAIL: "COURRIEL",
    PHONE: "TELEPHONE",
    ADDRESS: "ADRESSE",
    POSTAL_CODE: "CODE_POSTAL",
    CA_SIN: "NAS",
    CA_RAMQ: "RAMQ",
    CA_QC_DRIVER_LICENCE: "PERMIS_CONDUIRE",
    CH_AVS: "AVS",
    IBAN: "IBAN",
    CREDIT_CARD: "CARTE_CREDIT",
    DATE_OF_BIRTH: "DATE_NAISSANCE",
    LICENCE_PLATE: "PLAQUE",
    CUSTOM: "MASQUE",
}

PRIORITY: Final[tuple[str, ...]] = (
    CUSTOM,
    CH_AVS,
    IBAN,
    CREDIT_CARD,
    CA_SIN,
    CA_RAMQ,
    CA_QC_DRIVER_LICENCE,
    EMAIL,
    DATE_OF_BIRTH,
    LICENCE_PLATE,
    PHONE,
    POSTAL_CODE,
    ADDRESS,
    PERSON,
)
"""When two detections overlap, the earlier label wins: checksummed identifiers are the surest."""

# What each label means to a person (English msgids, translated where shown).
LABEL_NAMES: Final[dict[str, str]] = {
    "PERSON": N_("Names of people"),
    "EMAIL": N_("E-mail addresses"),
    "PHONE": N_("Telephone numbers"),
    "ADDRESS": N_("Street addresses (number, street, apartment)"),
    "POSTAL_CODE": N_("Postal codes"),
    "CA_SIN": N_("Social insurance numbers (Canada)"),
    "CA_RAMQ": N_("Health insurance numbers (RAMQ, Quebec)"),
    "CA_QC_DRIVER_LICENCE": N_("Driver's licence numbers (Quebec)"),
    "CH_AVS": N_("AVS numbers (Switzerland)"),
    "IBAN": N_("Bank account numbers (IBAN)"),
    "CREDIT_CARD": N_("Credit card numbers"),
    "DATE_OF_BIRTH": N_("Dates of birth"),
    "LICENCE_PLATE": N_("Licence plates"),
    "CUSTOM": N_("Terms of the deny-list"),
}
