"""Tasks open after training (G13, issue 24): off by default; once a manager switches it on (audited),
an employee's assistant tasks — pages, JSON API with a token, OpenAI-compatible door — stay closed
with a French message and a link to the quiz until they pass it; then they open."""

from __future__ import annotations

from sqlalchemy import Engine, select

from balise.audit.models import AuditEntry
from balise.db import open_session, tenant_session
from balise.governance import service
from balise.i18n import use_locale
from balise.tenancy import Tenant, create_api_token
from balise.training.quiz import filled_in
from tests.support.web import Member, csrf_of


def test_the_assistant_waits_for_the_quiz_when_the_municipality_asks(make_member, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    manager: Member = make_member("manager", name="Ville prudente")
    employee = make_member("employee", tenant=manager.tenant)
    assert employee.client.get("/assistant/revision").status_code == 200  # off by default
    # the token is made before the switch: merging the test's stale copy of the tenant would undo it
    with open_session(engine) as session:
        token = create_api_token(
            session, session.merge(employee.tenant), session.merge(employee.user), "outil"
        ).token
        session.commit()

    refused = employee.client.post(
        "/gouvernance/formation-avant-assistant", data={"csrf_token": csrf_of(employee.client), "on": "1"}
    )
    assert refused.status_code == 403
    switched = manager.client.post(
        "/gouvernance/formation-avant-assistant",
        data={"csrf_token": csrf_of(manager.client), "on": "1"},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    assert "checked" in manager.client.get("/gouvernance/formations").text.split('name="on"')[1][:40]
    for path in ("/assistant/question", "/assistant/resume", "/assistant/redaction", "/assistant/revision"):
        closed = employee.client.get(path)
        assert closed.status_code == 403, path
        assert "une fois le questionnaire d’autoévaluation réussi" in closed.text
        assert 'href="/formation/quiz"' in closed.text
    api = employee.client.post(
        "/api/assistant/revise",
        json={"text": "bonjour  monde", "mode": "correct"},
        headers={"Authorization": f"Bearer {token}"},
        cookies={},
    )
    assert api.status_code == 403 and api.json()["error"] == "training_required"
    assert api.json()["link"] == "/formation/quiz"
    door = employee.client.post(
        "/v1/chat/completions",
        json={"model": "x", "messages": [{"role": "user", "content": "Bonjour"}]},
        headers={"Authorization": f"Bearer {token}"},
        cookies={},
    )
    assert door.status_code == 403
    assert employee.client.get("/formation/quiz").status_code == 200  # the quiz itself stays open

    employee.client.post("/formation/quiz", data={"csrf_token": csrf_of(employee.client), **filled_in(0)})
    assert employee.client.get("/assistant/revision").status_code == 200
    opened = employee.client.post(
        "/api/assistant/revise",
        json={"text": "bonjour  monde", "mode": "correct"},
        headers={"Authorization": f"Bearer {token}"},
        cookies={},
    )
    assert opened.status_code == 200

    with tenant_session(manager.tenant.id, engine) as session, use_locale("fr"):
        audited = session.scalars(
            select(AuditEntry.details).where(
                AuditEntry.action == "training.gate_set", AuditEntry.tenant_id == manager.tenant.id
            )
        ).all()
        assert [d["on"] for d in audited] == [True]
        tenant = session.get(Tenant, manager.tenant.id)
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert "une fois le questionnaire réussi" in rows["G13"].evidence
    manager.client.post(
        "/gouvernance/formation-avant-assistant", data={"csrf_token": csrf_of(manager.client)}
    )
    with tenant_session(manager.tenant.id, engine) as session:
        assert session.get(Tenant, manager.tenant.id).settings.get("training_gate") is None
