"""Security headers of every page, and error pages that render whatever failed."""

from __future__ import annotations

import re

from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from balise.tenancy import Tenant
from balise.web.deps import Principal, current_principal, tenant_db
from tests.support.web import PASSWORD, Member, csrf_of, sign_in


def test_no_inline_script_or_style_is_allowed(app, make_member) -> None:  # type: ignore[no-untyped-def]
    member: Member = make_member("employee")
    for path in ("/", "/connexion", "/docs", "/assistant/question", "/resultats", "/api/public/docs"):
        response = member.client.get(path)
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path
        assert "style-src 'self'" in policy, path
        assert not re.search(r"<style|\sstyle=", response.text), path
        assert "camera=()" in response.headers["permissions-policy"]
    docs = member.client.get("/docs").text
    assert "<script>" not in docs and "/static/swagger-init.js" in docs


def test_the_500_page_renders_after_the_database_session_failed(app, make_member) -> None:  # type: ignore[no-untyped-def]
    @app.get("/test-boom")
    def boom(principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)) -> None:
        db.add(Tenant(slug=principal.tenant.slug, name="doublon"))  # violates the unique slug
        db.flush()

    member: Member = make_member("employee")
    client = TestClient(app, headers={"accept": "text/html"}, raise_server_exceptions=False)
    sign_in(client, member.user.email, PASSWORD)
    response = client.get("/test-boom")
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in response.text
    reference = response.headers["X-Request-ID"]  # the id the logs hold, for the person to quote
    assert f"Référence de cette erreur, à donner à votre administrateur : {reference}" in response.text


def test_malformed_json_is_explained_with_where_it_breaks(app, make_member) -> None:  # type: ignore[no-untyped-def]
    member: Member = make_member("employee")
    token_page = member.client.post(
        "/compte/jetons", data={"name": "test", "csrf_token": csrf_of(member.client)}
    ).text
    token = re.search(r"bal_[A-Za-z0-9_\-]+", token_page)
    assert token is not None
    api = TestClient(app)
    response = api.post(
        "/api/assistant/ask",
        content=b'{"question": "Horaires ?",}',
        headers={"authorization": f"Bearer {token.group(0)}", "content-type": "application/json"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_json"
    assert "pas du JSON valide" in body["message"] and "au caractère 26" in body["message"]


def test_no_template_carries_an_inline_style() -> None:
    """Every template, including those no test opens: the policy would silently drop their styling."""
    from pathlib import Path

    import balise.web

    templates = Path(balise.web.__file__).parent / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"<style|\sstyle=", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_staff_api_description_needs_a_signed_in_person(app, make_member) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(app)
    assert anonymous.get("/openapi.json").status_code == 401
    assert anonymous.get("/redoc").status_code == 404
    docs = anonymous.get("/docs", headers={"accept": "text/html"}, follow_redirects=False)
    assert docs.status_code == 303 and docs.headers["location"].startswith("/connexion")
    member: Member = make_member("employee")
    full = member.client.get("/openapi.json").json()
    assert "/api/assistant/ask" in full["paths"] and "/gouvernance/plaintes" in full["paths"]
    assert 'data-url="/openapi.json"' in member.client.get("/docs").text


def test_the_public_api_description_lists_only_public_operations(app) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(app)
    public = anonymous.get("/api/public/openapi.json").json()
    assert "/api/public/{slug}/ask" in public["paths"] and "/public/{slug}/plainte" in public["paths"]
    assert all(path.startswith(("/api/public/", "/public/")) for path in public["paths"])
    schemas = set(public.get("components", {}).get("schemas", {}))
    assert "AskBody" in schemas and "TaskRequest" not in schemas and "BackendForm" not in schemas
    page = anonymous.get("/api/public/docs").text
    assert 'data-url="/api/public/openapi.json"' in page and "<script>" not in page
