"""Security headers of every page, and error pages that render whatever failed."""

from __future__ import annotations

import re

from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from balise.tenancy import Tenant
from balise.web.deps import Principal, current_principal, tenant_db
from tests.support.web import PASSWORD, Member, csrf_of, sign_in


def test_no_inline_script_is_allowed_and_browser_features_are_off(app, make_member) -> None:  # type: ignore[no-untyped-def]
    member: Member = make_member("employee")
    for path in ("/", "/connexion", "/docs"):
        response = member.client.get(path)
        policy = response.headers["content-security-policy"]
        script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
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
