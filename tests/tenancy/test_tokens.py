"""API tokens: scopes per route, expiry, no token minted by a token, revoked when access is lowered.

The probes that found the holes: a bearer token created a child token at ``POST /compte/jetons``
which kept answering after its parent was revoked; tokens had no scope and no expiry.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from balise.db import open_session
from balise.db.base import utcnow
from balise.errors import Invalid
from balise.formatting import day
from balise.i18n import use_locale
from balise.tenancy import ApiToken, User, create_api_token, create_user, set_active
from tests.support.web import PASSWORD, Member, csrf_of


def _token(engine, member: Member, scopes=("read", "ask"), days: int = 90) -> str:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        issued = create_api_token(
            session,
            session.merge(member.tenant),
            session.merge(member.user),
            "outil",
            scopes=scopes,
            days=days,
        )
        session.commit()
        return issued.token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _count(engine, member: Member) -> int:  # type: ignore[no-untyped-def]
    with open_session(engine) as session:
        return (
            session.scalar(
                select(func.count()).select_from(ApiToken).where(ApiToken.user_id == member.user.id)
            )
            or 0
        )


def test_a_token_can_never_create_a_token(app, engine, make_member):
    member = make_member("admin")
    token = _token(engine, member, scopes=("read", "ask", "administer"))
    client = TestClient(app)
    created = client.post(
        "/compte/jetons", data={"name": "enfant", "scopes": ["read"]}, headers=_bearer(token)
    )
    assert created.status_code == 403 and "ne peut pas gérer" in created.json()["message"]
    assert client.get("/compte/jetons", headers=_bearer(token)).status_code == 403
    assert _count(engine, member) == 1


def test_each_route_needs_the_token_scope_it_declares(app, engine, make_member):
    member = make_member("admin")
    client = TestClient(app)
    read = _token(engine, member, scopes=("read",))
    ask = _token(engine, member, scopes=("ask",))
    admin = _token(engine, member, scopes=("read", "administer"))

    assert client.get("/api/me", headers=_bearer(read)).status_code == 200
    refused = client.post("/api/assistant/ask", json={"question": "Heures?"}, headers=_bearer(read))
    assert refused.status_code == 403 and "« ask »" in refused.json()["message"]
    assert client.get("/api/me", headers=_bearer(ask)).status_code == 403
    # ask reaches the assistant's routes: an unknown conversation is answered as missing, not refused
    gone = client.delete("/api/assistant/conversations/inconnue", headers=_bearer(ask))
    assert gone.status_code == 404
    # an admin route needs administer, even to read it, even for an administrator's token
    assert client.get("/assistant/modeles", headers=_bearer(read)).status_code == 403
    assert client.get("/assistant/modeles", headers=_bearer(admin)).status_code == 200
    # a change outside the assistant is administration
    assert client.post("/notifications/lues", headers=_bearer(read)).status_code == 403
    assert client.post("/notifications/lues", headers=_bearer(admin)).status_code != 403


def test_a_token_expires_and_its_expiry_is_chosen_and_shown(app, engine, make_member):
    member = make_member()
    page = member.client.post(
        "/compte/jetons",
        data={"name": "semaine", "scopes": ["read"], "days": "7", "csrf_token": csrf_of(member.client)},
    )
    assert page.status_code == 200
    with use_locale("fr"):
        assert day(utcnow() + timedelta(days=7)) in page.text  # « 14 décembre 2026 »
    token = page.text[page.text.index("bal_") : page.text.index("bal_") + 47]
    client = TestClient(app)
    assert client.get("/api/me", headers=_bearer(token)).status_code == 200
    assert "Jamais" not in member.client.get("/compte/jetons").text  # last use is shown
    with open_session(engine) as session:
        session.execute(
            update(ApiToken)
            .values(expires_at=utcnow() - timedelta(minutes=1))
            .where(ApiToken.user_id == member.user.id)
        )
        session.commit()
    expired = client.get("/api/me", headers=_bearer(token))
    assert expired.status_code == 401 and "expiré" in expired.json()["message"]


def test_the_default_is_ninety_days_and_odd_lifetimes_are_refused(engine, make_member):
    member = make_member()
    _token(engine, member)
    with open_session(engine) as session:
        record = session.scalars(select(ApiToken).where(ApiToken.user_id == member.user.id)).one()
        expires = record.expires_at.replace(tzinfo=utcnow().tzinfo)
        assert abs(expires - (utcnow() + timedelta(days=90))) < timedelta(minutes=5)
        with pytest.raises(Invalid):
            create_api_token(
                session, session.merge(member.tenant), session.merge(member.user), "x", days=10000
            )
        with pytest.raises(Invalid):
            create_api_token(
                session, session.merge(member.tenant), session.merge(member.user), "x", scopes=[]
            )


def test_lowering_a_person_revokes_their_tokens(app, engine, make_member):
    member = make_member("admin")
    token = _token(engine, member)
    with open_session(engine) as session:
        create_user(session, session.merge(member.tenant), member.user.email, PASSWORD, "employee")
        session.commit()
    answer = TestClient(app).get("/api/me", headers=_bearer(token))
    assert answer.status_code == 401 and "révoqué" in answer.json()["message"]


def test_a_role_lowered_by_any_path_stops_the_token(app, engine, make_member):
    """Single sign-on or a database edit may lower a role without create_user: the token still stops."""
    from balise.tenancy import Membership

    member = make_member("reviewer")
    token = _token(engine, member)
    with open_session(engine) as session:
        session.execute(
            update(Membership).values(role="employee").where(Membership.user_id == member.user.id)
        )
        session.commit()
    assert TestClient(app).get("/api/me", headers=_bearer(token)).status_code == 401
    with open_session(engine) as session:
        assert session.scalars(select(ApiToken.revoked).where(ApiToken.user_id == member.user.id)).one()


def test_disabling_a_person_revokes_their_tokens_and_sessions(app, engine, make_member):
    member = make_member()
    token = _token(engine, member)
    with open_session(engine) as session:
        set_active(session, session.get(User, member.user.id), False)
        session.commit()
        assert session.scalars(select(ApiToken.revoked).where(ApiToken.user_id == member.user.id)).one()
    assert TestClient(app).get("/api/me", headers=_bearer(token)).status_code == 401
    assert member.client.get("/compte/jetons", follow_redirects=False).status_code in (303, 401)


def test_nothing_ticked_on_the_page_is_refused_but_a_script_gets_the_defaults(engine, make_member):
    member = make_member()
    unticked = member.client.post(
        "/compte/jetons", data={"name": "vide", "scopes_shown": "true", "csrf_token": csrf_of(member.client)}
    )
    assert unticked.status_code == 422 and "au moins une permission" in unticked.text
    scripted = member.client.post(
        "/compte/jetons", data={"name": "script", "csrf_token": csrf_of(member.client)}
    )
    assert scripted.status_code == 200 and "bal_" in scripted.text
    with open_session(engine) as session:
        assert (
            session.scalars(select(ApiToken.scopes).where(ApiToken.user_id == member.user.id)).one()
            == "read,ask"
        )
