"""Shared fixtures: a migrated database (SQLite or a real PostgreSQL from pgserver) and tenants.

Run the suite on PostgreSQL with ``pytest --db postgresql``; every test that uses ``engine`` then
talks to a real server with pgvector.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from balise.config import get_settings
from balise.db import make_engine, migrate, open_session
from balise.tenancy.models import Tenant

# Detection normally takes milliseconds; on a loaded CI machine it can take seconds. The deadline
# itself is tested with a guard of its own (tests/guard_privacy/test_guard.py).
PRIVACY_TIMEOUT_SECONDS = "120"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default=os.environ.get("BALISE_TEST_DB", "sqlite"),
        choices=["sqlite", "postgresql"],
        help="database engine for the suite",
    )


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each xdist worker gets its own data directory, and slow machines get a generous privacy deadline.

    Without this every worker (and every CLI subprocess) shares ./var of the working tree: its
    generated secret.key, and the SQLite database of any code path that falls back to the default.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BALISE_DATA_DIR", str(tmp_path_factory.mktemp("var")))
        patch.setenv("BALISE_PRIVACY_TIMEOUT_SECONDS", PRIVACY_TIMEOUT_SECONDS)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def database_url(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if db_kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'balise.db'}"
        return
    from tests.support.postgres import start_postgres

    server, _data_dir = start_postgres()
    server.psql("CREATE DATABASE balise_test;")
    yield server.get_uri("balise_test")
    server.cleanup()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def make_tenant(engine: Engine) -> Callable[..., Tenant]:
    """Creates a fresh municipality; tests stay independent by each using their own tenants."""
    counter = iter(range(1_000_000))

    def factory(name: str = "Ville de test", **fields: object) -> Tenant:
        slug = f"t-{os.getpid()}-{next(counter)}-{os.urandom(3).hex()}"
        with open_session(engine) as session:
            tenant = Tenant(slug=slug, name=name, **fields)
            session.add(tenant)
            session.commit()
            return tenant

    return factory
