"""Sign-in, sessions, CSRF, rate limiting and API tokens, with the messages a person sees."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from balise.db import open_session
from balise.db.base import utcnow
from balise.tenancy import WebSession, create_api_token
from tests.support.web import PASSWORD, csrf_of, sign_in


def test_wrong_password_says_so_in_french_and_keeps_the_email(app, make_member):
    member = make_member()
    client = TestClient(app, headers={"accept": "text/html"})
    client.get("/connexion")
    response = client.post(
        "/connexion",
        data={
            "email": member.user.email,
            "password": "nope-nope-nope",
            "csrf_token": client.cookies["balise_csrf"],
        },
    )
    assert response.status_code == 401
    assert "Courriel ou mot de passe incorrect" in response.text
    assert f'value="{member.user.email}"' in response.text


def test_session_cookie_is_httponly_and_samesite(app, make_member):
    member = make_member()
    client = TestClient(app, headers={"accept": "text/html"})
    client.get("/connexion")
    response = client.post(
        "/connexion",
        data={"email": member.user.email, "password": PASSWORD, "csrf_token": client.cookies["balise_csrf"]},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "balise_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http here; set behind HTTPS


def test_secure_cookie_behind_https(app, make_member):
    member = make_member()
    client = TestClient(app, base_url="https://testserver", headers={"accept": "text/html"})
    client.get("/connexion")
    response = client.post(
        "/connexion",
        data={"email": member.user.email, "password": PASSWORD, "csrf_token": client.cookies["balise_csrf"]},
        follow_redirects=False,
    )
    assert "secure" in response.headers["set-cookie"].lower()


def test_login_without_csrf_token_is_refused_with_a_clear_message(app, make_member):
    member = make_member()
    client = TestClient(app, headers={"accept": "text/html"})
    response = client.post("/connexion", data={"email": member.user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "Rechargez la page" in response.text


def test_signed_in_form_without_csrf_is_refused_and_nothing_is_created(make_member):
    member = make_member()
    response = member.client.post("/compte/jetons", data={"name": "outil-secret"})
    assert response.status_code == 403
    assert "outil-secret" not in member.client.get("/compte/jetons").text
    response = member.client.post(
        "/compte/jetons", data={"name": "outil", "scopes": ["read"], "csrf_token": csrf_of(member.client)}
    )
    assert response.status_code == 200 and "bal_" in response.text


def test_expired_session_redirects_to_login_with_notice(engine, make_member):
    member = make_member()
    with open_session(engine) as session:
        session.execute(
            update(WebSession)
            .where(WebSession.user_id == member.user.id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
        session.commit()
    response = member.client.get("/compte/jetons", follow_redirects=True)
    assert "/connexion" in str(response.url)
    assert "Votre session a expiré" in response.text


def test_login_is_rate_limited(app, make_member):
    member = make_member()
    client = TestClient(app, headers={"accept": "text/html"})
    client.get("/connexion")
    for _ in range(5):
        client.post(
            "/connexion",
            data={
                "email": member.user.email,
                "password": "wrong-wrong",
                "csrf_token": client.cookies["balise_csrf"],
            },
        )
    response = client.post(
        "/connexion",
        data={"email": member.user.email, "password": PASSWORD, "csrf_token": client.cookies["balise_csrf"]},
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_api_token_gives_access_and_a_malformed_one_is_explained(app, engine, make_member):
    member = make_member()
    with open_session(engine) as session:
        issued = create_api_token(session, session.merge(member.tenant), session.merge(member.user), "script")
        session.commit()
    client = TestClient(app)
    me = client.get("/api/me", headers={"Authorization": f"Bearer {issued.token}"})
    assert me.status_code == 200 and me.json()["tenant"]["slug"] == member.tenant.slug
    bad = client.get("/api/me", headers={"Authorization": "Bearer abc"})
    assert bad.status_code == 401 and "mal formé" in bad.json()["message"]
    unknown = client.get("/api/me", headers={"Authorization": "Bearer bal_" + "x" * 43})
    assert unknown.status_code == 401 and "inconnu" in unknown.json()["message"]


def test_revoked_token_stops_working(app, make_member):
    member = make_member()
    page = member.client.post(
        "/compte/jetons", data={"name": "outil", "scopes": ["read"], "csrf_token": csrf_of(member.client)}
    ).text
    token = page[page.index("bal_") : page.index("bal_") + 47]
    assert TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    token_id = page.split("/compte/jetons/")[1].split("/")[0]
    member.client.post(f"/compte/jetons/{token_id}/revoquer", data={"csrf_token": csrf_of(member.client)})
    assert TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_unknown_tenant_gets_a_french_404(app):
    client = TestClient(app, headers={"accept": "text/html"})
    response = client.get("/connexion?municipalite=nulle-part")
    assert response.status_code == 404
    assert "Aucune municipalité" in response.text


def test_error_pages_are_french_and_english_on_request(app, make_member):
    member = make_member()
    assert "Page introuvable" in member.client.get("/nulle-part").text
    member.client.get("/langue/en")
    assert "Page not found" in member.client.get("/nulle-part").text


def test_role_check_refuses_employee_on_audit_page(make_member):
    member = make_member("employee")
    response = member.client.get("/journal")
    assert response.status_code == 403 and "Votre rôle" in response.text
    assert make_member("privacy_officer").client.get("/journal").status_code == 200


def test_logout_ends_the_session(make_member):
    member = make_member()
    member.client.post("/deconnexion", data={"csrf_token": csrf_of(member.client)})
    assert "/connexion" in str(member.client.get("/", follow_redirects=True).url)


def test_open_redirect_is_refused(app, make_member):
    member = make_member()
    client = TestClient(app, headers={"accept": "text/html"})
    client.get("/connexion")
    response = client.post(
        "/connexion",
        data={
            "email": member.user.email,
            "password": PASSWORD,
            "next": "https://evil.example",
            "csrf_token": client.cookies["balise_csrf"],
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_health_and_metrics(app):
    client = TestClient(app)
    assert client.get("/healthz").json()["status"] == "ok"
    # /metrics answers the monitoring server only: BALISE_METRICS_ALLOW (loopback by default) or a token.
    assert "balise_http_requests_total" in TestClient(app, client=("127.0.0.1", 5000)).get("/metrics").text
    assert client.get("/metrics").status_code == 403
    assert client.get("/api/public/openapi.json").json()["info"]["title"] == "Balise public API"


def test_user_in_two_tenants_can_switch(engine, make_member, make_tenant):
    member = make_member("employee")
    other = make_tenant("Autre ville")
    from balise.tenancy import create_user

    with open_session(engine) as session:
        create_user(session, session.merge(other), member.user.email, PASSWORD, "manager")
        session.commit()
    home = member.client.get("/").text
    assert "Autre ville" in home
    member.client.post("/municipalite", data={"slug": other.slug, "csrf_token": csrf_of(member.client)})
    assert member.client.get("/api/me").json()["tenant"]["slug"] == other.slug
    sign_in(member.client, member.user.email)
