"""Sign-in throttling per (account, address): a guesser waits longer each time, the owner is never
locked out from their own address, and is told of the failures at their next sign-in.

The probe that found it: five wrong passwords typed by anyone refused the real owner for 15 minutes,
from any address.
"""

from __future__ import annotations

import os
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from balise.db import open_session
from balise.tenancy import User
from balise.tenancy.models import LoginAttempt
from tests.support.web import PASSWORD, Member


def _client(app, address: str) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, client=(address, 41000), headers={"accept": "text/html"})


def _address() -> str:
    return f"198.18.{os.urandom(1)[0]}.{os.urandom(1)[0] % 250 + 1}"


def _try(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    client.get("/connexion")
    return client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": client.cookies.get("balise_csrf", "")},
        follow_redirects=False,
    )


def _age_attempts(engine, email: str, minutes: int) -> None:  # type: ignore[no-untyped-def]
    """As if the attempts were made ``minutes`` earlier: waiting without sleeping."""
    with open_session(engine) as session:
        for attempt in session.scalars(select(LoginAttempt).where(LoginAttempt.email == email)):
            attempt.created_at = attempt.created_at - timedelta(minutes=minutes)
        session.commit()


def test_a_guesser_is_slowed_but_the_owner_signs_in_from_elsewhere(app, make_member):
    member: Member = make_member()
    email = member.user.email
    guesser = _client(app, _address())
    for _ in range(5):
        assert _try(guesser, email, "pas-le-bon-mot").status_code == 401
    refused = _try(guesser, email, PASSWORD)  # even the right password waits: nothing is checked
    assert refused.status_code == 429
    assert "Réessayez dans 1 minute(s)" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 60
    owner = _client(app, _address())
    signed_in = _try(owner, email, PASSWORD)
    assert signed_in.status_code == 200 and "balise_session" in signed_in.cookies
    assert "5 tentatives de connexion avec un mauvais mot de passe" in signed_in.text
    # told once: the next sign-in goes straight to the page asked for
    assert _try(_client(app, _address()), email, PASSWORD).status_code == 303


def test_each_further_failure_doubles_the_wait(app, engine, make_member):
    member: Member = make_member()
    email = member.user.email
    guesser = _client(app, _address())
    for _ in range(5):
        _try(guesser, email, "pas-le-bon-mot")
    assert _try(guesser, email, "pas-le-bon-mot").status_code == 429
    _age_attempts(engine, email, 2)  # the one-minute wait is over
    assert _try(guesser, email, "pas-le-bon-mot").status_code == 401
    again = _try(guesser, email, "pas-le-bon-mot")
    assert again.status_code == 429 and 60 < int(again.headers["retry-after"]) <= 120
    _age_attempts(engine, email, 3)
    assert _try(guesser, email, "pas-le-bon-mot").status_code == 401
    third = _try(guesser, email, "pas-le-bon-mot")
    assert third.status_code == 429 and 180 < int(third.headers["retry-after"]) <= 240


def test_the_right_password_clears_the_address_s_own_typos(app, engine, make_member):
    member: Member = make_member()
    email = member.user.email
    owner = _client(app, _address())
    for _ in range(4):
        _try(owner, email, "faute-de-frappe")
    assert _try(owner, email, PASSWORD).status_code == 200  # told of the 4 failures
    with open_session(engine) as session:
        assert not session.scalars(select(LoginAttempt).where(LoginAttempt.email == email)).all()
        user = session.get(User, member.user.id)
        assert user is not None and user.failed_logins == 0


def test_a_few_typos_are_not_reported(app, engine, make_member):
    member: Member = make_member()
    email = member.user.email
    owner = _client(app, _address())
    _try(owner, email, "faute-de-frappe")
    assert _try(owner, email, PASSWORD).status_code == 303
