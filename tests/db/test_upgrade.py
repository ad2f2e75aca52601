"""An upgrade from the first release keeps every row: a database built at release 0.2.0's schema
(revision 0006), with a row in every table, is migrated to head, and every row and value is still there."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from balise.db import make_engine, migrate
from balise.db.migrate import alembic_config

FIRST_RELEASE = "0006"  # the head of version 0.2.0 (CHANGELOG.md)
# Kept by triggers from search_entries, or by the database itself: not filled by hand.
DERIVED = {"alembic_version", "search_fts_config", "search_fts_data", "search_fts_docsize", "search_fts_idx"}
# Counters the database moves by itself (the search cache's version changes with any search write).
MOVING = {"search_versions": {"version"}}


@pytest.fixture
def fresh_engine(db_kind: str, database_url: str, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if db_kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'release.db'}")
        yield engine
        engine.dispose()
        return
    name = "upgrade_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine = make_engine(sa.make_url(database_url).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE {name}"))
    admin.dispose()


def _value(column: sa.Column[Any], n: int) -> Any:
    """A plausible value of the column's type (the same one each time for a given ``n``)."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return n + 1
    if isinstance(kind, sa.Float | sa.Numeric):
        return 1.5
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 1, 2, 3, 4, 5)
    if isinstance(kind, sa.Date):
        return dt.date(2026, 1, 2)
    if isinstance(kind, sa.JSON):
        return {"kept": n}
    if isinstance(kind, sa.LargeBinary):
        return b"\x00kept"
    if isinstance(kind, sa.String | sa.Text):
        length = getattr(kind, "length", None) or 64
        return f"v{n}{column.name}"[:length]
    return None  # other types (vectors, full-text columns): left to their default


def _naive(value: Any) -> Any:
    """PostgreSQL answers a time zone with the time it was given (read in the session's zone)."""
    return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value


def _fill(engine: Engine) -> dict[str, dict[str, Any]]:
    """One row in every table, foreign keys pointing at the rows already written; returns them."""
    reflected = sa.MetaData()
    reflected.reflect(engine)
    rows: dict[str, dict[str, Any]] = {}
    with engine.begin() as connection:
        for n, table in enumerate(reflected.sorted_tables):
            if table.name in DERIVED or table.name.startswith("search_fts"):
                continue
            row: dict[str, Any] = {}
            for column in table.columns:
                targets = [fk.column for fk in column.foreign_keys if fk.column.table.name in rows]
                if targets:
                    row[column.name] = rows[targets[0].table.name][targets[0].name]
                elif column.foreign_keys and column.nullable:
                    row[column.name] = None
                else:
                    value = _value(column, n)
                    if value is not None:
                        row[column.name] = value
            connection.execute(table.insert().values(**row))
            rows[table.name] = row
    return rows


def test_an_upgrade_from_the_first_release_loses_nothing(fresh_engine: Engine) -> None:
    command.upgrade(alembic_config(fresh_engine), FIRST_RELEASE)
    written = _fill(fresh_engine)
    assert len(written) >= 30, sorted(written)

    migrate(fresh_engine)

    reflected = sa.MetaData()
    reflected.reflect(fresh_engine)
    lost = []
    with fresh_engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT version_num FROM alembic_version")) != FIRST_RELEASE
        for name, written_row in written.items():
            table = reflected.tables[name]
            row = {c: v for c, v in written_row.items() if c not in MOVING.get(name, set())}
            found = [
                {c: _naive(v) for c, v in f.items()}
                for f in connection.execute(sa.select(*(table.c[c] for c in row))).mappings()
            ]
            if found != [row]:
                lost.append((name, row, found))
    assert lost == []
