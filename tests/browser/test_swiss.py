"""A Swiss commune (made here through the service layer, region CH-VS) as its privacy officer uses
it: the applicable law on the privacy settings, the register of processing activities pre-filled from
the AI register and completed, and a data-protection impact assessment. axe-core on every page."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import Engine

from balise.db import open_session, tenant_session
from balise.governance import save_system
from balise.tenancy import create_tenant, create_user
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-sion-2026"


def _commune(engine: Engine) -> str:
    suffix = os.urandom(3).hex()
    email = f"protection-{suffix}@commune.exemple.ch"
    with open_session(engine) as session:
        tenant = create_tenant(
            session, f"sion-{suffix}", f"Commune de Sion {suffix}", region="CH-VS", actor="test"
        )
        create_user(
            session, tenant, email, PASSWORD, "privacy_officer", display_name="Pia Protection", actor="test"
        )
        session.commit()
        tenant_id = tenant.id
    with tenant_session(tenant_id, engine) as session:
        form = {"name": "Assistant des habitants", "purpose": "Répondre aux habitants", "hosting": "eu"}
        save_system(session, tenant_id, form, actor="test")
        session.commit()
    return email


def test_a_swiss_commune_keeps_its_processing_register_and_an_impact_assessment(page, server_engine):
    sign_in(page, _commune(server_engine), PASSWORD)
    visit(page, "/confidentialite")
    assert page.get_by_label("Suisse (nLPD, et la loi cantonale sur la protection des données)").is_checked()
    page.get_by_label("Loi cantonale sur la protection des données (Suisse seulement)").fill("LIPDA (Valais)")
    page.get_by_role("button", name="Enregistrer le droit applicable").click()
    assert "Le droit applicable a été enregistré." in page.get_by_role("status").inner_text()
    check_accessibility(page)

    visit(page, "/gouvernance/traitements")
    assert "LIPDA (Valais)" in page.get_by_role("main").inner_text()
    page.get_by_role("button", name="Inscrire chaque système d’IA, prérempli").click()
    page.wait_for_url("**/gouvernance/traitements?ajoutes=1")
    check_accessibility(page)
    page.get_by_role("link", name="Assistant des habitants").first.click()
    page.wait_for_url(re.compile(r".*/gouvernance/traitements/[0-9a-f]+$"))
    check_accessibility(page)
    assert page.get_by_label("Communication à l’étranger : pays (vide s’il n’y en a pas)").input_value() == (
        "Union européenne"
    )
    page.get_by_label("Catégories de personnes concernées").fill("Habitantes et habitants")
    page.get_by_label("Catégories de données personnelles").fill("Identité, contenu des demandes")
    page.get_by_label("Catégories de destinataires").fill("Personnel communal autorisé")
    page.get_by_label("Description générale des mesures de sécurité").fill("Accès par rôle, journal d’audit")
    page.get_by_label("Garanties pour la communication à l’étranger (art. 16–17)").fill("Pays adéquat (OPDo)")
    page.get_by_role("button", name="Enregistrer l’activité de traitement").click()
    page.wait_for_url("**?enregistre=1")
    assert "l’inscription répond à chaque point de l’art. 12" in page.get_by_role("main").inner_text()
    check_accessibility(page)

    visit(page, "/gouvernance/traitements")
    page.get_by_role("link", name="Assistant des habitants").nth(1).click()
    page.wait_for_url("**/aipd")
    check_accessibility(page)
    assert page.get_by_label("Description du traitement envisagé").input_value().startswith("Répondre")
    page.get_by_label("Pas de risque élevé", exact=True).check()
    page.get_by_label(
        "Risques pour la personnalité et les droits fondamentaux des personnes concernées"
    ).fill("Erreur de contenu; divulgation dans un texte généré.")
    page.get_by_label("Mesures prévues pour protéger la personnalité et les droits fondamentaux").fill(
        "Masquage, relecture humaine, journal d’audit."
    )
    page.get_by_label("Élevé", exact=True).check()
    page.get_by_role("button", name="Enregistrer l’analyse d’impact").click()
    page.wait_for_url("**/aipd?enregistre=1")
    assert page.locator("#dpia-consultation").is_visible()  # art. 23: the FDPIC first
    check_accessibility(page)
    page.get_by_label("Consultation préalable du PFPDT (date, référence et avis)").fill(
        "Avis du PFPDT du 3 mars"
    )
    page.get_by_role("button", name="Enregistrer l’analyse d’impact").click()
    page.wait_for_url("**/aipd?enregistre=1")
    assert page.locator("#dpia-complete").is_visible()
    check_accessibility(page)
