"""Maintenance mode (issue 22): a banner on every page, writes answer 503, reads and sign-in still work."""

from __future__ import annotations

from fastapi.testclient import TestClient

from balise.config import get_settings
from balise.operations.maintenance import set_maintenance
from tests.support.web import PASSWORD, csrf_of


def test_writes_are_refused_in_french_and_reads_show_the_banner(make_member, app):
    member = make_member()
    csrf = csrf_of(member.client)
    set_maintenance(get_settings().data_dir, True, "Mise à jour vers 2.1, retour à 7 h.")
    try:
        page = member.client.get("/compte/jetons")
        assert page.status_code == 200 and "Mise à jour vers 2.1" in page.text
        created = member.client.post(
            "/compte/jetons", data={"name": "outil", "scopes": ["read"], "csrf_token": csrf}
        )
        assert created.status_code == 503 and "maintenance" in created.text and "bal_" not in created.text
        api = TestClient(app).delete("/api/v1/anything", headers={"accept": "application/json"})
        assert api.status_code == 503 and api.json()["error"] == "maintenance"
        ready = TestClient(app).get("/readyz").json()
        assert ready["maintenance"]["message"] == "Mise à jour vers 2.1, retour à 7 h."
        other = TestClient(app, headers={"accept": "text/html"})
        other.get("/connexion")
        signed_in = other.post(
            "/connexion",
            data={
                "email": member.user.email,
                "password": PASSWORD,
                "csrf_token": other.cookies["balise_csrf"],
            },
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
    finally:
        set_maintenance(get_settings().data_dir, False)
    assert "Mise à jour vers 2.1" not in member.client.get("/compte/jetons").text
    assert TestClient(app).get("/readyz").json()["maintenance"] is None
    created = member.client.post(
        "/compte/jetons", data={"name": "outil", "scopes": ["read"], "csrf_token": csrf}
    )
    assert created.status_code == 200 and "bal_" in created.text
