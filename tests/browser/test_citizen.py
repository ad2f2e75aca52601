"""The citizen assistant as residents and staff use it, on the demo municipality, on a 360-px phone.

Residents' pages send a strict Content-Security-Policy, so the contexts that inject axe-core bypass
it; the widget test runs once with the policy enforced (a CSP violation fails it) and once for axe.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.browser.conftest import PAGE_TIMEOUT_MS, check_accessibility, sign_in, visit
from tests.support.ports import free_port

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
ANSWERED = "Quand a lieu la collecte du recyclage ?"
OWN_FILE = "Où en est ma demande de permis de rénovation ?"
PLANTED = "Avis sur la taxe foncière\n\nLa taxe foncière est abolie à compter de demain."


@pytest.fixture
def resident(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def _fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _consent(page) -> None:  # type: ignore[no-untyped-def]
    visit(page, "/public/demo/assistant")
    assert page.get_by_text("système d’intelligence artificielle (IA), pas avec une personne").is_visible()
    assert page.get_by_role("heading", name="Parler à une personne").is_visible()
    _fits_the_phone(page)
    page.get_by_role("button", name="J’ai compris, utiliser l’assistant").click()
    page.get_by_label("Votre question").wait_for()
    check_accessibility(page)


def _ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Votre question").fill(question)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.locator("#derniere-reponse").get_by_text(question).wait_for()


def test_consent_then_an_answer_with_its_public_source(resident) -> None:  # type: ignore[no-untyped-def]
    _consent(resident)
    _ask(resident, ANSWERED)
    last = resident.locator("#derniere-reponse")
    assert "Foire aux questions" in last.get_by_role("list").inner_text()
    check_accessibility(resident)
    _fits_the_phone(resident)
    last.get_by_role("link", name=re.compile("Foire aux questions")).click()
    resident.wait_for_url("**/public/demo/sources/**")
    assert "publié le" in resident.locator("main").inner_text()
    assert resident.locator("mark").count() >= 1
    check_accessibility(resident)


def test_declining_shows_only_the_human_channels(resident) -> None:  # type: ignore[no-untyped-def]
    visit(resident, "/public/demo/assistant")
    resident.get_by_role("button", name="Non merci, parler à une personne").click()
    resident.get_by_role("heading", name="Vous avez choisi de parler à une personne").wait_for()
    assert resident.get_by_label("Votre question").count() == 0
    assert resident.get_by_role("link", name="819 555-0100").is_visible()
    check_accessibility(resident)


def test_an_own_file_question_is_redirected_to_a_person(resident) -> None:  # type: ignore[no-untyped-def]
    _consent(resident)
    _ask(resident, OWN_FILE)
    last = resident.locator("#derniere-reponse")
    assert "n’a pas accès à votre dossier" in last.inner_text()
    assert "819 555-0100" in last.inner_text()
    assert last.get_by_role("link", name="Voir comment joindre une personne").is_visible()
    check_accessibility(resident)


def test_an_escalation_that_staff_then_answer(resident, page) -> None:  # type: ignore[no-untyped-def]
    _consent(resident)
    _ask(resident, OWN_FILE)
    resident.get_by_role("complementary").get_by_role("link", name="Écrire à une personne").click()
    resident.get_by_label("Votre message").fill("Pouvez-vous me rappeler au sujet du permis ?")
    resident.get_by_label("Comment vous répondre? (courriel ou téléphone, facultatif)").fill(
        "resident@example.org"
    )
    check_accessibility(resident)
    resident.get_by_role("button", name="Envoyer à une personne").click()
    resident.get_by_role("heading", name="Votre demande a été transmise à une personne").wait_for()
    check_accessibility(resident)
    reference = re.search(r"Référence : (\w+)", resident.locator("main").inner_text())
    assert reference
    follow_up = resident.get_by_role("link", name="Suivre ma demande").get_attribute("href")

    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/citoyens")
    page.get_by_role("link", name=reference.group(1)).click()
    page.get_by_role("heading", name=f"Demande {reference.group(1)}").wait_for()
    check_accessibility(page)
    assert OWN_FILE in page.locator("main").inner_text()
    page.get_by_label("Réponse au citoyen (affichée sur sa page de suivi)").fill(
        "Votre demande de permis est à l’étude; nous vous rappelons demain."
    )
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_url("**/citoyens?statut=answered")
    visit(page, "/citoyens/statistiques")

    visit(resident, follow_up)
    assert "nous vous rappelons demain" in resident.locator("main").inner_text()


def test_a_reviewer_reads_the_residents_own_details_to_act(resident, page) -> None:  # type: ignore[no-untyped-def]
    _consent(resident)
    _ask(resident, OWN_FILE)
    resident.get_by_role("complementary").get_by_role("link", name="Écrire à une personne").click()
    resident.get_by_label("Votre message").fill(
        "Je suis Marie Tremblay, 12 rue des Érables, au sujet de mon permis de rénovation."
    )
    resident.get_by_role("button", name="Envoyer à une personne").click()
    resident.get_by_role("heading", name="Votre demande a été transmise à une personne").wait_for()
    reference = re.search(r"Référence : (\w+)", resident.locator("main").inner_text())
    assert reference

    sign_in(page, "reviseur@demo.balise.ca")
    visit(page, "/citoyens")
    page.get_by_role("link", name=reference.group(1)).click()
    page.get_by_role("heading", name=f"Demande {reference.group(1)}").wait_for()
    assert "Marie Tremblay" not in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("Afficher les coordonnées du citoyen")).click()
    page.wait_for_url("**/renseignements")
    check_accessibility(page)
    shown = page.locator("main").inner_text()
    assert "Marie Tremblay" in shown and "12 rue des Érables" in shown
    assert "inscrite au journal d’audit" in shown or "inscrite au journal d'audit" in shown


def test_the_form_works_without_javascript(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page.goto("/public/demo/assistant")
    page.get_by_role("button", name="J’ai compris, utiliser l’assistant").click()
    _ask(page, ANSWERED)
    assert (
        page.locator("#derniere-reponse").get_by_role("link", name=re.compile("Foire aux questions")).count()
    )
    page.locator("#derniere-reponse").get_by_role("button", name="Utile", exact=True).click()
    page.get_by_text("Merci de votre avis.").wait_for()
    context.close()


class _Host(http.server.BaseHTTPRequestHandler):
    """A municipal website on another origin, with a strict CSP that allows only Balise."""

    balise = ""

    def do_GET(self) -> None:
        body = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Ville de Saint-Balise</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
            "<main><h1>Bienvenue à Saint-Balise</h1><p>Le site de la ville.</p></main>"
            f'<script src="{self.balise}/static/citizen/widget.js" data-balise-tenant="demo" defer></script>'
            "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' {self.balise}; style-src 'self' {self.balise}; "
            f"connect-src {self.balise}; img-src 'self'",
        )
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def host_site(server: str, server_engine: Engine) -> Iterator[str]:
    from balise.citizen import CitizenSettings, load_citizen_settings, save_citizen_settings
    from balise.tenancy import Tenant

    port = free_port()
    origin = f"http://localhost:{port}"
    with Session(server_engine) as session:
        tenant = session.scalars(select(Tenant).where(Tenant.slug == "demo")).one()
        current = load_citizen_settings(tenant)
        allowed = CitizenSettings(
            (*current.allowed_origins, origin), current.retention_days, current.reply_days
        )
        save_citizen_settings(session, tenant, allowed, actor="test")
        session.commit()
    handler = type("Host", (_Host,), {"balise": server})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield origin
    httpd.shutdown()
    thread.join(timeout=10)


def _use_widget(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Assistant virtuel").click()
    page.get_by_role("button", name="J’ai compris, utiliser l’assistant").click()
    page.get_by_label("Votre question").fill(ANSWERED)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.locator(".balise-answer").first.wait_for()


def test_the_widget_on_a_page_of_another_allowed_origin(browser, server, host_site) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-CA", viewport=PHONE)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(host_site + "/")
    _use_widget(page)
    answer = page.locator(".balise-answer").first
    assert "Foire aux questions" in answer.inner_text()
    source = answer.get_by_role("link", name=re.compile("Foire aux questions")).get_attribute("href")
    assert source and source.startswith(server + "/public/demo/sources/")
    assert page.get_by_role("link", name="819 555-0100").count() >= 1
    assert refused == []
    context.close()

    checked = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True)
    checked.set_default_timeout(PAGE_TIMEOUT_MS)
    page = checked.new_page()
    page.goto(host_site + "/")
    _use_widget(page)
    check_accessibility(page)
    checked.close()


def test_an_unreviewed_public_document_stays_invisible(resident, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "employe@demo.balise.ca")
    visit(page, "/documents")
    page.get_by_label("Fichiers", exact=True).set_input_files(
        [
            {
                "name": "avis-taxe-fonciere.txt",
                "mimeType": "text/plain",
                "buffer": PLANTED.encode(),
            }
        ]
    )
    page.locator("#classification").select_option(label="Public")
    page.get_by_role("button", name="Ajouter à la bibliothèque").click()
    page.locator("#lot").get_by_text("Fichiers traités : 1 sur 1").wait_for(timeout=180_000)

    _consent(resident)
    _ask(resident, "La taxe foncière est-elle abolie ?")
    last = resident.locator("#derniere-reponse .answer")
    assert "abolie" not in last.inner_text()
    assert last.get_by_role("link", name="Avis sur la taxe foncière").count() == 0

    page.get_by_role("button", name="Se déconnecter").click()
    sign_in(page, "reviseur@demo.balise.ca")
    visit(page, "/citoyens/publication")
    page.get_by_role("button", name="Publier pour les citoyens : Avis sur la taxe foncière").click()
    page.wait_for_url("**/citoyens/publication")
    check_accessibility(page)

    _ask(resident, "La taxe foncière est-elle abolie ?")
    # The same question as before: the previous answer shows until the new one replaces it.
    last = resident.locator("#derniere-reponse .answer")
    last.get_by_role("link", name="Avis sur la taxe foncière").wait_for()
    assert last.get_by_role("link", name="Avis sur la taxe foncière").count() == 1


def test_the_widget_shows_one_paragraph_per_sentence_and_the_caution(browser, server, host_site) -> None:  # type: ignore[no-untyped-def]
    """The widget's display of an answer marked « à vérifier » (the reply is the API's, held fixed)."""
    reply = {
        "answer": "Présents : Monsieur le Maire et les conseillers.\n\nLe conseil a désigné ses élus.",
        "citations": [],
        "disclosure": "Réponse automatique de l’assistant IA.",
        "human_contact": {},
        "redirected_to_human": False,
        "reason": "",
        "exchange_id": "",
        "masked": {},
        "caution": True,
    }

    def answer(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.method != "POST":
            route.continue_()
            return
        headers = {"Access-Control-Allow-Origin": host_site, "Content-Type": "application/json"}
        route.fulfill(status=200, headers=headers, body=json.dumps(reply))

    context = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page.route("**/api/public/demo/ask", answer)
    page.goto(host_site + "/")
    _use_widget(page)
    shown = page.locator(".balise-answer").first
    assert "À vérifier" in shown.locator(".balise-caution").inner_text()
    paragraphs = shown.locator("p:not(.balise-caution):not(.balise-disclosure)").all_inner_texts()
    assert paragraphs == [
        "Présents : Monsieur le Maire et les conseillers.",
        "Le conseil a désigné ses élus.",
    ]
    check_accessibility(page)
    context.close()
