"""``balise admin create-token --scope --days``, ``balise admin disable-user`` and ``balise tenant sso``."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from balise.audit.models import AuditEntry
from balise.cli import app
from balise.db import open_session
from balise.tenancy import ApiToken, User, create_api_token, create_user
from balise.tenancy.models import SsoProvider
from tests.support.web import PASSWORD, sign_in

runner = CliRunner()
SECRET_AND_MAP = ("--client-secret-stdin", "--map", "ti=admin", "--map", "agents=employee")


def test_tokens_with_scopes_and_disabling_a_person(engine, make_tenant):
    env = {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    tenant = make_tenant()
    email = f"cli-{os.urandom(3).hex()}@example.org"
    with open_session(engine) as session:
        create_user(session, session.merge(tenant), email, PASSWORD, "employee")
        session.commit()
    args = ["admin", "create-token", email, "--tenant", tenant.slug, "--scope", "read", "--days", "30"]
    created = runner.invoke(app, args, env=env)
    assert created.exit_code == 0 and "bal_" in created.output, created.output
    odd = runner.invoke(app, [*args[:-1], "12"], env=env)
    assert odd.exit_code == 2 and "Un jeton dure" in odd.output
    disabled = runner.invoke(app, ["admin", "disable-user", email], env=env)
    assert disabled.exit_code == 0 and "désactivé" in disabled.output
    with open_session(engine) as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        token = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
        assert not user.active and token.revoked and token.scopes == "read"


def test_sso_is_set_shown_and_disabled_from_the_command_line(engine, make_tenant):
    env = {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    tenant = make_tenant()
    base = ["tenant", "sso", tenant.slug]
    assert "n’est pas configurée" in runner.invoke(app, base, env=env).output
    configured = runner.invoke(
        app,
        [*base, "--issuer", "https://idp.example.org/realms/ville", "--client-id", "balise", *SECRET_AND_MAP],
        input="secret-du-client\n",
        env=env,
    )
    assert configured.exit_code == 0, configured.output
    assert "ti = admin" in configured.output and "secret-du-client" not in configured.output
    bad = runner.invoke(app, [*base, "--issuer", "https://idp.example.org", "--map", "ti=roi"], env=env)
    assert bad.exit_code == 2 and "inconnu" in bad.output
    off = runner.invoke(app, [*base, "--disable"], env=env)
    assert off.exit_code == 0 and "Désactivée" in off.output
    with open_session(engine) as session:
        provider = session.scalars(select(SsoProvider).where(SsoProvider.tenant_id == tenant.id)).one()
        assert not provider.enabled and provider.role_map == {"ti": "admin", "agents": "employee"}


def test_a_disabled_person_cannot_sign_in_nor_use_a_token_until_enabled(engine, make_member):  # type: ignore[no-untyped-def]
    env = {"BALISE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    member = make_member("employee")
    with open_session(engine) as session:
        issued = create_api_token(
            session,
            session.merge(member.tenant),
            session.merge(member.user),
            "outil",
            scopes=("read",),
            days=30,
        )
        session.commit()
    bearer = {"Authorization": f"Bearer {issued.token}"}
    assert member.client.get("/api/me", headers=bearer).status_code == 200
    email = member.user.email
    assert runner.invoke(app, ["admin", "disable-user", email], env=env).exit_code == 0
    assert member.client.get("/api/me", headers=bearer).status_code == 401
    assert member.client.get("/assistant", follow_redirects=False).status_code in (302, 303, 401)
    fresh = TestClient(member.client.app, headers={"accept": "text/html"})
    with pytest.raises(AssertionError):
        sign_in(fresh, email)
    enabled = runner.invoke(app, ["admin", "enable-user", email], env=env)
    assert enabled.exit_code == 0 and "peut se connecter de nouveau" in enabled.output
    sign_in(fresh, email)
    assert fresh.get("/api/me").status_code == 200
    assert member.client.get("/api/me", headers=bearer).status_code == 401  # its tokens stay revoked
    with open_session(engine) as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_id == member.user.id).order_by(AuditEntry.seq)
        ).all()
    assert [a for a in actions if a in ("user.disabled", "user.enabled")] == ["user.disabled", "user.enabled"]
    unknown = runner.invoke(app, ["admin", "enable-user", "personne@example.org"], env=env)
    assert unknown.exit_code == 2 and "Personne" in unknown.output
