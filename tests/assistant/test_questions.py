"""Questions pasted with personal information: search and the reader get the question alone."""

from __future__ import annotations

from balise.assistant.questions import question_of, question_without, strip_values
from balise.guard.privacy import get_guard

EMAIL = (
    "Le citoyen Jean-François Bouchard (NAS 046 454 286, tél. 418 555-0199, jf.bouchard@courriel.ca) "
    "demande quelles sont les heures d'ouverture de l'hôtel de ville."
)
LETTER = (
    "Bonjour, je m'appelle Marie Tremblay et j'habite au 12, rue des Érables. Quand dois-je payer mon "
    "compte de taxes ? Merci, Marie Tremblay, 819 555-1234"
)


def searchable(text: str) -> str:
    detections = get_guard().detect(text)
    assert detections
    return question_without(text, detections)


def test_a_pasted_email_becomes_its_question() -> None:
    assert searchable(EMAIL) == "quelles sont les heures d'ouverture de l'hôtel de ville."


def test_a_pasted_letter_keeps_only_its_question() -> None:
    question = searchable(LETTER)
    assert question == "Quand dois-je payer mon compte de taxes ?"
    assert "Tremblay" not in question and "555" not in question


def test_labels_go_with_their_values_and_a_plain_question_is_untouched() -> None:
    text = "Client (NAS 046 454 286, tél. 418 555-0199) sans autre mention"
    assert strip_values(
        text, [(text.index("046"), text.index(",")), (text.index("418"), text.index(")"))]
    ) == ("Client sans autre mention")
    assert question_of("Quelle est la demande de permis la plus fréquente ?", had_personal=False) == (
        "Quelle est la demande de permis la plus fréquente ?"
    )


def test_a_name_or_an_address_the_question_is_about_is_kept() -> None:
    """A place named after a person is what is asked about: removing it sent search elsewhere."""
    for question in (
        "Quel âge ont les enfants accueillis à la Maison d'Enfants Marie Caizergues ?",
        "Quelle est la superficie du terrain cadastré TC 146 rue Croix de Lavit ?",
    ):
        assert get_guard().detect(question)
        assert searchable(question) == question


def test_a_name_introduced_as_the_writer_is_removed_even_alone() -> None:
    question = searchable("Mme Julie Tremblay demande quand passe la collecte des ordures.")
    assert question == "quand passe la collecte des ordures."
