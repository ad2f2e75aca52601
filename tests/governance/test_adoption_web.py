"""The adoption case, vendor and gate pages through the web app, and the vendor's score on /modeles."""

from __future__ import annotations

import re

from balise.db import open_session
from balise.gateway import register_backend
from balise.governance import save_assessment
from balise.governance.assessment import IMPACT_QUESTIONS, MITIGATION_QUESTIONS, PRIVACY_CHECKLIST
from balise.governance.models import AISystem
from tests.governance.adoption_data import CASE, VENDOR
from tests.support.web import Member, csrf_of

ANSWERS = {q.key: q.choices[0].value for q in IMPACT_QUESTIONS + MITIGATION_QUESTIONS}
SYSTEM = {"name": "Agent des permis", "purpose": "Répondre aux questions", "hosting": "quebec"}


def _post(member: Member, path: str, data: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False, **kwargs
    )


def _new_system(member: Member) -> str:
    response = _post(member, "/gouvernance/registre/nouveau", SYSTEM | {"status": "planned"})
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[-1].split("?")[0]


def test_an_adoption_case_is_saved_with_its_council_document(make_member) -> None:
    manager: Member = make_member("manager")
    officer = make_member("privacy_officer", tenant=manager.tenant)
    system_id = _new_system(manager)
    page = manager.client.get(f"/gouvernance/registre/{system_id}/adoption")
    assert page.status_code == 200 and "Incomplet. Reste à remplir" in page.text
    assert 'href="/gouvernance/consommation"' in page.text  # where the energy figures are
    refused = _post(
        manager,
        f"/gouvernance/registre/{system_id}/adoption",
        CASE,
        files={"council_document": ("resolution.txt", b"texte", "text/plain")},
    )
    assert refused.status_code == 422 and "PDF, DOCX ou ODT" in refused.text
    assert "CM-2026-031" in refused.text  # the form comes back filled in
    saved = _post(
        manager,
        f"/gouvernance/registre/{system_id}/adoption",
        CASE,
        files={"council_document": ("résolution.pdf", b"%PDF-1.7 resolution", "application/pdf")},
    )
    assert saved.status_code == 303
    page = officer.client.get(saved.headers["location"])
    assert "Complet : tous les champs requis sont remplis." in page.text and "résolution.pdf" in page.text
    assert "Enregistrer le dossier d’adoption" not in page.text  # read-only for the privacy officer
    document = officer.client.get(f"/gouvernance/registre/{system_id}/adoption/document")
    assert (
        document.content == b"%PDF-1.7 resolution" and document.headers["content-type"] == "application/pdf"
    )
    assert _post(officer, f"/gouvernance/registre/{system_id}/adoption", CASE).status_code == 403


def test_a_vendor_is_scored_with_its_weights_shown(make_member) -> None:
    manager: Member = make_member("manager")
    page = manager.client.get("/gouvernance/fournisseurs")
    assert "Aucun fournisseur évalué" in page.text and "Hébergement et juridiction" in page.text
    refused = _post(manager, "/gouvernance/fournisseurs/nouveau", VENDOR | {"name": ""})
    assert refused.status_code == 422 and "nom du fournisseur" in refused.text
    created = _post(manager, "/gouvernance/fournisseurs/nouveau", VENDOR | {"score_price": "0"})
    assert created.status_code == 303
    page = manager.client.get(created.headers["location"])
    # weights 3, 3, 2, 2, 2 at 3 points and 1 at 0: 36 of 52 points
    assert "69,2 %" in page.text and "Complet" in page.text
    listing = manager.client.get("/gouvernance/fournisseurs").text
    assert "Fournisseur québécois" in listing and "69,2 %" in listing


def test_a_move_to_pilot_is_refused_with_links_then_accepted(make_member, engine) -> None:
    manager: Member = make_member("manager")
    system_id = _new_system(manager)
    refused = _post(manager, f"/gouvernance/registre/{system_id}", SYSTEM | {"status": "pilot"})
    assert refused.status_code == 409
    box = re.search(r'<div class="error-box" role="alert" id="system-error">(.*?)</div>', refused.text, re.S)
    assert box is not None and "ne peut pas encore passer à l’étape « Projet pilote »" in box.group(1)
    assert f'href="/gouvernance/registre/{system_id}/adoption"' in box.group(1)
    assert 'href="/gouvernance/fournisseurs"' in box.group(1)
    vendor = _post(manager, "/gouvernance/fournisseurs/nouveau", VENDOR)
    vendor_id = vendor.headers["location"].split("/")[-1].split("?")[0]
    _post(manager, f"/gouvernance/registre/{system_id}/adoption", CASE)
    with open_session(engine) as session:
        system = session.get(AISystem, system_id)
        assert system is not None
        save_assessment(session, system, ANSWERS, {k for k, _ in PRIVACY_CHECKLIST}, actor="cli")
        session.commit()
    moved = _post(
        manager,
        f"/gouvernance/registre/{system_id}",
        SYSTEM | {"status": "pilot", "vendor_assessment_id": vendor_id},
    )
    assert moved.status_code == 303
    page = manager.client.get(moved.headers["location"]).text
    assert 'id="gate-open"' in page and 'value="pilot" selected' in page


def test_a_model_shows_its_vendor_score(make_member, engine) -> None:
    manager: Member = make_member("manager")
    with open_session(engine) as session:
        register_backend(
            session,
            manager.tenant.id,
            name="Modèle local",
            endpoint="http://127.0.0.1:9/v1",
            model="mistral-small",
            hosting="on_premises",
            actor="test",
        )
        session.commit()
    manager.client.get("/gouvernance/registre")  # the model is entered in the register
    vendor = _post(manager, "/gouvernance/fournisseurs/nouveau", VENDOR)
    vendor_id = vendor.headers["location"].split("/")[-1].split("?")[0]
    register = manager.client.get("/gouvernance/registre").text
    model_id = re.search(r'href="/gouvernance/registre/([0-9a-f]+)">Modèle génératif Modèle local', register)
    assert model_id is not None
    assert "Non évalué" in manager.client.get("/modeles").text
    form = {"name": "Modèle génératif Modèle local", "purpose": "Générer", "hosting": "on_premises"}
    saved = _post(
        manager,
        f"/gouvernance/registre/{model_id.group(1)}",
        form | {"status": "production", "published": "1", "vendor_assessment_id": vendor_id},
    )
    assert saved.status_code == 303
    cell = re.search(r'<td class="vendor-score">(.*?)</td>', manager.client.get("/modeles").text, re.S)
    assert cell is not None and "Fournisseur québécois — 75 %" in cell.group(1)
