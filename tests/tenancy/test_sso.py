"""Single sign-on without a browser: role mapping, first sign-in, refusals, PKCE, the stored secret.

The full exchange with a real provider is walked in tests/browser/test_sso.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from balise.db import open_session
from balise.errors import Invalid
from balise.tenancy import ApiToken, Membership, User, create_api_token, create_user, oidc
from balise.tenancy.oidc import PendingLogin, begin
from balise.tenancy.sso import (
    SsoExpired,
    SsoRefused,
    client_secret_of,
    configure_sso,
    person_from_claims,
)
from tests.support.web import PASSWORD

ISSUER = "https://login.example.org/ville"
MAP = {"agents": "employee", "gestion": "manager", "ti": "admin"}


def _provider(session, tenant):  # type: ignore[no-untyped-def]
    return configure_sso(
        session, tenant, issuer=ISSUER, client_id="balise", client_secret="tres-secret", role_map=MAP
    )


def _claims(sub: str, email: str, *groups: str) -> dict[str, object]:
    return {"sub": sub, "email": email, "name": "Personne Test", "groups": list(groups)}


def test_first_sign_in_creates_the_person_with_the_highest_mapped_role(engine, make_tenant):
    tenant = make_tenant()
    with open_session(engine) as session:
        tenant = session.merge(tenant)
        provider = _provider(session, tenant)
        email = f"nouvelle-{tenant.slug}@example.org"
        user = person_from_claims(session, tenant, provider, _claims("s-1", email, "agents", "ti", "autre"))
        session.commit()
        role = session.scalars(select(Membership.role).where(Membership.user_id == user.id)).one()
        assert role == "admin" and user.password_hash == ""  # no local password to guess
        again = person_from_claims(session, tenant, provider, _claims("s-1", email, "agents"))
        session.commit()
        assert again.id == user.id
        role = session.scalars(select(Membership.role).where(Membership.user_id == user.id)).one()
        assert role == "employee"  # groups are read again at every sign-in


def test_groups_giving_no_role_are_refused_and_nobody_is_created(engine, make_tenant):
    tenant = make_tenant()
    with open_session(engine) as session:
        tenant = session.merge(tenant)
        provider = _provider(session, tenant)
        session.commit()
        email = f"sans-role-{tenant.slug}@example.org"
        with pytest.raises(SsoRefused) as refused:
            person_from_claims(session, tenant, provider, _claims("s-2", email, "comptabilite"))
        assert "comptabilite" in refused.value.localized()
        assert session.scalars(select(User).where(User.email == email)).first() is None


def test_an_email_of_another_municipality_is_not_taken_over(engine, make_tenant):
    """The provider of town A does not speak for a person who only works for town B."""
    town_a, town_b = make_tenant(), make_tenant()
    with open_session(engine) as session:
        town_b = session.merge(town_b)
        email = f"elue-{town_b.slug}@example.org"
        create_user(session, town_b, email, PASSWORD, "admin")
        town_a = session.merge(town_a)
        provider = _provider(session, town_a)
        session.commit()
        with pytest.raises(SsoRefused):
            person_from_claims(session, town_a, provider, _claims("s-3", email, "ti"))


def test_a_role_lowered_by_the_provider_revokes_the_person_s_tokens(engine, make_tenant):
    tenant = make_tenant()
    with open_session(engine) as session:
        tenant = session.merge(tenant)
        provider = _provider(session, tenant)
        email = f"baisse-{tenant.slug}@example.org"
        user = person_from_claims(session, tenant, provider, _claims("s-4", email, "ti"))
        session.commit()
        create_api_token(session, tenant, user, "outil")
        person_from_claims(session, tenant, provider, _claims("s-4", email, "agents"))
        session.commit()
        assert session.scalars(select(ApiToken.revoked).where(ApiToken.user_id == user.id)).one()


def test_the_secret_is_stored_encrypted_and_plain_http_is_refused(engine, make_tenant):
    tenant = make_tenant()
    with open_session(engine) as session:
        tenant = session.merge(tenant)
        provider = _provider(session, tenant)
        assert "tres-secret" not in provider.client_secret_encrypted
        assert client_secret_of(provider) == "tres-secret"
        with pytest.raises(Invalid):
            configure_sso(
                session,
                tenant,
                issuer="http://idp.example.org",
                client_id="b",
                client_secret="",
                role_map=MAP,
            )


def test_the_authorisation_request_uses_pkce_and_a_sealed_state(engine, make_tenant, monkeypatch):
    monkeypatch.setattr(oidc, "metadata", lambda issuer: {"authorization_endpoint": issuer + "/authorize"})
    tenant = make_tenant()
    with open_session(engine) as session:
        provider = _provider(session, session.merge(tenant))
        url, pending = begin(provider, tenant.slug, "https://balise.example/sso/retour", "/")
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert pending.verifier not in url  # only its hash travels
    assert query["state"] == [pending.state] and query["nonce"] == [pending.nonce]
    assert PendingLogin.unseal(pending.seal()) == pending
    with pytest.raises(SsoExpired):
        PendingLogin.unseal(pending.seal()[:-4] + "AAAA")
