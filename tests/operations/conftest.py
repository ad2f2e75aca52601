"""A PostgreSQL server of the operations tests' own (pgserver), where they create ordinary roles."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Postgres:
    server: Any

    def superuser_url(self, database: str) -> str:
        return str(self.server.get_uri(database))

    def role_url(self, role: str, database: str) -> str:
        socket_dir = self.server.get_uri(database).split("host=")[1].split("&")[0]
        return f"postgresql://{role}@/{database}?host={socket_dir}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        return str(self.server.psql(statement if database == "postgres" else f"\\c {database}\n{statement}"))

    def role_database(self, name: str, *, extension: bool, owner: bool = True) -> str:
        """An ordinary role (no superuser) and a database, as docs/deploy.md creates them."""
        self.sql(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;")
        self.sql(f"CREATE DATABASE {name} OWNER {name if owner else 'postgres'};")
        if extension:
            self.sql("CREATE EXTENSION vector;", database=name)
        return self.role_url(name, name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="balise-ops-pg-"))
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    yield Postgres(server)
    server.cleanup()


def run_balise(
    *args: str, env: dict[str, str], timeout: float = 600, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``balise`` command as an administrator runs it, in a process of its own."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "400", **env}
    return subprocess.run(
        [sys.executable, "-m", "balise.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        check=False,
    )


def balise_ok(*args: str, env: dict[str, str], input: str | None = None) -> str:
    result = run_balise(*args, env=env, input=input)
    assert result.returncode == 0, f"balise {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass
class Deployment:
    """One installation of Balise: its settings, as the environment of its commands."""

    env: dict[str, str]
    data_dir: Path

    def engine(self) -> Any:
        from balise.db import make_engine

        url = self.env.get("BALISE_DATABASE_URL") or f"sqlite:///{self.data_dir / 'balise.db'}"
        return make_engine(url)


@pytest.fixture
def new_deployment(
    db_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], Deployment]]:
    """Fresh, empty deployments on the suite's engine: on PostgreSQL, a database and an ordinary role
    made as docs/deploy.md makes them."""
    made: list[Deployment] = []

    def factory() -> Deployment:
        data_dir = tmp_path / f"deployment{len(made)}"
        env = {"BALISE_DATA_DIR": str(data_dir), "BALISE_DATABASE_URL": ""}
        if db_kind == "postgresql":
            postgres: Postgres = request.getfixturevalue("postgres")
            name = f"dep_{os.getpid()}_{len(made)}_{os.urandom(3).hex()}"
            env["BALISE_DATABASE_URL"] = postgres.role_database(name, extension=True)
        made.append(Deployment(env, data_dir))
        return made[-1]

    yield factory
