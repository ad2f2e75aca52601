"""The governance workspace as the demo's manager, privacy officer and residents use it: the register
and its public page, an impact assessment, a complaint from the public form to its closure, an
incident proposed from a fail-closed guard, and the conformity view. axe-core on every page."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from balise.db import open_session, scope_session
from balise.formatting import day
from balise.i18n import use_locale
from balise.tenancy import Tenant, User, visible_classifications
from tests.browser.conftest import check_accessibility, sign_in, visit

pytestmark = pytest.mark.browser

SYSTEM = "Tri des requêtes citoyennes"


def _switch(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    sign_in(page, email)


def _add_system(page, name: str) -> str:  # type: ignore[no-untyped-def]
    visit(page, "/gouvernance/registre")
    page.get_by_role("link", name="Ajouter un système d’IA").click()
    page.wait_for_url("**/registre/nouveau")
    check_accessibility(page)
    page.get_by_label("Nom", exact=True).fill(name)
    page.get_by_label("À quoi il sert (en langage clair, les résidents lisent ceci en premier)").fill(
        "Acheminer chaque requête reçue au bon service municipal."
    )
    page.get_by_label("Équipe ou service qui l’utilise").fill("Service aux citoyens")
    page.get_by_label("Personne responsable (nom ou titre, publié)").fill(
        "Directrice du service aux citoyens"
    )
    page.get_by_label("Hébergé").select_option("canada")
    page.get_by_label("Statut").select_option("planned")  # pilot waits for the adoption case (gates)
    page.get_by_label("Publier sur la page publique de transparence").check()
    page.get_by_role("button", name="Enregistrer la fiche").click()
    page.wait_for_url(re.compile(r".*/gouvernance/registre/[0-9a-f]+\?enregistre=1"))
    assert "La fiche a été enregistrée." in page.get_by_role("status").inner_text()
    check_accessibility(page)
    return page.url.split("/registre/")[1].split("?")[0]


def test_a_register_entry_is_seen_on_the_public_page_and_in_its_exports(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    system_id = _add_system(page, SYSTEM)
    page.get_by_role("link", name="Retour au registre").click()
    page.get_by_role("link", name="Voir la page publique").click()
    page.wait_for_url("**/public/demo/transparence")
    check_accessibility(page)
    entry = page.locator(f"#systeme-{system_id}")
    text = entry.inner_text()
    assert SYSTEM in text and "Directrice du service aux citoyens" in text and "Prévu" in text
    assert "Assistant documentaire (Balise)" in page.get_by_role("main").inner_text()  # entered automatically
    data = page.request.get("/public/demo/transparence?format=json").json()
    assert any(s["id"] == system_id and s["name"] == SYSTEM for s in data["systems"])
    rows = list(csv.DictReader(io.StringIO(page.request.get("/public/demo/transparence?format=csv").text())))
    assert any(r["id"] == system_id and r["hosting"] == "canada" for r in rows)
    euro = json.loads(page.request.get("/public/demo/transparence?format=eurocities").text())
    assert any(r["uuid"] == system_id and r["standard_version"] == "0.3.1" for r in euro)


def test_an_impact_assessment_reaches_the_level_of_its_answers(page):
    sign_in(page, "gestionnaire@demo.balise.ca")
    system_id = _add_system(page, "Agent virtuel des permis")
    page.get_by_role("link", name="Évaluer l’impact").click()
    page.wait_for_url(f"**/registre/{system_id}/evaluation")
    check_accessibility(page)
    assert "l’article 70.1 s’applique" in page.get_by_role("main").inner_text()  # hosted in Canada
    chosen = (
        "Les citoyens directement (par exemple un agent virtuel)",
        "Indirectement, comme un élément parmi d’autres",
        "Renseignements généraux (nom, adresse, coordonnées)",
        "Avec un certain effort",
        "Plus de 10 000",
        "Le modèle d’un fournisseur, sous contrat",
    )
    for label in chosen:
        page.get_by_label(label, exact=True).check()
    for fieldset in page.locator("fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count() and fieldset.locator("input[type=radio]:checked").count() == 0:
            fieldset.locator("input[type=radio][value=no]").first.check()  # every other answer: no
    # Impact: 4 + 3 + 0 + 2 + 0 + 2 + 2 + 1 (Canada) + 1 + 0 + 0 = 15 of 36; no mitigation: 42 % → level II.
    page.get_by_role("button", name="Enregistrer cette version de l’évaluation").click()
    page.wait_for_url(f"**/registre/{system_id}/evaluation/1")
    check_accessibility(page)
    assert "Niveau d’impact : II" in page.locator("#impact-level").inner_text()
    assert "Score d’impact brut" in page.get_by_role("main").inner_text()
    assert "Révision humaine avant qu’un résultat soit publié" in page.get_by_role("main").inner_text()
    visit(page, "/gouvernance/registre")
    row = page.get_by_role("row").filter(has_text="Agent virtuel des permis").first
    assert "II" in row.inner_text()


def test_a_complaint_goes_from_the_public_form_to_its_closure(page, browser, server):  # type: ignore[no-untyped-def]
    resident = browser.new_context(base_url=server, locale="fr-CA", java_script_enabled=False)
    form = resident.new_page()
    form.goto("/public/demo/plainte")
    form.get_by_label("Outil d’IA concerné").select_option(label="Assistant documentaire (Balise)")
    form.get_by_label("Votre message").fill("La réponse sur la collecte des encombrants était fausse.")
    form.get_by_label("Votre adresse courriel").fill("resident@example.org")
    form.get_by_role("button", name="Envoyer ma plainte").click()
    received = form.locator("#complaint-received").inner_text()
    reference = re.search(r"P-[0-9A-F]{6}", received).group(0)  # type: ignore[union-attr]
    with use_locale("fr"):
        due = day(date.today() + timedelta(days=30))
    assert due in received and "-" not in due  # « 6 janvier 2027 », not an ISO date
    follow_up = form.locator("#follow-up-link").get_attribute("href")
    assert follow_up and "/plainte/suivi/" in follow_up
    resident.close()
    visit(page, "/public/demo/plainte")  # the same form, checked by axe-core with JavaScript on

    sign_in(page, "gestionnaire@demo.balise.ca")  # responsible for the document assistant in the demo
    visit(page, "/gouvernance/plaintes")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url("**/gouvernance/plaintes/*")
    check_accessibility(page)
    assert page.locator("#due-date").inner_text().startswith(due)
    assert "resident@example.org" in page.get_by_role("main").inner_text()
    page.get_by_label("Réponse ou note").fill("Merci : la date a été corrigée dans la FAQ.")
    page.get_by_role("button", name="Envoyer la réponse à la personne (courriel et page de suivi)").click()
    page.wait_for_url("**#historique")
    assert "Répondue" in page.locator("#complaint-status").inner_text()
    page.get_by_label("Nouveau statut").select_option("closed")
    page.get_by_role("button", name="Changer le statut").click()
    page.wait_for_url("**#historique")
    assert "Fermée" in page.locator("#complaint-status").inner_text()
    assert "la date a été corrigée" in page.locator("#historique").locator("..").inner_text()
    check_accessibility(page)
    visit(page, follow_up)  # the resident's page, checked by axe-core
    assert "Merci : la date a été corrigée dans la FAQ." in page.get_by_role("main").inner_text()


def _fail_closed(engine: Engine) -> None:
    """The demo employee revises a text while the guard's detection is broken: nothing is sent, and
    the refusal is audited by the task itself, as in the server."""
    from presidio_analyzer import EntityRecognizer

    from balise.assistant import Requester, pipeline, tasks
    from balise.guard.privacy import PrivacyGuard, get_guard

    class Broken(EntityRecognizer):
        def __init__(self) -> None:
            super().__init__(supported_entities=["EMAIL"], supported_language="fr")

        def load(self) -> None:
            return None

        def analyze(self, text, entities, nlp_artifacts=None):  # type: ignore[no-untyped-def]
            raise RuntimeError("model crashed")

    broken = PrivacyGuard(nlp_engine=get_guard().nlp_engine, recognizers=[Broken()], timeout_seconds=30)
    original = pipeline.get_guard
    pipeline.get_guard = lambda: broken  # type: ignore[assignment]
    try:
        with open_session(engine) as session:
            tenant = session.scalars(select(Tenant).where(Tenant.slug == "demo")).one()
            user = session.scalars(select(User).where(User.email == "employe@demo.balise.ca")).one()
            scope_session(session, tenant.id)
            who = Requester(tenant, user.id, visible_classifications("employee"))
            assert (
                tasks.revise(session, who, text="Écrire à jean@videotron.ca au sujet du permis.").status
                == "unavailable"
            )
            session.commit()
    finally:
        pipeline.get_guard = original  # type: ignore[assignment]


def test_an_incident_is_proposed_from_a_fail_closed_event(page, server_engine):
    _fail_closed(server_engine)
    sign_in(page, "vie-privee@demo.balise.ca")
    visit(page, "/gouvernance/incidents/nouveau")  # the blank form, for axe-core
    visit(page, "/gouvernance/incidents")
    assert "nouveaux incidents ont été proposés" in page.get_by_role("status").inner_text()
    row = (
        page.get_by_role("row")
        .filter(has_text="La garde de confidentialité a échoué")
        .filter(has_text="Proposé")
        .first
    )
    row.get_by_role("link").click()
    page.wait_for_url("**/gouvernance/incidents/*")
    check_accessibility(page)
    assert "task=revise" in page.get_by_role("main").inner_text()
    page.get_by_label("Circonstances (brève description)").fill(
        "La détection a échoué; la requête a été bloquée et rien n’a été transmis au modèle."
    )
    page.get_by_role("button", name="Confirmer et enregistrer l’incident").click()
    page.wait_for_url("**?enregistre=1")
    assert "Ouvert" in page.locator("#incident-status").inner_text()
    assert "Inscrire l’incident dans ce registre" in page.get_by_role("main").inner_text()
    check_accessibility(page)


def test_the_conformity_view_of_the_demo_shows_every_requirement_with_its_evidence(page):
    page.set_default_timeout(180_000)  # the first revision loads the privacy guard
    sign_in(page, "employe@demo.balise.ca")
    page.goto("/langue/fr?next=/assistant/revision")  # another test may have left this account in English
    check_accessibility(page)
    page.get_by_label("Texte à réviser").fill("Rappeler Jean Tremblay au 514 555-0199 demain matin.")
    page.get_by_role("button", name="Envoyer").click()
    page.locator("#assistant-outcome").wait_for()
    page.wait_for_load_state()

    _switch(page, "gestionnaire@demo.balise.ca")
    visit(page, "/gouvernance/conformite")
    table = page.locator("#conformity")
    rows = table.locator("tbody tr")
    assert rows.count() == 52
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td")
        assert cells.nth(0).inner_text().strip() in {"En place", "À surveiller", "Manquant"}
        assert cells.nth(2).inner_text().strip()  # evidence, even for what is missing
    d3 = page.locator("#req-D3").inner_text()
    assert "PHONE" in d3 and "Masques appliqués dans les 30 derniers jours" in d3
    assert "En place" in page.locator("#req-P3").inner_text()
    assert "fiches du registre publiées" in page.locator("#req-P3").inner_text()
    assert "En place" in page.locator("#req-G11").inner_text()
    assert "refonte consignée" in page.locator("#req-G20").inner_text()  # the demo's pilot process
    p5 = page.locator("#req-P5").inner_text()  # the demo's templates checked for job titles
    assert "En place" in p5 and "Sondes de biais du" in p5 and "0 sur 5 modèles de rédaction" in p5
    word = page.request.get("/gouvernance/conformite?format=docx")
    assert word.ok and word.body()[:2] == b"PK"
    visit(page, "/gouvernance/conformite?format=rapport")
    assert "Rapport de conformité" in page.get_by_role("heading", level=1).inner_text()


def test_the_bias_probes_page_shows_the_demo_example_on_a_phone(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server, locale="fr-CA", viewport={"width": 390, "height": 844})
    context.set_default_timeout(120_000)
    page = context.new_page()
    try:
        sign_in(page, "gestionnaire@demo.balise.ca")
        nav = page.locator(".main-nav")
        nav.get_by_text("Gouvernance").click()
        nav.get_by_role("link", name="Sondes de biais").click()
        page.wait_for_url("**/gouvernance/biais")
        check_accessibility(page)
        main = page.get_by_role("main").inner_text()
        assert "Exemple" in main and "pas une mesure d’un modèle" in main
        assert "Modèles de rédaction (aucun modèle)" in main
        tables = page.get_by_role("region", name=re.compile("paires de noms"))
        assert tables.count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
