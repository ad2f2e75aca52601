"""Privacy settings and the model registry as the privacy officer and the administrator use them."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import check_accessibility, sign_in, visit
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.browser


def test_privacy_officer_saves_the_lists_and_sees_what_would_be_sent(page):
    sign_in(page, "vie-privee@demo.balise.ca")
    visit(page, "/confidentialite")
    page.get_by_label("Toujours masquer ces termes (un par ligne)").fill("Projet Castor")
    page.get_by_label("Ne jamais masquer ces termes (un par ligne)").fill("Marie Maire")
    page.get_by_label("Conserver les valeurs des marqueurs pendant (jours)").fill("60")
    page.get_by_role("button", name="Enregistrer les paramètres").click()
    assert "ont été enregistrés" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)

    page.get_by_label("Texte à tester").fill(
        "Marie Maire a répondu à jean.roy@example.org au sujet du Projet Castor."
    )
    page.get_by_role("button", name="Afficher ce qui serait envoyé").click()
    result = page.locator("#resultat")
    result.wait_for()
    check_accessibility(page)
    masked = result.locator("mark.masked").all_inner_texts()
    assert any("[COURRIEL_1]" in text for text in masked)
    assert any("[MASQUE_1]" in text for text in masked)
    assert "Marie Maire a répondu" in result.locator(".preview").inner_text()

    visit(page, "/confidentialite")  # leave the demo municipality as it was for the other tests
    page.get_by_label("Toujours masquer ces termes (un par ligne)").fill("")
    page.get_by_label("Ne jamais masquer ces termes (un par ligne)").fill("")
    page.get_by_label("Conserver les valeurs des marqueurs pendant (jours)").fill("30")
    page.get_by_role("button", name="Enregistrer les paramètres").click()
    assert "ont été enregistrés" in page.get_by_role("status").first.inner_text()


def test_admin_adds_a_model_tests_the_connection_and_removes_it(page):
    sign_in(page, "admin@demo.balise.ca")
    with OpenAIServer(model="modele-essai") as server:
        visit(page, "/modeles")
        assert page.get_by_role("rowheader", name="Extraits des documents (intégré)").count() == 1
        page.get_by_label("Nom affiché au personnel").fill("Serveur d’essai")
        page.get_by_label("Adresse du serveur").fill(server.base_url)
        page.get_by_label("Identifiant du modèle sur ce serveur").fill("modele-essai")
        page.get_by_label("Hébergé").select_option(label="Sur les serveurs de la municipalité")
        page.get_by_label("Données les plus sensibles permises").select_option(label="Interne")
        page.get_by_label("Clé d’API", exact=True).fill("cle-secrete-essai")
        page.get_by_role("button", name="Ajouter le modèle").click()
        assert "a été ajouté" in page.get_by_role("status").first.inner_text()
        assert "cle-secrete-essai" not in page.content()
        check_accessibility(page)

        page.get_by_role("button", name="Tester la connexion — Serveur d’essai").click()
        result = page.locator("#connection-result")
        assert "La connexion fonctionne" in result.inner_text()
        check_accessibility(page)

    page.get_by_role("link", name="Modifier — Serveur d’essai").click()
    page.wait_for_url("**/modeles/*")
    check_accessibility(page)
    assert page.get_by_label("Clé d’API", exact=True).input_value() == ""  # write-only
    page.get_by_label("Données les plus sensibles permises").select_option(label="Public")
    page.get_by_role("button", name="Enregistrer le modèle").click()
    page.wait_for_url("**/modeles")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Serveur d’essai"))
    assert "Public" in row.inner_text()

    page.get_by_role("link", name="Retirer — Serveur d’essai").click()
    page.wait_for_url("**/suppression")
    check_accessibility(page)
    page.get_by_role("button", name="Retirer le modèle").click()
    page.wait_for_url("**/modeles")
    assert page.get_by_role("rowheader", name="Serveur d’essai").count() == 0


def test_an_employee_reads_the_models_without_managing_them(page):
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/modeles")
    assert "Seul un administrateur" in page.get_by_role("main").inner_text()
    assert page.get_by_role("button", name="Ajouter le modèle").count() == 0


def test_admin_sets_the_caution_of_extracted_answers(page):
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/modeles")
    page.get_by_label("Prudent : dit plus souvent").check()
    page.get_by_role("button", name="Enregistrer le niveau").click()
    assert "a été enregistrée" in page.get_by_role("status").first.inner_text()
    check_accessibility(page)
    assert page.get_by_label("Prudent : dit plus souvent").is_checked()
    page.get_by_label("Standard : répond dès").check()  # the demo's other tests expect the default
    page.get_by_role("button", name="Enregistrer le niveau").click()
    assert page.get_by_label("Standard : répond dès").is_checked()


def test_admin_sees_the_workers_heartbeats_and_the_recurring_jobs(page):
    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/admin/travailleurs")
    assert page.get_by_role("heading", name="Travailleurs").count() == 1
    assert "travailleur(s) en vie" in page.get_by_role("status").first.inner_text()  # serve's own worker
    jobs = page.get_by_role("table", name="Tâches récurrentes de la municipalité")
    assert jobs.get_by_role("cell", name="Rappels des plaintes").count() == 1


def test_admin_sets_a_services_quota_and_removes_it(page):
    from playwright.sync_api import expect

    sign_in(page, "admin@demo.balise.ca")
    visit(page, "/admin/quotas")
    page.get_by_label("Un service", exact=True).check()
    page.get_by_label("Service (pour le quota d’un service)").select_option("Urbanisme")
    page.get_by_label("Requêtes par minute", exact=True).fill("600")
    page.get_by_role("button", name="Enregistrer le quota").click()
    assert "Le quota a été enregistré." in page.get_by_role("status").first.inner_text()
    check_accessibility(page)
    quotas = page.get_by_role("table", name="Quotas en vigueur")
    assert quotas.get_by_role("row", name=re.compile("Urbanisme")).count() == 1
    quotas.get_by_role("button", name=re.compile("Retirer.*Urbanisme")).click()  # the demo as it was
    expect(page.get_by_role("cell", name="Aucun quota : les outils d’IA ne sont pas limités.")).to_have_count(
        1
    )


def test_a_manager_reads_the_consumption_and_may_export_it(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/consommation")
    assert page.get_by_role("heading", name="Consommation de l’IA").count() == 1
    assert page.get_by_role("link", name="Exporter en CSV").count() == 1
