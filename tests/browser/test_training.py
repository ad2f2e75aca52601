"""Training as the demo's manager and employee use it: a session recorded with its attendance, the
quiz failed (what was wrong explained) then passed, the learning resources read; axe-core on every
new page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

WRONG = {  # the label of a wrong answer to three questions, in French
    "citizen_email": "Oui, si j’efface ensuite le courriel de l’outil.",
    "forbidden": "Oui, pour des données publiques seulement.",
    "incident": "J’attends de voir s’il se passe quelque chose.",
}
RIGHT = {
    "citizen_email": "Non : j’utilise l’outil approuvé par la municipalité, qui masque les renseignements "
    "personnels.",
    "classify": "Confidentiel",
    "label": "Garder la mention indiquant que le texte a été produit avec l’aide de l’IA.",
    "decision": "Non : une personne révise et prend toute décision qui concerne un citoyen.",
    "forbidden": "Non : j’utilise les outils autorisés et je demande que le nouvel outil soit évalué.",
    "verify": "Je vérifie le chiffre dans la source citée.",
    "prompt_secret": "Non : les secrets n’entrent jamais dans une requête; je les remplace par un marqueur.",
    "incident": "Je le signale sans attendre à la personne responsable de la protection des renseignements "
    "personnels pour que l’incident soit traité.",
}


def _answer(page, answers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for label in answers.values():
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(re.compile(r".*/formation/quiz/[0-9a-f]+$"))


def test_a_session_with_attendance_then_the_quiz_failed_and_passed(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/formations")
    check_accessibility(page)
    page.get_by_label("Titre").fill("Séance en ligne pour les testeurs")
    page.get_by_label("Public visé").select_option(label="Personnes testeuses du projet pilote")
    page.get_by_label("Format").select_option(label="En ligne")
    page.get_by_label("Date").fill("2026-11-12")
    page.get_by_label("Durée (minutes)").fill("30")
    page.get_by_label("Émilie Employée").check()
    page.get_by_label("Rémi Réviseur").check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_url("**/gouvernance/formations#seances")
    row = page.get_by_role("row", name=re.compile("Séance en ligne pour les testeurs"))
    assert "Personnes testeuses du projet pilote" in row.inner_text() and "30 min" in row.inner_text()
    assert row.locator("td").last.inner_text().strip() == "2"
    row.get_by_role("link").click()
    check_accessibility(page)
    assert page.get_by_label("Émilie Employée").is_checked()
    assert not page.get_by_label("Alice Admin").is_checked()

    page.context.clear_cookies()
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/formation/quiz")
    check_accessibility(page)
    _answer(page, {**RIGHT, **WRONG})
    check_accessibility(page)
    assert "Non réussi : 5 bonnes réponses sur 8" in page.locator("#quiz-outcome").inner_text()
    assert page.get_by_text("Le courriel d’un citoyen contient des renseignements personnels.").is_visible()
    page.get_by_role("link", name="Refaire le questionnaire").click()
    _answer(page, RIGHT)
    assert "Réussi : 8 bonnes réponses sur 8" in page.locator("#quiz-outcome").inner_text()

    page.get_by_role("link", name="Ressources d’apprentissage").click()
    check_accessibility(page)
    page.get_by_role("link", name="Glossaire de l’IA générative").click()
    check_accessibility(page)
    assert page.get_by_text("Hallucination", exact=False).first.is_visible()
