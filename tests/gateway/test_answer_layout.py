"""Extracted answers as a person reads them (issue 28): the fact, then one paragraph per supporting
sentence with its marker after a space, each sentence once, no sentence that does not bear on the
question, and a caution when what is stated is barely supported."""

from __future__ import annotations

from balise.gateway import Passage
from balise.gateway.extractive import ExtractiveBackend
from balise.gateway.reader import Reader

WATERING = (
    "Règlement sur l'arrosage\n\n"
    "L'arrosage des pelouses est permis entre 20 h et 23 h les jours pairs pour les adresses paires et les "
    "jours impairs pour les adresses impaires. Le lavage des entrées est interdit en tout temps."
)
FAQ = (
    "Hôtel de ville : heures d'ouverture et coordonnées\n\n"
    "Quelles sont les heures d'ouverture de l'hôtel de ville ?\n\n"
    "L'hôtel de ville est ouvert du lundi au jeudi de 8 h 30 à 12 h et de 13 h à 16 h 30. "
    "Il est fermé les jours fériés."
)
COUNCIL = (
    "Conseil municipal de Saint-Balise — résumé de la séance du 14 octobre\n\n"
    "Présents : Monsieur le Maire, Philippe Saurel, et les conseillers municipaux. "
    "Le conseil a adopté le budget de la Ville pour l'année suivante et désigné les représentants au "
    "comité de circulation."
)
WATER_HOURS = "À quelle heure puis-je arroser ma pelouse ?"
SCHOOL = "Qui représente la Ville à l'école Sainte Famille ?"


def passage(number: int, text: str, title: str = "") -> Passage:
    return Passage(number, f"c{number}", f"d{number}", title, 1, text)


def watering_answer() -> str:
    passages = [passage(1, WATERING, "Règlement sur l'arrosage"), passage(2, FAQ, "Foire aux questions")]
    return ExtractiveBackend().answer(WATER_HOURS, passages).text


def test_the_fact_then_one_paragraph_per_sentence_each_with_its_marker_after_a_space() -> None:
    paragraphs = watering_answer().split("\n\n")
    assert paragraphs[0] == "20 h et 23 h les jours pairs [1]"
    assert paragraphs[1].startswith("L'arrosage des pelouses est permis entre 20 h et 23 h")
    assert all(p.endswith(("[1]", "[2]")) and p[-4] == " " for p in paragraphs)
    assert all(p.count("[") == 1 for p in paragraphs)


def test_the_watering_hours_answer_does_not_end_with_the_town_halls_hours() -> None:
    text = watering_answer()
    assert "hôtel de ville" not in text.casefold()
    assert "[2]" not in text


def test_a_sentence_repeated_by_overlapping_chunks_is_shown_once() -> None:
    first = "La collecte des ordures a lieu chaque mardi matin. Les bacs doivent être sortis avant 7 h."
    second = "Les bacs doivent être sortis avant 7 h. La collecte des ordures a lieu chaque mardi matin."
    completion = ExtractiveBackend().answer(
        "Quel jour a lieu la collecte des ordures ?",
        [passage(1, first, "Collecte"), passage(2, second, "Collecte")],
    )
    sentences = [p.rsplit(" [", 1)[0] for p in completion.text.split("\n\n")]
    assert len(sentences) == len(set(sentences))
    assert sentences.count("La collecte des ordures a lieu chaque mardi matin.") == 1


def test_an_answer_from_an_unrelated_council_summary_carries_a_caution() -> None:
    completion = ExtractiveBackend().answer(SCHOOL, [passage(1, COUNCIL, "Procès-verbal du conseil")])
    assert "Philippe Saurel" in completion.text
    assert completion.caution


def test_a_well_supported_answer_carries_no_caution() -> None:
    passages = [passage(1, WATERING, "Règlement sur l'arrosage"), passage(2, FAQ, "Foire aux questions")]
    assert not ExtractiveBackend().answer(WATER_HOURS, passages).caution
    reading = Reader().read("Quelles sont les heures d'ouverture de l'hôtel de ville ?", [passage(1, FAQ)])
    assert not reading.weak


def test_the_off_topic_measure_counts_a_sentence_sharing_nothing_from_another_passage() -> None:
    from bench.off_topic import appended_sentences

    old = (
        "20 h et 23 h [1]\n\nL'arrosage des pelouses est permis entre 20 h et 23 h. [1] "
        "L'hôtel de ville est ouvert du lundi au jeudi de 8 h 30 à 12 h. [2]"
    )
    assert appended_sentences(WATER_HOURS, old, frozenset()) == (2, 1, 1)
    assert appended_sentences(WATER_HOURS, watering_answer(), frozenset()) == (1, 0, 0)
