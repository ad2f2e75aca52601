"""The adoption step as the demo's manager walks it: an adoption case completed with the council's
document, an impact assessment, a move to pilot refused while the vendor assessment is missing (the
error lists it, with its link), the supplier assessed and scored, then the move accepted. axe-core on
every new page."""

from __future__ import annotations

import re

import pytest

from balise.governance.assessment import IMPACT_QUESTIONS, MITIGATION_QUESTIONS
from balise.governance.vendors import CRITERIA
from tests.browser.conftest import check_accessibility, sign_in, visit
from tests.governance.adoption_data import CASE, VENDOR

pytestmark = pytest.mark.browser

NAME = "Agent conversationnel de l’urbanisme"


def _save_system(page, status: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Statut").select_option(status)
    page.get_by_role("button", name="Enregistrer la fiche").click()


def test_a_system_moves_to_pilot_once_its_adoption_case_and_vendor_are_complete(page):  # type: ignore[no-untyped-def]
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/registre/nouveau")
    page.get_by_label("Nom", exact=True).fill(NAME)
    page.get_by_label("À quoi il sert (en langage clair, les résidents lisent ceci en premier)").fill(
        "Répondre aux questions sur le zonage."
    )
    page.get_by_label("Hébergé").select_option("quebec")
    _save_system(page, "planned")
    page.wait_for_url(re.compile(r".*/gouvernance/registre/[0-9a-f]+\?enregistre=1"))
    system_id = page.url.split("/registre/")[1].split("?")[0]
    check_accessibility(page)

    page.get_by_role("link", name="Dossier d’adoption", exact=True).click()
    page.wait_for_url(f"**/registre/{system_id}/adoption")
    check_accessibility(page)
    assert "Incomplet" in page.locator("#adoption-missing").inner_text()
    for name, value in CASE.items():
        page.locator(f"#a-{name}").fill(value)
    page.get_by_label("Résolution ou procès-verbal").set_input_files(
        {"name": "resolution-CM-2026-031.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 x"}
    )
    page.get_by_role("button", name="Enregistrer le dossier d’adoption").click()
    page.wait_for_url(f"**/registre/{system_id}/adoption?enregistre=1")
    check_accessibility(page)
    assert "Complet" in page.locator("#adoption-complete").inner_text()
    assert page.get_by_role("link", name="resolution-CM-2026-031.pdf").is_visible()

    visit(page, f"/gouvernance/registre/{system_id}/evaluation")
    for question in IMPACT_QUESTIONS + MITIGATION_QUESTIONS:
        page.locator(f'input[name="{question.key}"]').first.check()
    for box in page.locator('input[name="privacy"]').all():
        box.check()
    page.get_by_role("button", name="Enregistrer cette version de l’évaluation").click()
    page.wait_for_url(f"**/registre/{system_id}/evaluation/1")

    visit(page, f"/gouvernance/registre/{system_id}")
    _save_system(page, "pilot")
    error = page.locator("#system-error")
    error.wait_for()
    check_accessibility(page)
    text = error.inner_text()
    assert "ne peut pas encore passer à l’étape « Projet pilote »" in text
    assert "Évaluation du fournisseur : aucune liée" in text and "Dossier d’adoption" not in text
    error.get_by_role("link", name=re.compile("Évaluation du fournisseur")).click()
    page.wait_for_url("**/gouvernance/fournisseurs")
    check_accessibility(page)
    assert (
        "Hébergement et juridiction" in page.get_by_role("table", name="Critères et leurs poids").inner_text()
    )

    page.get_by_role("link", name="Évaluer un fournisseur").click()
    page.wait_for_url("**/fournisseurs/nouveau")
    check_accessibility(page)
    for name, value in VENDOR.items():
        if name.startswith("score_") or name in ("hosting", "training_reuse", "openai_compatible"):
            continue
        page.locator(f"#v-{name}").fill(value)
    page.locator("#v-hosting").select_option("quebec")
    page.locator("#v-training_reuse").select_option("no")
    page.locator("#v-openai_compatible").select_option("yes")
    for criterion in CRITERIA:
        page.locator(f"#v-score-{criterion.key}").select_option("3")
    page.get_by_role("button", name="Enregistrer l’évaluation").click()
    page.wait_for_url(re.compile(r".*/gouvernance/fournisseurs/[0-9a-f]+\?enregistre=1"))
    check_accessibility(page)
    assert "75 %" in page.locator("#vendor-score").inner_text()
    assert page.locator("#vendor-complete").is_visible()

    visit(page, f"/gouvernance/registre/{system_id}")
    page.get_by_label("Évaluation de son fournisseur").select_option(label=VENDOR["name"])
    _save_system(page, "pilot")
    page.wait_for_url(f"**/registre/{system_id}?enregistre=1")
    assert "La fiche a été enregistrée." in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Statut").input_value() == "pilot"
    assert page.locator("#gate-open").is_visible()
    check_accessibility(page)
