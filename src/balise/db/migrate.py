"""Bring a database to the current schema with Alembic, and say in plain words why it could not.

In production one command (``balise migrate-db``) migrates, once, before the new version starts;
``serve`` and ``worker`` then only check that the schema is current (``BALISE_AUTO_MIGRATE``).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from balise.errors import BaliseError

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant: PostgreSQL advisory locks are named by a number. Processes that migrate at once wait
# for each other instead of creating the same tables twice.
MIGRATION_LOCK = 0x6261_6C69


class DatabaseNotReady(BaliseError):
    """The database cannot be used as it is; the message says what the administrator must run."""

    status = 503
    code = "database_not_ready"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Upgrade to the newest revision; safe to call on every start and from several processes."""
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                connection.commit()
                try:
                    command.upgrade(alembic_config(engine), "head")
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    connection.commit()
        else:
            command.upgrade(alembic_config(engine), "head")
    except DBAPIError as exc:
        raise explain(exc, engine) from exc


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config_for_scripts()).get_heads()
    return ",".join(sorted(heads))


def alembic_config_for_scripts() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(engine: Engine) -> str:
    """The revision the database is at ("" when it was never migrated)."""
    try:
        with engine.connect() as connection:
            heads = MigrationContext.configure(connection).get_current_heads()
    except DBAPIError as exc:
        raise explain(exc, engine) from exc
    return ",".join(sorted(heads))


def check_current(engine: Engine) -> None:
    """Refuse to start on a schema older (or newer) than this version of Balise expects."""
    current, expected = current_revision(engine), head_revision()
    if current != expected:
        raise DatabaseNotReady(
            "The database schema is at revision “{current}”, this version of Balise needs “{expected}”."
            " Run `balise migrate-db` once (with the same settings), then start Balise again.",
            current=current or "-",
            expected=expected,
        )


def ensure_schema(engine: Engine, auto_migrate: bool | None) -> None:
    """Migrate, or only check the schema when migrations are left to ``balise migrate-db``.

    Unset means: migrate on SQLite (one machine, the embedded default), only check on PostgreSQL,
    where several processes on several machines start together after an upgrade.
    """
    # Every model must be known to the process, as migrating made sure: a worker flushing a chunk
    # needs the ``tenants`` table its foreign key names, which only the registry imports.
    import balise.db.registry  # noqa: F401

    if auto_migrate is None:
        auto_migrate = engine.dialect.name == "sqlite"
    if auto_migrate:
        migrate(engine)
    else:
        check_current(engine)


def explain(exc: DBAPIError, engine: Engine) -> BaliseError:
    """What an administrator must do about a database error met while preparing the schema."""
    url = make_url(engine.url)
    database, user = url.database or "balise", url.username or "balise"
    message = str(exc.orig).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if "vector" in message and ("not available" in message or "control file" in message):
        return DatabaseNotReady(
            "The PostgreSQL server has no pgvector extension. Install it on the database server"
            " (Debian/Ubuntu: `apt install postgresql-16-pgvector`, matching your PostgreSQL version,"
            " or use the image pgvector/pgvector:pg16), then as a superuser run"
            ' `psql -d {database} -c "CREATE EXTENSION vector;"` and run `balise migrate-db` again.',
            database=database,
        )
    if "extension" in message and (sqlstate == "42501" or "permission denied" in message):
        return DatabaseNotReady(
            "The role “{user}” may not create the pgvector extension. As a superuser, run once"
            ' `sudo -u postgres psql -d {database} -c "CREATE EXTENSION vector;"`,'
            " then run `balise migrate-db` again.",
            user=user,
            database=database,
        )
    if sqlstate == "42501" or "permission denied" in message:
        return DatabaseNotReady(
            "The role “{user}” may not create tables in the database “{database}”. As a superuser,"
            ' run `sudo -u postgres psql -c "ALTER DATABASE {database} OWNER TO {user};"` and'
            ' `sudo -u postgres psql -d {database} -c "ALTER SCHEMA public OWNER TO {user};"`,'
            " then run `balise migrate-db` again.",
            user=user,
            database=database,
        )
    if sqlstate == "3D000" or ("database" in message and "does not exist" in message):
        return DatabaseNotReady(
            "The database “{database}” does not exist. As a superuser, run"
            " `sudo -u postgres createdb --owner={user} {database}`, then run `balise migrate-db` again.",
            user=user,
            database=database,
        )
    if isinstance(exc, OperationalError | ProgrammingError) and sqlstate in {
        "",
        "08001",
        "08006",
        "28P01",
        "28000",
    }:
        return DatabaseNotReady(
            "Balise could not connect to the database ({reason}). Check BALISE_DATABASE_URL (server,"
            " port, role, password, database) and that the server accepts connections from this machine.",
            reason=str(exc.orig).strip().splitlines()[0]
            if str(exc.orig).strip()
            else type(exc.orig).__name__,
        )
    return DatabaseNotReady(
        "The database refused to prepare the schema: {reason}. Fix the cause,"
        " then run `balise migrate-db` again.",
        reason=str(exc.orig).strip().splitlines()[0],
    )
