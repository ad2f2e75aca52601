"""Login: an unknown e-mail costs a password check too, and old password hashes are upgraded."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

import balise.tenancy.passwords as passwords
from balise.db import open_session
from balise.tenancy import Tenant, User, create_user
from balise.tenancy.signin import BadCredentials, authenticate

PASSWORD = "correct-horse-battery"


def _user(engine: Engine, tenant: Tenant) -> str:
    with open_session(engine) as session:
        user = create_user(
            session, session.merge(tenant), f"p-{tenant.slug}@example.org", PASSWORD, "employee"
        )
        session.commit()
        return user.email


def test_an_unknown_email_is_checked_against_a_dummy_hash(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without it, a wrong password took ~220 ms for a real account and ~10 ms for an unknown one."""
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    email = _user(engine, make_tenant())
    with open_session(engine) as session:
        for address in (email, "personne@example.org"):
            with pytest.raises(BadCredentials):
                authenticate(session, address, "wrong-password", client="10.0.0.1", limit=50)
    assert len(checked) == 2  # one real check, one against the dummy hash


def test_an_old_hash_is_upgraded_at_login(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    email = _user(engine, make_tenant())
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with open_session(engine) as session:
        user = session.query(User).filter_by(email=email).one()
        user.password_hash = weak
        session.commit()
    assert passwords.needs_rehash(weak)
    with open_session(engine) as session:
        authenticate(session, email, PASSWORD, client="10.0.0.1", limit=50)
        session.commit()
    with open_session(engine) as session:
        upgraded = session.query(User).filter_by(email=email).one().password_hash
    assert upgraded != weak and not passwords.needs_rehash(upgraded)
    assert passwords.verify_password(upgraded, PASSWORD)
