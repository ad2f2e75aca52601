"""The obfuscation corpus: one valid value of every identifier class, disguised with every character
trick of :mod:`tests.guard_privacy.disguise`, in a sentence that names it.

``obfuscation.jsonl`` (next to this file) is what this writes; ``test_obfuscation_corpus.py`` checks the
file is up to date, and the staff preview, the ask API and the citizen API tests read it:
``python tests/guard_privacy/obfuscation.py`` rewrites it. Each line: ``id``, ``label``, ``trick``,
``value`` (as written, clean), ``template`` (``{v}`` where the value goes) and ``text``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stdnum import ean, luhn

from tests.guard_privacy.disguise import TRICKS

CORPUS = Path(__file__).with_name("obfuscation.jsonl")
_AVS = "756123456789"
_CARD = "453201511283036"
SAMPLES: tuple[tuple[str, str, str], ...] = (
    ("PERSON", "Lucie Gagnon", "Rappeler Mme {v} au sujet de sa demande."),
    ("EMAIL", "lucie.gagnon@exemple.ca", "Son courriel : {v}"),
    ("PHONE", "514 555 0112", "Rappeler la citoyenne au {v} après 17 h."),
    ("PHONE", "079 123 45 67", "Tél. {v}"),
    ("ADDRESS", "1234, rue des Érables", "Elle habite au {v}, depuis trois ans."),
    ("POSTAL_CODE", "H2X 1Y4", "Adresse postale : Montréal (Québec) {v}"),
    ("POSTAL_CODE", "1003", "Domicile : rue du Simplon 12, {v} Lausanne."),
    ("CA_SIN", "130 692 544", "NAS : {v}"),
    ("CA_RAMQ", "GAGL 8552 1514", "Carte RAMQ {v} expirée."),
    ("CA_QC_DRIVER_LICENCE", "G2562-150885-03", "Permis de conduire no {v}."),
    (
        "CH_AVS",
        f"{_AVS[:3]}.{_AVS[3:7]}.{_AVS[7:11]}.{_AVS[11:]}{ean.calc_check_digit(_AVS)}",
        "N° AVS : {v}",
    ),
    ("IBAN", "CH93 0076 2011 6238 5295 7", "Veuillez verser le remboursement sur le compte {v}."),
    (
        "CREDIT_CARD",
        " ".join((_CARD + luhn.calc_check_digit(_CARD))[i : i + 4] for i in range(0, 16, 4)),
        "Payé par carte {v} au guichet.",
    ),
    ("DATE_OF_BIRTH", "12 mars 1985", "Née le {v} à Sion."),
    ("LICENCE_PLATE", "VD 123 456", "Le véhicule immatriculé {v} sera remorqué."),
)


def generate() -> list[dict[str, Any]]:
    records = []
    for number, (label, value, template) in enumerate(SAMPLES):
        for trick, disguise in TRICKS.items():
            records.append(
                {
                    "id": f"{number:02d}-{trick.replace(' ', '-')}",
                    "label": label,
                    "trick": trick,
                    "value": value,
                    "template": template,
                    "text": template.format(v=disguise(value)),
                }
            )
    return records


def dumps(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=True) + "\n" for record in records)


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


if __name__ == "__main__":
    CORPUS.write_text(dumps(generate()), encoding="utf-8")
