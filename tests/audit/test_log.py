"""The audit chain detects any edited or deleted entry, and never stores content."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from balise import audit
from balise.audit.models import AuditEntry
from balise.audit.schema import install_guards
from balise.cli import app as cli
from balise.db import open_session


def _write_events(engine: Engine, tenant_id: str, n: int = 5) -> list[int]:
    with open_session(engine) as session:
        seqs = [
            audit.record(session, "test.event", actor="tester", tenant_id=tenant_id, details={"count": i}).seq
            for i in range(n)
        ]
        session.commit()
    return seqs


def _without_guard(engine: Engine, statement: str, **params: object) -> None:
    """Tamper as an attacker with database access would: around the append-only triggers."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
            conn.execute(text(statement), params)
            conn.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
            conn.execute(text(statement), params)
            install_guards(conn)


@pytest.fixture
def fresh_chain(engine: Engine) -> None:
    with open_session(engine) as session:
        assert audit.verify(session) == [], "chain must be intact before tampering"


def test_chain_is_intact_then_detects_an_edited_entry(engine, make_tenant, fresh_chain):
    seqs = _write_events(engine, make_tenant().id)
    _without_guard(
        engine, "UPDATE audit_entries SET details = :d WHERE seq = :s", d='{"count": 99}', s=seqs[2]
    )
    with open_session(engine) as session:
        breaks = audit.verify(session)
    assert [b.seq for b in breaks] == [seqs[2]]
    assert "changed" in breaks[0].reason
    _restore(engine, seqs[2], '{"count": 2}')


def test_detects_a_deleted_entry(engine, make_tenant, fresh_chain):
    seqs = _write_events(engine, make_tenant().id)
    with engine.connect() as conn:
        row = conn.execute(select(AuditEntry.__table__).where(AuditEntry.seq == seqs[1])).mappings().one()
    _without_guard(engine, "DELETE FROM audit_entries WHERE seq = :s", s=seqs[1])
    with open_session(engine) as session:
        breaks = audit.verify(session)
    assert any("missing" in b.reason for b in breaks)
    assert any(b.seq == seqs[2] and "link" in b.reason for b in breaks)
    url = engine.url.render_as_string(hide_password=False)  # str(url) masks a password as ***
    result = CliRunner().invoke(cli, ["audit", "verify"], env={"BALISE_DATABASE_URL": url})
    assert result.exit_code == 1 and f"#{seqs[2]}:" in result.output, result.output  # the break itself
    with engine.begin() as conn:  # put the entry back, so later tests start from an intact chain
        conn.execute(AuditEntry.__table__.insert(), dict(row))


def _restore(engine: Engine, seq: int, details: str) -> None:
    _without_guard(engine, "UPDATE audit_entries SET details = :d WHERE seq = :s", d=details, s=seq)
    with open_session(engine) as session:
        assert audit.verify(session) == []


def test_the_database_refuses_edits_and_deletes(engine, make_tenant):
    seqs = _write_events(engine, make_tenant().id, 1)
    with pytest.raises(Exception, match=r"(?i)append-only|audit"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'x' WHERE seq = :s"), {"s": seqs[0]})
    with pytest.raises(Exception, match=r"(?i)append-only|audit"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": seqs[0]})


def test_details_that_carry_content_are_refused(engine, make_tenant):
    with open_session(engine) as session, pytest.raises(ValueError, match="content"):
        audit.record(session, "x", actor="a", tenant_id=make_tenant().id, details={"text": "Jean Tremblay"})


def test_concurrent_writers_keep_one_linear_chain(engine, make_tenant):
    from concurrent.futures import ThreadPoolExecutor

    tenant_id = make_tenant().id
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _i: _write_events(engine, tenant_id, 5), range(4)))
    with open_session(engine) as session:
        assert audit.verify(session) == []
