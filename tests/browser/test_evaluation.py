"""The evaluation pages as the demo's manager reads them: the dashboard with its charts and their data
tables, the demo set, and its run with the failed questions one click away; axe-core on every page,
and the charts readable without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def test_the_demo_manager_reads_the_dashboard_the_set_and_the_run(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/evaluation")
    assert page.get_by_role("heading", level=1).inner_text() == "Évaluation des réponses"
    charts = page.get_by_role("img", name="Document attendu parmi les cinq premiers de la recherche")
    assert charts.count() == 1
    page.get_by_text("Tableau de données : Abstentions justes").click()
    assert page.get_by_role("table", name="Abstentions justes").is_visible()
    check_accessibility(page)  # the data table open
    # The set's own link: the runs table names the set too once the worker's weekly run has been added.
    page.locator(
        'a[href*="/gouvernance/evaluation/jeux/"]', has_text="Questions des citoyens (exemple)"
    ).first.click()
    page.wait_for_url(re.compile(r".*/gouvernance/evaluation/jeux/[0-9a-f]+$"))
    check_accessibility(page)
    assert "horaire des vols" in page.get_by_role("main").inner_text()
    page.get_by_role("main").get_by_role("link", name=re.compile("2026")).first.click()
    page.wait_for_url(re.compile(r".*/gouvernance/evaluation/resultats/[0-9a-f]+$"))
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("questions échouées")).click()
    page.wait_for_url(re.compile(r".*#echecs$"))
    failed = page.locator("#echecs").locator("xpath=..").inner_text()
    # the demo's run is a real measurement: either its failed questions with their cause, or none
    assert "Elle " in failed or "toutes les questions ont réussi" in failed
    assert "Foire aux questions des citoyens" in page.get_by_role("main").inner_text()


def test_the_charts_read_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/connexion")
        page.get_by_label("Adresse courriel").fill("gestionnaire@demo.balise.ca")
        page.get_by_label("Mot de passe").fill("balise-demo-2026")
        page.get_by_role("button", name="Se connecter").click()
        page.goto("/gouvernance/evaluation")
        figure = page.locator("figure.chart").first
        assert figure.locator("svg[role=img]").count() == 1
        assert "seuil" in figure.locator("figcaption").inner_text()
    finally:
        context.close()
