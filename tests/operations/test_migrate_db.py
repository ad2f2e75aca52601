"""`balise migrate-db` with an ordinary role: a French explanation and the command to run, no traceback."""

from __future__ import annotations

import itertools

from tests.operations.conftest import Postgres, run_balise

names = (f"ordinaire{n}" for n in itertools.count())


def test_missing_extension_is_explained_then_migration_works_once_a_superuser_enabled_it(postgres: Postgres):
    name = next(names)
    url = postgres.role_database(name, extension=False)
    refused = run_balise("migrate-db", env={"BALISE_DATABASE_URL": url})
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr + refused.stdout
    assert "CREATE EXTENSION vector;" in refused.stderr
    assert f"psql -d {name}" in refused.stderr
    assert "superutilisateur" in refused.stderr

    postgres.sql("CREATE EXTENSION vector;", database=name)  # the step the message asks for
    done = run_balise("migrate-db", env={"BALISE_DATABASE_URL": url})
    assert done.returncode == 0, done.stderr
    assert "à jour" in done.stdout


def test_a_role_that_may_not_create_tables_is_told_how_to_fix_it(postgres: Postgres):
    name = next(names)
    url = postgres.role_database(name, extension=True, owner=False)
    refused = run_balise("migrate-db", env={"BALISE_DATABASE_URL": url})
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr + refused.stdout
    assert f"ALTER DATABASE {name} OWNER TO {name};" in refused.stderr


def test_a_missing_database_and_a_stale_schema_are_explained(postgres: Postgres):
    name = next(names)
    postgres.sql(f"CREATE ROLE {name} LOGIN;")
    missing = run_balise("migrate-db", env={"BALISE_DATABASE_URL": postgres.role_url(name, name)})
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert f"createdb --owner={name} {name}" in missing.stderr

    postgres.sql(f"CREATE DATABASE {name} OWNER {name};")
    postgres.sql("CREATE EXTENSION vector;", database=name)
    # On PostgreSQL a worker does not migrate at start: it refuses, naming the one command that does.
    worker = run_balise("worker", "--once", env={"BALISE_DATABASE_URL": postgres.role_url(name, name)})
    assert worker.returncode != 0 and "Traceback" not in worker.stderr
    assert "balise migrate-db" in worker.stderr
