"""The Alembic migration and the models describe the same database, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from balise.db.migrate import alembic_config
from balise.db.registry import metadata

# Created by balise.search.schema / balise.audit.schema for one engine, outside the models.
DIALECT_INDEXES = {"ix_search_entries_embedding_hnsw", "ix_search_entries_tsv"}
DIALECT_ONLY = {
    "search_fts",
    "search_fts_config",
    "search_fts_content",
    "search_fts_data",
    "search_fts_docsize",
    "search_fts_idx",
}


def test_models_and_migration_are_in_sync(engine: Engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = [
            d
            for d in compare_metadata(context, metadata)
            if not (d[0] == "remove_table" and d[1].name in DIALECT_ONLY)
            and not (d[0] == "remove_column" and d[2] == "search_entries" and d[3].name == "tsv")
            and not (d[0] == "remove_index" and d[1].name in DIALECT_INDEXES)
        ]
    assert differences == [], "models changed: add an Alembic revision (see CONTRIBUTING.md)"


def test_downgrade_and_upgrade_again(tmp_path):
    from balise.db import make_engine, migrate

    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(fresh)
    command.downgrade(alembic_config(fresh), "base")
    assert inspect(fresh).get_table_names() == ["alembic_version"]
    migrate(fresh)
    assert "audit_entries" in inspect(fresh).get_table_names()
