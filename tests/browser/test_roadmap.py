"""The roadmap as the demo's manager walks it: the demo's four first steps written, the last two led
to done (one refused first for want of evidence), a resource person named and removed; the privacy
officer reads it; the conformity view shows G14 and G18 in place. axe-core on every page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser


def test_the_six_steps_are_walked_to_the_end(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    page.get_by_role("link", name="Feuille de route").click()
    page.wait_for_url("**/gouvernance/feuille-de-route")
    check_accessibility(page)
    evidence = page.locator("#evidence-pilot").input_value()
    assert "Service de l'urbanisme" in evidence

    for key in ("pilot", "pooling", "interim_review"):
        step = page.locator(f"#etape-{key}")
        step.get_by_label("Statut").select_option("done")
        if key == "pooling":
            step.get_by_label("Preuve (une décision, un document, un lien)").fill("")
            step.get_by_role("button", name="Enregistrer cette étape").click()
            assert "quand sa preuve le montre" in page.get_by_role("alert").inner_text()
            check_accessibility(page)
            step = page.locator(f"#etape-{key}")
            step.get_by_label("Statut").select_option("done")
        step.get_by_label("Preuve (une décision, un document, un lien)").fill(f"Preuve de l'étape {key}.")
        step.get_by_role("button", name="Enregistrer cette étape").click()
        page.wait_for_url(f"**/gouvernance/feuille-de-route#etape-{key}")
    assert page.locator("#roadmap-progress").inner_text() == "6 étapes terminées sur 6."

    page.get_by_label("Nom", exact=True).fill("Chantal Ressource")
    page.get_by_label("Service", exact=True).fill("Loisirs")
    page.get_by_role("button", name="Nommer cette personne-ressource").click()
    table = page.get_by_role("table", name="Personnes-ressources, celles du service pilote d’abord")
    assert "Chantal Ressource" in table.inner_text()
    page.get_by_role("button", name="Retirer Chantal Ressource").click()
    assert (
        "Chantal Ressource"
        not in page.get_by_role(
            "table", name="Personnes-ressources, celles du service pilote d’abord"
        ).inner_text()
    )
    check_accessibility(page)

    page.goto("/gouvernance/conformite")
    assert "En place" in page.locator("#req-G14").inner_text()
    assert "Urbanisme" in page.locator("#req-G18").inner_text()


def test_the_privacy_officer_reads_the_roadmap(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "vie-privee@demo.balise.ca")
    visit(page, "/gouvernance/feuille-de-route")
    assert page.get_by_role("button", name="Enregistrer cette étape").count() == 0
    assert "Émilie Employée" in page.get_by_role("main").inner_text()
