"""Dialect-specific DDL of the search indexes, run by the migration after the ordinary tables.

SQLite: an FTS5 table over the analysed text (rowid = ``search_entries.id``), kept free of orphans
and the vector cache kept fresh by triggers that draw a new random version
token on every change (a token, not a counter: a rolled-back change then cannot be mistaken for a later
committed one). PostgreSQL: a ``tsvector`` column with a GIN index and an
HNSW index on the pgvector column. On both, a trigger keeps the entries' classification equal to their
chunk's, so reclassifying a document can never leave it visible to the wrong role.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(body, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS search_entries_after_delete AFTER DELETE ON search_entries BEGIN
        DELETE FROM search_fts WHERE rowid = old.id;
        INSERT INTO search_versions (tenant_id, version) VALUES (old.tenant_id, random())
            ON CONFLICT (tenant_id) DO UPDATE SET version = random();
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entries_after_insert AFTER INSERT ON search_entries BEGIN
        INSERT INTO search_versions (tenant_id, version) VALUES (new.tenant_id, random())
            ON CONFLICT (tenant_id) DO UPDATE SET version = random();
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_entries_after_update AFTER UPDATE ON search_entries BEGIN
        INSERT INTO search_versions (tenant_id, version) VALUES (new.tenant_id, random())
            ON CONFLICT (tenant_id) DO UPDATE SET version = random();
    END""",
    """CREATE TRIGGER IF NOT EXISTS chunks_search_classification AFTER UPDATE OF classification ON chunks
    BEGIN
        UPDATE search_entries SET classification = new.classification WHERE chunk_id = new.id;
    END""",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS chunks_search_classification",
    "DROP TRIGGER IF EXISTS search_entries_after_update",
    "DROP TRIGGER IF EXISTS search_entries_after_insert",
    "DROP TRIGGER IF EXISTS search_entries_after_delete",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS vector",
    "ALTER TABLE search_entries ADD COLUMN IF NOT EXISTS tsv tsvector",
    "CREATE INDEX IF NOT EXISTS ix_search_entries_tsv ON search_entries USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS ix_search_entries_embedding_hnsw ON search_entries "
    "USING hnsw (embedding vector_cosine_ops)",
    """CREATE OR REPLACE FUNCTION balise_search_follow_classification() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE search_entries SET classification = NEW.classification WHERE chunk_id = NEW.id;
        RETURN NEW;
    END
    $$""",
    """CREATE OR REPLACE TRIGGER chunks_search_classification AFTER UPDATE OF classification ON chunks
    FOR EACH ROW EXECUTE FUNCTION balise_search_follow_classification()""",
]

POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS chunks_search_classification ON chunks",
    "DROP FUNCTION IF EXISTS balise_search_follow_classification()",
    "DROP INDEX IF EXISTS ix_search_entries_embedding_hnsw",
    "DROP INDEX IF EXISTS ix_search_entries_tsv",
    "ALTER TABLE search_entries DROP COLUMN IF EXISTS tsv",
]


def _run(bind: Connection | Engine, statements: dict[str, list[str]]) -> None:
    if isinstance(bind, Engine):
        with bind.begin() as connection:
            _run(connection, statements)
        return
    for statement in statements.get(bind.dialect.name, []):
        bind.exec_driver_sql(statement)


def install(bind: Connection | Engine) -> None:
    """Create the lexical index, vector index and triggers; idempotent."""
    _run(bind, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL})


def uninstall(bind: Connection | Engine) -> None:
    """Drop what :func:`install` created, before the ordinary tables are dropped."""
    _run(bind, {"sqlite": SQLITE_UNINSTALL, "postgresql": POSTGRESQL_UNINSTALL})
