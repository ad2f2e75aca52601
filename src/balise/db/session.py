"""Engines and sessions; tenant scope and read clearance are enforced here, in the data-access layer.

A scoped session carries the tenant and the classifications its reader may read in ``session.info``;
every ORM query gets both filters added, and raw-SQL queries read them with :func:`clearance_of`.
Neither is ever written by hand in a query or a route.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from balise.db.base import Classified, TenantScoped

TENANT_KEY = "tenant_id"
CLEARANCE_KEY = "clearance"
EVERY_CLASSIFICATION = "balise_every_classification"
"""Execution option for the rare check that must see every row to stay correct (is this file already
in the library?) and whose answer never shows the row: ``select(...).execution_options(**{...: True})``."""


class CrossTenantWrite(PermissionError):
    """Raised when a session scoped to one tenant tries to write another tenant's row."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # As many connections as on PostgreSQL: none of the requests a web process works on at once
        # (BALISE_CONCURRENT_REQUESTS) should wait for a connection.
        pool = (
            {} if ":memory:" in url or url.rstrip("/") == "sqlite:" else {"pool_size": 10, "max_overflow": 20}
        )
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def default_engine() -> Engine:
    from balise.config import get_settings

    settings = get_settings()
    if not settings.database_url:  # the SQLite file lives there; a server database needs no folder
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return engine_for(settings.resolved_database_url)


SessionFactory = sessionmaker(expire_on_commit=False)


@event.listens_for(Session, "do_orm_execute")
def _scope_reads(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is not None:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped,
                lambda cls: cls.tenant_id == tenant_id,
                include_aliases=True,
                track_closure_variables=True,
            )
        )
    clearance = clearance_of(state.session)
    if clearance is not None and not state.execution_options.get(EVERY_CLASSIFICATION):
        allowed = sorted(clearance)
        state.statement = state.statement.options(
            with_loader_criteria(
                Classified,
                lambda cls: cls.classification.in_(allowed),
                include_aliases=True,
                track_closure_variables=True,
            )
        )


def clearance_of(session: Session) -> frozenset[str] | None:
    """The classifications this session may read; None for an unscoped (CLI, worker) session."""
    clearance: frozenset[str] | None = session.info.get(CLEARANCE_KEY)
    return clearance


def may_read(session: Session, classification: str) -> bool:
    """Whether this session's reader may read data of ``classification``."""
    clearance = clearance_of(session)
    return clearance is None or classification in clearance


@event.listens_for(Session, "before_flush")
def _scope_writes(session: Session, _ctx: Any, _instances: Any) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    if tenant_id is None:
        return
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None and obj in session.new:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"row of tenant {obj.tenant_id} written from tenant {tenant_id}")


@contextmanager
def open_session(engine: Engine | None = None) -> Iterator[Session]:
    """An unscoped session: for the CLI, migrations, workers and cross-tenant admin only."""
    with SessionFactory(bind=engine or default_engine()) as session:
        yield session


@contextmanager
def tenant_session(
    tenant_id: str, engine: Engine | None = None, *, clearance: Collection[str] | None = None
) -> Iterator[Session]:
    """A session that can only read and write rows of ``tenant_id``.

    With a ``clearance`` it also reads only documents and passages of those classifications;
    without one (ingestion, workers, the CLI's administration) it reads every classification.
    """
    with SessionFactory(bind=engine or default_engine()) as session:
        yield scope_session(session, tenant_id, clearance)


def scope_session(session: Session, tenant_id: str, clearance: Collection[str] | None = None) -> Session:
    """Limits ``session`` to ``tenant_id`` and, when given, to the classifications in ``clearance``."""
    session.info[TENANT_KEY] = tenant_id
    if clearance is not None:
        limit_clearance(session, clearance)
    return session


def limit_clearance(session: Session, clearance: Collection[str]) -> Session:
    """Narrows what ``session`` may read to ``clearance``; a clearance only ever shrinks (fail closed)."""
    current = clearance_of(session)
    wanted = frozenset(clearance)
    session.info[CLEARANCE_KEY] = wanted if current is None else current & wanted
    return session
