"""The usage policy as people meet it: a block explained and contested, a warning that lets them go on,
and an administrator refining the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from balise.db import open_session
from balise.guard.policy import evaluate, load_policy, record_decision
from balise.tenancy import Tenant, User
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

BLOCKED = "Classe ces candidats du meilleur au pire pour le poste de commis."
WARNED = "Combien de temps de route entre Sion et Lausanne?"


def _blocked_decision(engine: Engine, email: str) -> str:
    """A block the assistant would have logged for this person, through the policy engine itself."""
    with open_session(engine) as session:
        tenant = session.scalars(select(Tenant).where(Tenant.slug == "demo")).one()
        user = session.scalars(select(User).where(User.email == email)).one()
        decision = evaluate(load_policy(session, tenant.id), BLOCKED)
        assert decision.outcome == "block"
        row = record_decision(session, tenant.id, user.id, decision)
        session.commit()
        return row.id


def _switch(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def test_a_blocked_request_is_explained_contested_and_overturned(page, server_engine):
    decision_id = _blocked_decision(server_engine, "employe@demo.balise.ca")
    sign_in(page, "employe@demo.balise.ca")
    visit(page, f"/politique/contestation?decision={decision_id}")
    assert "Décision : Bloquée" in page.get_by_role("main").inner_text()
    assert "évaluer un employé" in page.get_by_role("main").inner_text()
    page.get_by_label("Pourquoi cette requête devrait-elle être permise?").fill(
        "Je prépare une grille d’entrevue, pas un classement."
    )
    page.get_by_role("button", name="Envoyer ma contestation").click()
    assert "transmise aux gestionnaires" in page.get_by_role("status").inner_text()
    check_accessibility(page)

    _switch(page, "gestionnaire@demo.balise.ca")
    visit(page, "/notifications")
    page.get_by_role("link", name="Une requête bloquée a été contestée.").first.click()
    page.wait_for_url("**/politique/contestations")
    check_accessibility(page)
    card = page.get_by_role("article").filter(has_text="grille d’entrevue")
    card.get_by_label("Note à la personne").fill("D’accord : la règle sera précisée.")
    card.get_by_role("button", name="Annuler le blocage").click()
    page.wait_for_url("**/politique/contestations#traitees")
    resolved = page.get_by_role("table", name="Contestations traitées, les plus anciennes d’abord")
    assert "Blocage annulé" in resolved.inner_text()
    check_accessibility(page)

    _switch(page, "employe@demo.balise.ca")
    visit(page, f"/politique/contestation?decision={decision_id}")
    main = page.get_by_role("main").inner_text()
    assert "Blocage annulé" in main and "la règle sera précisée" in main


def test_the_test_box_blocks_with_the_reason_and_lets_a_warned_request_proceed(page):
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/politique")
    page.get_by_label("Requête à tester").fill(BLOCKED)
    page.get_by_role("button", name="Évaluer").click()
    result = page.locator("#test-result")
    assert "Décision : Bloquée" in result.inner_text() and "exigence X1" in result.inner_text()
    assert "n’est pas transmise au modèle" in result.inner_text()
    check_accessibility(page)
    result.get_by_role("link", name="Contester cette décision").click()
    page.wait_for_url("**/politique/contestation?decision=*")
    check_accessibility(page)

    visit(page, "/politique")
    page.get_by_label("Requête à tester").fill(WARNED)
    page.get_by_role("button", name="Évaluer").click()
    result = page.locator("#test-result")
    assert "Décision : Avertissement" in result.inner_text()
    assert "La requête peut se poursuivre" in result.inner_text()
    check_accessibility(page)


def test_admin_adds_a_rule_and_sees_yaml_errors_in_french(page, tmp_path: Path):
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/politique")
    page.get_by_label("Identifiant (minuscules, chiffres, - _ .)").fill("piscine")
    page.get_by_label("Résultat", exact=True).select_option(label="Avertissement")
    page.get_by_label("Explication montrée à la personne").fill("Consultez l’horaire officiel de la piscine.")
    page.get_by_label("Mots-clés (un par ligne)").fill("bain libre")
    page.get_by_role("button", name="Enregistrer la règle").click()
    assert "La politique a été enregistrée" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)
    page.get_by_label("Requête à tester").fill("Quand est le bain libre?")
    page.get_by_role("button", name="Évaluer").click()
    assert "Consultez l’horaire officiel" in page.locator("#test-result").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la politique (YAML)").click()
    assert "id: piscine" in download_info.value.path().read_text(encoding="utf-8")

    bad = tmp_path / "politique.yaml"
    bad.write_text(
        "version: 1\nrules:\n  - id: x\n    outcome: peut-etre\n    explanation: Test\n", encoding="utf-8"
    )
    page.get_by_label("Fichier de politique à importer").set_input_files(str(bad))
    page.get_by_role("button", name="Importer", exact=True).click()
    alert = page.get_by_role("alert").inner_text()
    assert "ligne 4" in alert and "rules[0].outcome" in alert
    check_accessibility(page)

    _switch(page, "gestionnaire@demo.balise.ca")
    visit(page, "/politique")
    assert page.get_by_role("button", name="Enregistrer la règle").count() == 0
