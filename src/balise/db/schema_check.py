"""Is the database the schema this version expects? Its revision, and its tables and columns.

The revision alone is not enough: when a released migration is edited or re-parented, a database
that was already past it is stamped at the newest revision without the tables it adds. Comparing
the models with the database (Alembic's ``compare_metadata``) names what is missing. Released
migrations are also pinned by checksum (``migrations/released.json``) so that this cannot recur.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect

from balise.db.migrate import MIGRATIONS, current_revision, head_revision

RELEASED = MIGRATIONS / "released.json"


@dataclass(frozen=True)
class SchemaReport:
    revision: str
    expected: str
    missing_tables: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return self.revision == self.expected and not self.missing_tables and not self.missing_columns


def _metadata() -> MetaData:
    from balise.db.registry import metadata  # every model, as migrating knows them

    return metadata


def missing_tables(engine: Engine) -> list[str]:
    """Tables of the models that the database lacks: one cheap query, for each readiness probe."""
    present = set(inspect(engine).get_table_names())
    return sorted(name for name in _metadata().tables if name not in present)


def compare_schema(engine: Engine) -> SchemaReport:
    """The database's revision, and the tables and columns of the models it lacks."""
    revision, expected = current_revision(engine), head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), _metadata())
    tables: list[str] = []
    columns: list[str] = []
    for difference in differences:
        if not isinstance(difference, tuple):  # a list groups changes to one column's type or nullability
            continue
        if difference[0] == "add_table":
            tables.append(difference[1].name)
        elif difference[0] == "add_column":
            columns.append(f"{difference[2]}.{difference[3].name}")
    return SchemaReport(revision, expected, sorted(tables), sorted(columns))


def migration_checksums(directory: Path = MIGRATIONS / "versions") -> dict[str, str]:
    """The sha256 of each migration file, by file name."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(directory.glob("*.py"))
    }


def edited_released_migrations(
    directory: Path = MIGRATIONS / "versions", released: Path = RELEASED
) -> list[str]:
    """Released migrations that were edited, renamed or removed since their release."""
    pinned: dict[str, str] = json.loads(released.read_text())["migrations"]
    now = migration_checksums(directory)
    return sorted(name for name, digest in pinned.items() if now.get(name) != digest)
