"""The extractive reader: answer types, facts, headings as context, calibrated abstention."""

from __future__ import annotations

import pytest

from balise.gateway import Passage
from balise.gateway.answer_types import expected_type, fact_spans, merge_spans
from balise.gateway.reader import Reader

FAQ = (
    "Hôtel de ville : heures d'ouverture et coordonnées\n\n"
    "Quelles sont les heures d'ouverture de l'hôtel de ville ?\n\n"
    "L'hôtel de ville est ouvert du lundi au jeudi de 8 h 30 à 12 h et de 13 h à 16 h 30. "
    "Il est fermé les jours fériés."
)
PERMIT = (
    "Article 3 — Documents requis\nLa demande comprend le formulaire rempli et leur coût estimé.\n"
    "Article 5 — Tarifs\nLe tarif est de 50 $ pour des travaux de moins de 10\n000 $ et de 100 $ au-delà."
)


def passage(number: int, text: str, title: str = "") -> Passage:
    return Passage(number, f"c{number}", f"d{number}", title, 1, text)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Combien coûte un permis de rénovation ?", "amount"),
        ("Quel est le montant de l'amende pour arrosage interdit ?", "amount"),
        ("Quelles sont les heures d'ouverture de l'hôtel de ville ?", "time"),
        ("Quand dois-je payer mon compte de taxes ?", "date"),
        ("Qui a été élue adjointe au maire ?", "person"),
        ("Où est située la maison de retraite ?", "place"),
        ("Combien de lits compte le foyer ?", "number"),
        ("Est-ce que je peux arroser ma pelouse le mardi ?", "yesno"),
        ("Peut-on brûler des feuilles ?", "yesno"),
        ("Expliquez la politique de déneigement.", "other"),
    ],
)
def test_the_question_says_what_kind_of_fact_it_wants(question: str, expected: str) -> None:
    assert expected_type(question) == expected


def test_facts_are_found_and_neighbours_merged() -> None:
    text = "ouvert du lundi au jeudi de 8 h 30 à 12 h et de 13 h à 16 h 30"
    spans = merge_spans(text, fact_spans(text, "time"))
    assert [text[s:e] for s, e in spans] == ["lundi au jeudi de 8 h 30 à 12 h et de 13 h à 16 h 30"]
    fine = "une amende de 100 $ pour une première infraction, de 300 $ pour une récidive"
    assert [fine[s:e] for s, e in fact_spans(fine, "amount")] == ["100 $", "300 $"]
    assert [PERMIT[s:e] for s, e in fact_spans(PERMIT, "amount")][1] == "10\n000 $"


def test_a_heading_or_a_question_is_never_the_answer() -> None:
    reading = Reader().read("Quelles sont les heures d'ouverture de l'hôtel de ville ?", [passage(1, FAQ)])
    assert reading.units and all("ouvert du lundi" in u.sentence.text for u in reading.units[:1])
    assert not any(u.sentence.text.endswith("?") or "coordonnées" in u.sentence.text for u in reading.units)
    assert reading.fact_text.startswith("lundi au jeudi de 8 h 30")


def test_the_sentence_with_the_amount_wins_over_the_one_repeating_the_words() -> None:
    reading = Reader().read(
        "Combien coûte un permis de rénovation ?", [passage(1, PERMIT, "Permis de rénovation")]
    )
    assert reading.units[0].sentence.text.startswith("Le tarif est de 50 $")
    assert reading.fact_text == "50 $"


def test_the_reader_abstains_under_its_threshold_and_reports_its_confidence() -> None:
    question = "Quel est le salaire du directeur général ?"
    sure = Reader(abstain_below=0.0).read(question, [passage(1, FAQ)])
    unsure = Reader(abstain_below=0.99).read(question, [passage(1, FAQ)])
    assert unsure.abstains and not unsure.units
    assert unsure.confidence == sure.confidence < 0.99


def test_named_entities_answer_who_questions() -> None:
    text = "Ont été élus : Sauveur TORTORICI, titulaire, et Pascal KRZYZANSKI, suppléant."

    def entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [
            [(t.index("Sauveur"), t.index(", titulaire"), "PER")] if "Sauveur" in t else [] for t in texts
        ]

    reading = Reader(entities=entities).read(
        "Qui est le titulaire élu à la commission ?", [passage(1, text, "Commission locale de l'eau")]
    )
    assert reading.fact_text == "Sauveur TORTORICI"


def test_search_first_passage_adds_its_best_sentence_when_the_answer_comes_from_elsewhere() -> None:
    """The reader can misjudge; search's first passage is right more often than any other."""
    first = "Le stationnement de nuit est interdit du 15 novembre au 1er avril dans les rues de la ville."
    second = "Le stationnement de nuit en hiver est interdit entre 23 h et 7 h du 15 novembre au 1er avril."
    question = "Quand le stationnement de nuit en hiver est-il interdit ?"
    reading = Reader(abstain_below=0.0).read(question, [passage(1, first), passage(2, second)])
    assert reading.units[0].passage.number == 2
    assert [u.passage.number for u in reading.units].count(1) == 1


def test_an_unrelated_first_passage_adds_nothing() -> None:
    reading = Reader(abstain_below=0.0).read(
        "Combien coûte un permis de rénovation ?",
        [passage(1, "La bibliothèque est fermée le lundi."), passage(2, PERMIT, "Permis de rénovation")],
    )
    assert {u.passage.number for u in reading.units} == {2}
