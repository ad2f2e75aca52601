"""A PostgreSQL server of the operations tests' own (pgserver), where they create ordinary roles."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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


def run_balise(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The ``balise`` command as an administrator runs it, in a process of its own."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "400", **env}
    return subprocess.run(
        [sys.executable, "-m", "balise.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
