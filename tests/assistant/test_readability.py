"""French readability: syllables and the Kandel–Moles score with its level."""

from __future__ import annotations

import pytest

from balise.assistant.readability import kandel_moles, syllables
from balise.i18n import use_locale


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("municipalité", 6),
        ("conseil", 2),
        ("ville", 1),
        ("écoles", 2),
        ("aujourd'hui", 3),
        ("poète", 2),
        ("réunion", 3),
        ("idée", 2),
        ("naïf", 2),
        ("quatre", 1),
        ("peut-être", 2),
        ("le", 1),
        ("que", 1),
        ("citoyens", 3),
        ("l'école", 2),
        ("interdit", 3),
    ],
)
def test_french_syllables(word: str, expected: int) -> None:
    assert syllables(word) == expected


def test_short_plain_sentences_are_easy_and_administrative_prose_is_hard() -> None:
    easy = kandel_moles("Le bac brun est ramassé le jeudi. Sortez-le la veille. Merci !")
    hard = kandel_moles(
        "La municipalité procède à l'harmonisation réglementaire des dispositions applicables au "
        "stationnement hivernal conformément aux orientations stratégiques adoptées par le conseil "
        "d'agglomération relativement à la sécurité routière."
    )
    assert easy.score > 80 and easy.level in ("easy", "very_easy")
    assert hard.score < 30 and hard.level == "very_difficult" and hard.label == "très difficile"
    assert hard.sentences == 1 and hard.words == 26
    with use_locale("en"):
        assert hard.label == "very difficult"


def test_the_formula_is_kandel_moles() -> None:
    result = kandel_moles("Le chat dort sur le tapis. Il fait beau.")
    expected = 207 - 1.015 * result.words / result.sentences - 73.6 * result.syllables / result.words
    assert result.score == pytest.approx(expected, abs=0.05)
    assert result.words == 9 and result.syllables == 10


def test_empty_text() -> None:
    assert kandel_moles("").words == 0
