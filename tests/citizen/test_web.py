"""The residents' pages and the citizen API over HTTP: consent, contract, CORS, limits, staff queue."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from balise.citizen import CitizenSettings, save_citizen_settings
from balise.db import open_session
from balise.tenancy import Tenant
from tests.citizen.conftest import Member

ALLOWED = "http://ville.exemple.ca"


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _resident(app, city: Tenant) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, headers={"accept": "text/html", "accept-language": "fr-CA"})


def _consent(client: TestClient, city: Tenant, choice: str = "yes") -> str:
    page = client.get(f"/public/{city.slug}/assistant")
    assert page.status_code == 200
    response = client.post(
        f"/public/{city.slug}/assistant/consentement",
        data={"choice": choice, "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client.get(f"/public/{city.slug}/assistant").text


def test_first_contact_states_ai_and_asks_consent_with_strict_csp(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = client.get(f"/public/{city.slug}/assistant")
    assert "système d’intelligence artificielle" in page.text or "intelligence artificielle" in page.text
    assert "819 555-0100" in page.text and "info@ville.exemple.ca" in page.text
    assert 'name="question"' not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "<script" not in page.text and "style=" not in page.text


def test_declining_shows_only_the_human_channels(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    page = _consent(_resident(app, city), city, "no")
    assert 'name="question"' not in page
    assert "819 555-0100" in page


def test_the_form_without_javascript_answers_with_its_source(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = _consent(client, city)
    response = client.post(
        f"/public/{city.slug}/assistant",
        data={"question": "Quel jour passe la collecte des ordures ?", "csrf_token": _csrf(page)},
    )
    assert response.status_code == 200
    assert "mardi" in response.text
    assert f"/public/{city.slug}/sources/" in response.text
    source = re.search(rf'href="(/public/{city.slug}/sources/[^"]+)"', response.text)
    assert source
    shown = client.get(source.group(1).replace("&amp;", "&"))
    assert shown.status_code == 200 and "Collecte des ordures" in shown.text
    assert "<mark>" in shown.text


def test_api_contract_cors_and_refused_origins(app, engine: Engine, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        save_citizen_settings(session, session.merge(city), CitizenSettings((ALLOWED,)), actor="test")
        session.commit()
    client = TestClient(app)
    url = f"/api/public/{city.slug}/ask"
    body = {"question": "Quand passe la collecte des ordures ?", "session_id": "resident-0001"}
    preflight = client.options(url, headers={"origin": ALLOWED, "access-control-request-method": "POST"})
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    response = client.post(url, json=body, headers={"origin": ALLOWED})
    assert response.status_code == 200
    data = response.json()
    assert list(data)[:5] == ["answer", "citations", "disclosure", "human_contact", "redirected_to_human"]
    assert response.headers["access-control-allow-origin"] == ALLOWED
    refused = client.post(url, json=body, headers={"origin": "http://ailleurs.example"})
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    own_file = client.post(url, json={**body, "question": "Où en est ma demande de permis ?"})
    assert own_file.json()["redirected_to_human"] is True
    assert own_file.json()["human_contact"]["channel"] == "service"


def test_question_length_and_rate_limits_give_french_messages(
    app, city: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from balise.config import get_settings

    client = TestClient(app, headers={"accept-language": "fr"})
    url = f"/api/public/{city.slug}/ask"
    too_long = client.post(url, json={"question": "a" * 1500, "session_id": "resident-long"})
    assert too_long.status_code == 422 and "trop longue" in too_long.json()["message"]
    monkeypatch.setenv("BALISE_PUBLIC_SESSION_RATE_LIMIT", "2")
    get_settings.cache_clear()
    codes = [
        client.post(url, json={"question": "Bonjour", "session_id": "resident-rate"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    limited = client.post(url, json={"question": "Bonjour", "session_id": "resident-rate"})
    assert "Attendez" in limited.json()["message"] or "minute" in limited.json()["message"]


def test_escalation_reaches_staff_who_answer_on_the_follow_up_page(app, city: Tenant, make_member) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = _consent(client, city)
    client.post(
        f"/public/{city.slug}/assistant",
        data={"question": "Où en est mon dossier ? Je suis Gilberte Tremblay.", "csrf_token": _csrf(page)},
    )
    form = client.get(f"/public/{city.slug}/personne")
    created = client.post(
        f"/public/{city.slug}/personne",
        data={
            "message": "Rappelez-moi svp",
            "contact": "gilberte@example.org",
            "csrf_token": _csrf(form.text),
        },
    )
    assert created.status_code == 200
    follow = re.search(rf'href="(/public/{city.slug}/suivi/[^"]+)"', created.text)
    assert follow
    staff: Member = make_member("employee", tenant=city)
    queue = staff.client.get("/citoyens")
    link = re.search(r'href="(/citoyens/demandes/[0-9a-f]+)"', queue.text)
    assert link
    detail = staff.client.get(link.group(1))
    assert "Tremblay" not in detail.text and "gilberte@example.org" in detail.text
    answered = staff.client.post(
        link.group(1) + "/repondre",
        data={"text": "Votre dossier est en traitement.", "csrf_token": _csrf(detail.text)},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    assert "Votre dossier est en traitement." in client.get(follow.group(1)).text
    stats = staff.client.get("/citoyens/statistiques")
    assert stats.status_code == 200


def test_reviewer_publishes_and_admin_edits_contact(app, city: Tenant, make_member, add_document) -> None:  # type: ignore[no-untyped-def]
    planted = add_document(city.id, "Avis sur les stationnements", "Avis\n\nLe stationnement est gratuit.")
    reviewer: Member = make_member("reviewer", tenant=city)
    page = reviewer.client.get("/citoyens/publication")
    assert planted in page.text
    response = reviewer.client.post(
        f"/citoyens/publication/{planted}",
        data={"decision": "approve", "csrf_token": _csrf(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    admin: Member = make_member("admin", tenant=city)
    settings = admin.client.get("/citoyens/parametres")
    assert "819 555-0100" in settings.text
    saved = admin.client.post(
        "/citoyens/parametres",
        data={
            "phone": "819 555-0100",
            "email": "info@ville.exemple.ca",
            "address": "100, place de l'Hôtel-de-Ville",
            "opening_hours": "Lundi au vendredi",
            "emergency_phone": "911",
            "allowed_origins": "not a site",
            "retention_days": "30",
            "reply_days": "2",
            "csrf_token": _csrf(settings.text),
        },
    )
    assert saved.status_code == 422 and "not a site" in saved.text


def test_feedback_from_the_form_is_recorded(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = _consent(client, city)
    answered = client.post(
        f"/public/{city.slug}/assistant",
        data={"question": "Quel jour passe la collecte des ordures ?", "csrf_token": _csrf(page)},
    )
    exchange = re.search(r'name="exchange_id" value="([0-9a-f]+)"', answered.text)
    assert exchange
    thanked = client.post(
        f"/public/{city.slug}/assistant/avis",
        data={"exchange_id": exchange.group(1), "value": "useful", "csrf_token": _csrf(answered.text)},
    )
    assert thanked.status_code == 200, thanked.text[-500:]
    assert "Merci de votre avis." in thanked.text
    assert "Votre avis a été enregistré." in thanked.text


def test_widget_api_feedback_escalation_and_config(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, headers={"accept-language": "fr"})
    base = f"/api/public/{city.slug}"
    config = client.get(base + "/config").json()
    assert config["texts"]["consent"] == "J’ai compris, utiliser l’assistant"
    assert config["contact"]["phone"] == "819 555-0100"
    reply = client.post(
        base + "/ask", json={"question": "Quand passe la collecte ?", "session_id": "widget-0001"}
    )
    exchange_id = reply.json()["exchange_id"]
    problem = client.post(
        base + "/feedback",
        json={"session_id": "widget-0001", "exchange_id": exchange_id, "value": "problem", "message": "Faux"},
    )
    assert problem.status_code == 200 and problem.json()["follow_up_url"].startswith("http")
    stranger = client.post(
        base + "/feedback", json={"session_id": "widget-other", "exchange_id": exchange_id, "value": "useful"}
    )
    assert stranger.status_code == 404
    escalated = client.post(base + "/escalate", json={"session_id": "widget-0001", "contact": "819 555-1234"})
    assert escalated.status_code == 200 and "jours ouvrables" in escalated.json()["message"]
