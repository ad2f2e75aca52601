"""Database-level guard: the audit table refuses UPDATE and DELETE on both engines."""

from __future__ import annotations

from sqlalchemy import Connection, text

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$",
    "DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries",
    "CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
]


def install_guards(connection: Connection) -> None:
    for statement in POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE:
        connection.execute(text(statement))
