"""The staff survey and the maturity self-assessment as the demo's manager and staff use them: a
campaign opened, answered through its public link in five browsers of their own (hidden at four,
charted at five, its data table beside the chart), the demo's closed example, and an assessment with
its radar chart and next steps. axe-core on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def _answer_in_a_browser_of_their_own(browser, server: str, link: str, frequency: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    person = context.new_page()
    visit(person, link)
    assert "Se connecter" not in person.get_by_role("main").inner_text()  # no sign-in asked
    person.get_by_role(
        "group", name="Combien de fois utilisez-vous des outils d’IA pour votre travail ?"
    ).get_by_label(frequency).check()
    person.get_by_label("ChatGPT").check()
    person.get_by_role("button", name="Envoyer mes réponses").click()
    assert "enregistrées de façon anonyme" in person.locator("#survey-thanks").inner_text()
    check_accessibility(person)
    context.close()


def test_five_colleagues_answer_through_the_link_and_the_chart_appears(page, browser, server):  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/sondages")
    page.get_by_label("Nom").fill("Sondage du navigateur")
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url(re.compile(r".*/gouvernance/sondages/[0-9a-f]{32}$"))
    check_accessibility(page)
    campaign = page.url
    page.get_by_role("button", name="Ouvrir la campagne").click()
    page.wait_for_url(campaign)
    check_accessibility(page)
    link = page.locator("#survey-link").get_attribute("href")
    assert link and "/public/demo/sondage/" in link
    for frequency in ("Chaque semaine", "Chaque semaine", "Chaque jour", "Jamais"):
        _answer_in_a_browser_of_their_own(browser, server, link, frequency)
    page.reload()
    assert page.locator("#answer-count").inner_text() == "4"
    hidden = page.locator("#hidden-tools").inner_text()
    assert "4 personnes" in hidden and "à partir de 5 personnes" in hidden
    assert page.locator("figure svg").count() == 0
    check_accessibility(page)
    _answer_in_a_browser_of_their_own(browser, server, link, "Chaque semaine")
    page.reload()
    assert page.locator("#hidden-tools").count() == 0
    figure = page.locator("figure", has_text="Combien de fois utilisez-vous")
    assert figure.locator("svg[role=img]").is_visible()
    table = figure.get_by_role("table")
    assert table.is_visible()
    row = table.get_by_role("row", name=re.compile("Chaque semaine"))
    assert "3" in row.inner_text() and "60" in row.inner_text()
    check_accessibility(page)
    page.get_by_role("button", name="Fermer la campagne").click()
    page.wait_for_url(campaign)
    assert page.locator("#campaign-status").inner_text() == "Fermée"


def test_the_demo_survey_compares_and_the_maturity_assessment_is_charted(page):  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/sondages")
    page.get_by_role("link", name="État des lieux avant le projet pilote (exemple)").click()
    page.wait_for_url(re.compile(r".*/gouvernance/sondages/[0-9a-f]{32}$"))
    check_accessibility(page)
    assert page.locator("#hidden-tasks").count() == 1  # nobody answered the tasks in the example
    assert page.locator("figure svg[role=img]").count() >= 3
    visit(page, "/gouvernance/maturite")
    assert page.locator("#next-steps").is_visible()
    assert "Compétences" in page.get_by_role("main").inner_text()  # the demo's weakest dimension
    for key, level in (
        ("strategy", 3),
        ("governance", 3),
        ("data", 4),
        ("skills", 2),
        ("infrastructure", 3),
        ("ethics", 4),
    ):
        page.locator(f"#{key}-{level}").check()
    page.get_by_role("button", name="Enregistrer l’autoévaluation").click()
    page.wait_for_url("**/gouvernance/maturite#resultat")
    check_accessibility(page)
    figure = page.locator("figure", has_text="Maturité par dimension")
    assert figure.locator("svg[role=img]").is_visible()
    assert (
        figure.get_by_role("table")
        .get_by_role("row", name=re.compile("Compétences"))
        .inner_text()
        .count("/5")
        >= 2
    )
