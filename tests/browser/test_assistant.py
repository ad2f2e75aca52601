"""The staff assistant as the demo employee uses it: ask, open a source, summarise, revise.

Every page is checked with axe-core. If the demo library is not loaded by ``balise demo``, the
citizens' FAQ is first added through the document library, as an administrator would.
"""

from __future__ import annotations

import pytest

from balise.documents.demo import LIBRARY
from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

FAQ = "faq-citoyens"
FAQ_TITLE = "Foire aux questions des citoyens"
QUESTION = "Quand a lieu la collecte des ordures ménagères ?"


def _ensure_faq(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/documents")
    if page.get_by_text(FAQ_TITLE).count() == 0:
        page.get_by_label("Fichiers", exact=True).set_input_files(
            [
                {
                    "name": f"{FAQ}.md",
                    "mimeType": "text/markdown",
                    "buffer": (LIBRARY / f"{FAQ}.md").read_bytes(),
                }
            ]
        )
        page.locator("#classification").select_option(label="Public")
        page.get_by_role("button", name="Ajouter à la bibliothèque").click()
        page.locator("#lot").get_by_text("Fichiers traités : 1 sur 1").wait_for(timeout=180_000)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion")


def _send_and_wait(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#assistant-outcome").wait_for(timeout=120_000)
    page.wait_for_load_state()


def test_employee_asks_opens_a_source_summarises_and_revises(page):
    page.set_default_timeout(120_000)  # the privacy guard and retrieval run on every preview and answer
    _ensure_faq(page)
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/assistant")
    page.get_by_role("navigation", name="Tâches de l’assistant").get_by_role(
        "link", name="Interroger les documents"
    ).click()
    page.wait_for_url("**/assistant/question")
    check_accessibility(page)

    page.get_by_label("Votre question").fill(QUESTION)
    page.get_by_role("button", name="Voir ce qui sera envoyé").click()
    page.get_by_role("heading", name="Aperçu de ce qui sera envoyé").wait_for()
    check_accessibility(page)

    _send_and_wait(page)
    result = page.locator(".assistant-result")
    assert "mardi" in result.locator(".answer").inner_text()
    assert "sans modèle génératif" in result.locator(".disclosure").inner_text()
    check_accessibility(page)

    result.locator("ol.citations a").first.click()
    page.wait_for_url("**/sources/**")
    assert page.locator("mark").count() == 1 and page.locator("mark").inner_text()
    check_accessibility(page)

    visit(page, "/assistant/resume")
    page.get_by_label(FAQ_TITLE).check()
    page.get_by_label("Lectorat").select_option(label="Langage clair")
    _send_and_wait(page)
    assert "Kandel–Moles" in page.locator(".assistant-result").inner_text()
    check_accessibility(page)

    visit(page, "/assistant/revision")
    page.get_by_label("Texte à réviser").fill("la collecte a lieu le le mardi ,avant 7 h.")
    _send_and_wait(page)
    changes = page.locator(".changes")
    assert changes.locator("del").count() >= 1 and changes.locator("ins").count() >= 1
    check_accessibility(page)

    visit(page, "/assistant/historique")
    assert page.get_by_role("table").get_by_role("row").count() >= 4  # header + three conversations


def test_the_assistant_works_without_javascript(browser, server):  # type: ignore[no-untyped-def]
    """The form posts and the page shows the whole result. axe-core needs JavaScript, so this test only
    checks the behaviour; the same templates are checked for accessibility by the test above."""
    context = browser.new_context(base_url=server, locale="fr-CA", java_script_enabled=False)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/connexion")
        page.get_by_label("Adresse courriel").fill("employe@demo.balise.ca")
        page.get_by_label("Mot de passe").fill("balise-demo-2026")
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url("**/")
        page.goto("/assistant/question")
        page.get_by_label("Votre question").fill(QUESTION)
        page.get_by_role("button", name="Envoyer").click()
        page.locator("#assistant-outcome").wait_for()  # on the answer page, however long it takes
        page.wait_for_load_state()
        assert page.locator("#assistant-outcome").count() == 1
        assert page.locator("#assistant-stream").is_hidden()
    finally:
        context.close()


def test_the_summary_picker_filters_as_one_types_and_without_javascript(page, browser, server):  # type: ignore[no-untyped-def]
    page.set_default_timeout(120_000)
    _ensure_faq(page)
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/assistant/resume")
    items = page.locator("#document-picker li[data-search]")
    total = items.count()
    assert total >= 1 and page.locator("#document-picker fieldset.document-group legend").count() >= 1

    page.get_by_label("Filtrer les documents").fill("foire citoyens")
    assert page.get_by_label(FAQ_TITLE).is_visible()
    visible = [i for i in range(total) if items.nth(i).is_visible()]
    assert len(visible) == 1
    assert page.locator("#document-count").inner_text() == f"1 documents affichés sur {total}"
    check_accessibility(page)

    page.get_by_label(FAQ_TITLE).check()
    page.get_by_label("Filtrer les documents").fill("aucun-document-ainsi")
    assert page.get_by_label(FAQ_TITLE).is_visible()  # a ticked document stays listed
    page.get_by_label(FAQ_TITLE).uncheck()
    page.get_by_label("Filtrer les documents").fill("aucun-document-ainsi")
    assert page.locator("#document-none").is_visible()
    assert page.get_by_label(FAQ_TITLE).is_hidden()
    page.get_by_label("Filtrer les documents").press("Enter")  # no round trip: the page stays
    assert page.url.endswith("/assistant/resume")
    check_accessibility(page)

    context = browser.new_context(base_url=server, locale="fr-CA", java_script_enabled=False)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    plain = context.new_page()
    try:
        plain.goto("/connexion")
        plain.get_by_label("Adresse courriel").fill("employe@demo.balise.ca")
        plain.get_by_label("Mot de passe").fill("balise-demo-2026")
        plain.get_by_role("button", name="Se connecter").click()
        plain.wait_for_url("**/")
        plain.goto("/assistant/resume")
        plain.get_by_label("Filtrer les documents").fill("foire citoyens")
        plain.get_by_role("button", name="Filtrer", exact=True).click()
        plain.wait_for_url(lambda url: "filtre=foire+citoyens" in url)
        assert plain.locator("#document-picker li[data-search]").count() == 1
        assert plain.get_by_label(FAQ_TITLE).is_visible()
    finally:
        context.close()
