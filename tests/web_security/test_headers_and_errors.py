"""Security headers of every page, and error pages that render whatever failed."""

from __future__ import annotations

from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from balise.tenancy import Tenant
from balise.web.deps import Principal, current_principal, tenant_db
from tests.foundation.conftest import PASSWORD, Member, sign_in


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
