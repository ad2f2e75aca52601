"""Swiss and administrative formats of issue 11, and the rules that leave streets and role words alone."""

from __future__ import annotations

import pytest

from balise.guard.privacy import PrivacyGuard, PrivacySettings
from balise.guard.privacy.recognizers import (
    AdministrativeNameRecognizer,
    SivPlateRecognizer,
    SwissPhoneRecognizer,
    SwissPostalCodeRecognizer,
)
from balise.guard.privacy.recognizers.generic.name_lists import (
    is_first_name,
    is_surname,
    starts_line_or_sentence,
)
from tests.guard_privacy.lookalikes import ROLE_LINES, street_names, street_texts

PERSONS = PrivacySettings(labels=frozenset({"PERSON"}))


def _found(recognizer: object, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, [recognizer.supported_entities[0]])]  # type: ignore[attr-defined]


def _persons(guard: PrivacyGuard, text: str) -> list[str]:
    return [text[d.start : d.end] for d in guard.detect(text, PERSONS)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Route de Chêne 12, 1227 Carouge", ["1227"]),
        ("Case postale 45, 1950 Sion", ["1950"]),
        ("CH-1003 Lausanne", ["1003"]),
        ("2300 La Chaux-de-Fonds", ["2300"]),
        ("En 2024 Lausanne a adopté un règlement.", []),
        ("Depuis 1998 Vevey accueille le festival.", []),
        ("Le 12 mars 2025 Genève a voté.", []),
        ("Un budget de CHF 1950 Conseil compris.", []),
        ("1500 personnes ont signé.", []),
    ],
)
def test_swiss_postal_code_before_the_locality(text: str, expected: list[str]) -> None:
    assert _found(SwissPostalCodeRecognizer(), text) == expected


@pytest.mark.parametrize(
    "number",
    ["079/422 38 99", "021/315.22.22", "079 / 422 38 99", "+41 (0)79 422 38 99", "0041 21 315 22 22"],
)
def test_swiss_phone_numbers_including_the_slash_notation(number: str) -> None:
    assert _found(SwissPhoneRecognizer(), f"Natel : {number}.") == [number]


def test_swiss_phone_look_alikes_are_left() -> None:
    assert _found(SwissPhoneRecognizer(), "Dossier 012/345 67 89 00 et facture 1/2 du 079.") == []


@pytest.mark.parametrize(
    ("text", "expected"), [("AB-123-CD", ["AB-123-CD"]), ("Le véhicule FG-908-HJ.", ["FG-908-HJ"])]
)
def test_siv_plates_need_no_context_word(text: str, expected: list[str]) -> None:
    assert _found(SivPlateRecognizer(), text) == expected


@pytest.mark.parametrize("text", ["Réf. AB-000-CD", "code AB-12-CD", "ISO-123-FR-2", "AB-123-CDE"])
def test_siv_look_alikes(text: str) -> None:
    assert _found(SivPlateRecognizer(), text) == []


def test_name_lists_come_from_quebec_and_romandy() -> None:
    assert is_first_name("Marie-Claude") and is_first_name("GENEVIÈVE") and not is_first_name("Requérant")
    assert is_surname("Tremblay") and is_surname("Côté") and not is_surname("Règlement")


def test_line_and_sentence_starts() -> None:
    text = "Requérant : X\n- Quiconque. Carte au milieu"
    assert starts_line_or_sentence(text, 0) and starts_line_or_sentence(text, text.index("Quiconque"))
    assert starts_line_or_sentence(text, text.index("Carte")) and not starts_line_or_sentence(
        text, text.index("milieu")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Témoin : DUPONT, Marie", ["DUPONT, Marie"]),
        ("Requérante : Marie-Claude ROCHAT (propriétaire)", ["Marie-Claude ROCHAT"]),
        ("Présents : M. Roy, Mme C. Schuler et Sylvie GAGNON.", ["Roy", "C. Schuler", "Sylvie GAGNON"]),
        (
            "Témoins :\n- BOURQUIN, Lucas, 2945 chemin Grégoire\nAlessandro Ferri, 9 rue du Lac\n\nSuite",
            ["BOURQUIN, Lucas", "Alessandro Ferri"],
        ),
        (
            "Nom | Téléphone\nNATTA, Fredo | 079 750 02 26\nAmalia Paganini | 021 315 22 22",
            ["NATTA, Fredo", "Amalia Paganini"],
        ),
        ("Veuillez agréer nos salutations.\n\nWolfgang Tobler\nGreffier municipal", ["Wolfgang Tobler"]),
        ("Rosario Michel\n12, rue des Érables\nGatineau", ["Rosario Michel"]),
        ("Propriétaire : Gestion Tremblay inc.", []),
        ("Requérant : Ville de Carouge", []),
    ],
)
def test_administrative_name_shapes(text: str, expected: list[str]) -> None:
    assert sorted(_found(AdministrativeNameRecognizer(), text)) == sorted(expected)


def test_the_guard_masks_whole_administrative_names(guard: PrivacyGuard) -> None:
    text = "Requérant : DUPONT, Marie\nTémoin : Luc Favre\nMerci,\nJean-Pierre MÜLLER"
    assert _persons(guard, text) == ["DUPONT, Marie", "Luc Favre", "Jean-Pierre MÜLLER"]


def test_two_hundred_streets_named_after_people_are_not_persons(guard: PrivacyGuard) -> None:
    assert len(set(street_names())) == 200
    flagged = {text: found for text in street_texts() if (found := _persons(guard, text))}
    assert flagged == {}


@pytest.mark.parametrize("line", ROLE_LINES)
def test_role_words_opening_a_line_are_not_persons(guard: PrivacyGuard, line: str) -> None:
    assert _persons(guard, line) == []
    assert _persons(guard, f"Formulaire de demande\n{line}") == []


def test_vetoes_keep_real_names_around_streets(guard: PrivacyGuard) -> None:
    text = "Mme Sylvie Tessier habite chemin Georges-Tessier. Tremblay a signé."
    assert _persons(guard, text) == ["Sylvie Tessier", "Tremblay"]
