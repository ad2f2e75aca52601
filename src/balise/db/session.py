"""Engines and sessions; tenant scoping is enforced here, in the data-access layer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from balise.db.base import TenantScoped

TENANT_KEY = "tenant_id"


class CrossTenantWrite(PermissionError):
    """Raised when a session scoped to one tenant tries to write another tenant's row."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

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
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None or not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
            track_closure_variables=True,
        )
    )


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
def tenant_session(tenant_id: str, engine: Engine | None = None) -> Iterator[Session]:
    """A session that can only read and write rows of ``tenant_id``."""
    with SessionFactory(bind=engine or default_engine(), info={TENANT_KEY: tenant_id}) as session:
        yield session


def scope_session(session: Session, tenant_id: str) -> Session:
    session.info[TENANT_KEY] = tenant_id
    return session
