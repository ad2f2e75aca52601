"""A full disk or an unreachable database: a French message the person can act on, never a 500."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from balise.db.failures import storage_failure
from tests.support.web import PASSWORD


def _failing_commit(message: str):  # type: ignore[no-untyped-def]
    def commit(self: Session) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError(message))

    return commit


@pytest.mark.parametrize(
    ("message", "status", "words"),
    [
        ("database or disk is full", 507, "disque du serveur est plein"),
        ("server closed the connection unexpectedly", 503, "ne peut pas joindre sa base de données"),
    ],
)
def test_sign_in_when_storage_fails(app, make_member, monkeypatch, message, status, words) -> None:  # type: ignore[no-untyped-def]
    member = make_member("employee")
    client = TestClient(app, headers={"accept": "text/html"})
    client.get("/connexion")
    monkeypatch.setattr(Session, "commit", _failing_commit(message))
    response = client.post(
        "/connexion",
        data={
            "email": member.user.email,
            "password": PASSWORD,
            "csrf_token": client.cookies.get("balise_csrf", ""),
        },
    )
    assert response.status_code == status
    assert words in response.text
    assert "rien de cette demande n’a été enregistré" in response.text.replace("'", "’")


def test_only_storage_failures_are_recognised() -> None:
    assert storage_failure(OSError(errno.ENOSPC, "No space left on device")) is not None
    assert storage_failure(OSError(errno.EACCES, "Permission denied")) is None
    assert storage_failure(ValueError("database or disk is full")) is None
    other = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    assert storage_failure(other) is None


def test_a_postgresql_server_that_went_away_is_unavailable_not_a_bug() -> None:
    import psycopg

    gone = OperationalError(
        "SELECT 1",
        {},
        psycopg.OperationalError('connection to server on socket "/tmp/x" failed: No such file'),
    )
    assert storage_failure(gone) is not None and storage_failure(gone).status == 503  # type: ignore[union-attr]
