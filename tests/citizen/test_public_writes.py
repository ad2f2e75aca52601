"""Every public write is limited: feedback, problem reports and complaints count against the citizen
assistant's rate limits, and a field far too long is refused with a French message, never stored."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from balise.citizen.models import CitizenRequest
from balise.config import get_settings
from balise.db import tenant_session
from balise.governance.models import Complaint
from balise.tenancy import Tenant
from tests.citizen.test_web import _consent, _csrf, _resident


def _limit(monkeypatch: pytest.MonkeyPatch, per_address: int, per_session: int) -> None:
    monkeypatch.setenv("BALISE_PUBLIC_RATE_LIMIT", str(per_address))
    monkeypatch.setenv("BALISE_PUBLIC_SESSION_RATE_LIMIT", str(per_session))
    get_settings.cache_clear()


def _requests(engine, tenant: Tenant) -> int:  # type: ignore[no-untyped-def]
    with tenant_session(tenant.id, engine) as session:
        return int(session.scalar(select(func.count(CitizenRequest.id))) or 0)


def test_a_flood_of_problem_reports_stops_at_the_limit(
    app, engine, city: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, headers={"accept-language": "fr"})
    base = f"/api/public/{city.slug}"
    exchange_id = client.post(
        base + "/ask", json={"question": "Quand passe la collecte ?", "session_id": "flood-0001"}
    ).json()["exchange_id"]
    _limit(monkeypatch, per_address=30, per_session=5)
    before = _requests(engine, city)
    body = {"session_id": "flood-0001", "exchange_id": exchange_id, "value": "problem", "message": "x"}
    codes = [client.post(base + "/feedback", json=body).status_code for _ in range(40)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    assert _requests(engine, city) - before == 5
    refused = client.post(base + "/feedback", json=body).json()
    assert refused["error"] == "rate_limited" and "minute" in refused["message"]
    # Questions keep their own budget: rating answers does not use them up.
    again = client.post(base + "/ask", json={"question": "Et le recyclage ?", "session_id": "flood-0001"})
    assert again.status_code == 200


def test_problem_reports_from_the_page_are_limited(
    app, engine, city: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = _consent(client, city)
    answered = client.post(
        f"/public/{city.slug}/assistant",
        data={"question": "Quel jour passe la collecte des ordures ?", "csrf_token": _csrf(page)},
    )
    exchange = re.search(r'name="exchange_id" value="([0-9a-f]+)"', answered.text)
    assert exchange
    _limit(monkeypatch, per_address=30, per_session=2)
    url = f"/public/{city.slug}/assistant/signaler/{exchange.group(1)}"
    form = {"message": "Réponse fausse", "csrf_token": _csrf(answered.text)}
    codes = [client.post(url, data=form).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    refused = client.post(url, data=form)
    assert "Attendez une minute" in refused.text and 'name="message"' in refused.text


def _complaint(client: TestClient, city: Tenant, **fields: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/public/{city.slug}/plainte")
    data = {
        "kind": "complaint",
        "system_id": "",
        "name": "Léa Tremblay",
        "email": "lea@exemple.ca",
        "phone": "",
        "message": "L’assistant m’a donné un mauvais horaire.",
        "csrf_token": _csrf(page.text),
        **fields,
    }
    return client.post(f"/public/{city.slug}/plainte", data=data)


def test_complaint_fields_have_a_maximum_length(app, engine, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    for field, size in (("name", 300), ("phone", 500), ("email", 300)):
        value = ("a" * size) if field != "email" else "a" * size + "@exemple.ca"
        refused = _complaint(client, city, **{field: value})
        assert refused.status_code == 422, field
        assert "caractères" in refused.text and 'name="message"' in refused.text, field  # the form again
    huge = _complaint(client, city, name="a" * 900_000)
    assert huge.status_code == 422 and "compte 900000 caractères" in huge.text
    with tenant_session(city.id, engine) as session:
        assert session.scalar(select(func.count(Complaint.id))) == 0


def test_complaints_count_against_the_public_limit(
    app, city: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _limit(monkeypatch, per_address=2, per_session=10)
    client = _resident(app, city)
    codes = [_complaint(client, city).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_any_form_field_beyond_the_global_limit_is_refused(app, city: Tenant) -> None:  # type: ignore[no-untyped-def]
    client = _resident(app, city)
    page = _consent(client, city)
    refused = client.post(
        f"/public/{city.slug}/assistant", data={"question": "a" * 100_001, "csrf_token": _csrf(page)}
    )
    assert refused.status_code == 422 and "100000" in refused.text.replace("\u202f", "").replace(" ", "")
