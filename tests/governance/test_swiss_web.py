"""Swiss data protection through the web app: the applicable law on the privacy settings, the register
of processing activities with its exports, the impact assessment page, and the Quebec note."""

from __future__ import annotations

from balise.db import open_session
from balise.governance.swiss_demo import DPIA
from balise.tenancy import Tenant
from tests.support.web import Member, csrf_of

SYSTEM = {
    "name": "Agent des permis",
    "purpose": "Répondre aux questions",
    "hosting": "eu",
    "status": "planned",
}


def _post(member: Member, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return member.client.post(
        path, data={"csrf_token": csrf_of(member.client), **data}, follow_redirects=False
    )


def _new_system(member: Member) -> str:
    response = _post(member, "/gouvernance/registre/nouveau", SYSTEM)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[-1].split("?")[0]


def test_the_privacy_officer_sets_switzerland_and_the_pages_follow(make_member, engine) -> None:
    officer: Member = make_member("privacy_officer")
    manager = make_member("manager", tenant=officer.tenant)
    system_id = _new_system(manager)
    note = officer.client.get("/gouvernance/traitements")
    assert note.status_code == 200 and "relève du droit québécois" in note.text
    assert "Juridiction" in officer.client.get("/confidentialite").text
    refused = _post(
        officer, "/confidentialite/juridiction", {"jurisdiction": "switzerland", "canton": "Valais"}
    )
    assert refused.status_code == 422 and "deux lettres" in refused.text
    saved = _post(
        officer,
        "/confidentialite/juridiction",
        {"jurisdiction": "switzerland", "canton": "VS", "cantonal_law": "LIPDA (Valais)"},
    )
    assert saved.status_code == 200 and "Le droit applicable a été enregistré." in saved.text
    with open_session(engine) as session:
        tenant = session.get(Tenant, officer.tenant.id)
        assert tenant is not None and tenant.region == "CH-VS"
    register = officer.client.get("/gouvernance/traitements")
    assert "LIPDA (Valais)" in register.text and "Agent des permis" in register.text
    checklist = manager.client.get(f"/gouvernance/registre/{system_id}/evaluation")
    assert 'id="swiss-instruments"' in checklist.text and "relève du droit suisse" in checklist.text
    assert (
        f"/gouvernance/registre/{system_id}/aipd"
        in manager.client.get(f"/gouvernance/registre/{system_id}").text
    )


def test_the_register_is_prefilled_edited_and_exported(make_member) -> None:
    officer: Member = make_member("privacy_officer")
    manager = make_member("manager", tenant=officer.tenant)
    system_id = _new_system(manager)
    started = officer.client.get(f"/gouvernance/traitements/nouveau?systeme={system_id}")
    assert "Union européenne" in started.text and "Répondre aux questions" in started.text
    assert _post(officer, "/gouvernance/traitements/nouveau", {"name": ""}).status_code == 422
    filled = _post(officer, "/gouvernance/traitements/preremplir", {})
    assert filled.status_code == 303 and filled.headers["location"] == "/gouvernance/traitements?ajoutes=1"
    page = officer.client.get(filled.headers["location"])
    assert "1 inscription a été écrite" in page.text and "Incomplète" in page.text
    activity_id = page.text.split('href="/gouvernance/traitements/')[-1].split('"')[0]
    edited = _post(
        manager,
        f"/gouvernance/traitements/{activity_id}",
        {"name": "Questions des habitants", "system_id": system_id, "data_subjects": "Habitants"},
    )
    assert edited.status_code == 303
    shown = officer.client.get(edited.headers["location"])
    assert "L’activité de traitement a été enregistrée." in shown.text and "Habitants" in shown.text
    csv = officer.client.get("/gouvernance/traitements/export?format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and "Questions des habitants" in csv.text
    assert csv.text.splitlines()[0].startswith("Nom du traitement,")
    html = officer.client.get("/gouvernance/traitements/export?format=html")
    assert (
        "attachment" in html.headers["content-disposition"]
        and "<dt>Catégories de personnes concernées</dt>" in html.text
    )
    assert officer.client.get("/gouvernance/traitements/export?format=pdf").status_code == 422


def test_the_dpia_page_saves_and_says_when_the_fdpic_must_be_consulted(make_member) -> None:
    manager: Member = make_member("manager")
    system_id = _new_system(manager)
    page = manager.client.get(f"/gouvernance/registre/{system_id}/aipd")
    assert page.status_code == 200 and "Répondre aux questions" in page.text  # started from the register
    saved = _post(manager, f"/gouvernance/registre/{system_id}/aipd", DPIA | {"residual_risk": "high"})
    assert saved.status_code == 303
    shown = manager.client.get(saved.headers["location"])
    assert 'id="dpia-consultation"' in shown.text and "Consultation préalable du PFPDT" in shown.text
    assert (
        _post(manager, f"/gouvernance/registre/{system_id}/aipd", {"high_risk": "peut-être"}).status_code
        == 422
    )
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get(f"/gouvernance/registre/{system_id}/aipd").status_code == 403
