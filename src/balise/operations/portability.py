"""Leave with your data (G17): one municipality's data in open formats, and back into any deployment.

The export is a ZIP of JSON Lines and CSV (one pair per table), the original files as they were
submitted, the audit log and a manifest with row counts and SHA-256 checksums. It is generic: every
table whose model is :class:`~balise.db.base.TenantScoped` is exported, so a table added later is
carried without touching this module, unless it is listed in :data:`EXCLUDED` with the reason.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Column, Connection, Date, DateTime, Engine, LargeBinary, Table, select
from sqlalchemy.orm import Session

import balise
from balise import audit
from balise.db.base import Base, TenantScoped
from balise.db.migrate import current_revision
from balise.db.registry import metadata
from balise.errors import BaliseError
from balise.operations.private import open_private
from balise.operations.vectors import export_vectors, rebuild_search
from balise.spreadsheet import write_csv
from balise.tenancy.models import Tenant, User

FORMAT = "balise-tenant-export"
VERSION = 1
# Tenant-scoped tables left out, and why (the manifest repeats the reasons).
EXCLUDED = {
    "jobs": "background work in progress in the source deployment; nothing to carry over",
    "search_entries": "derived from the chunks; rebuilt on import, reusing the vectors of search/ when"
    " the target's embedding model is the same (manifest: embedding)",
    "search_versions": "a cache token of the search index; rebuilt on import",
    "api_tokens": "secrets given to people and tools of the source deployment; create new tokens",
    "privacy_vault": "short-lived pseudonymisation entries encrypted with the source deployment's key",
}
SECRET_SUFFIX = "_encrypted"  # columns encrypted with the source's key: emptied, to be entered again


class PortabilityError(BaliseError):
    status = 400
    code = "portability"


@dataclass(frozen=True)
class TransferSummary:
    tenant: str
    tables: dict[str, int]
    files: int
    audit_entries: int
    vectors_reused: int = 0
    """Passage vectors taken from the export (same embedding model) rather than computed again."""
    vectors_computed: int = 0


def tenant_tables() -> list[Table]:
    """Every tenant-scoped table, parents before children (the order rows can be inserted in)."""
    scoped = {
        str(mapper.class_.__tablename__)  # type: ignore[attr-defined]
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    }
    return [table for table in metadata.sorted_tables if table.name in scoped]


def _pk(table: Table, row: dict[str, Any]) -> str:
    return "-".join(str(row[column.name]) for column in table.primary_key.columns)


def _safe_name(name: str) -> str:
    cleaned = PurePosixPath(str(name).replace("\\", "/")).name.strip()
    return cleaned if cleaned not in {"", ".", ".."} else "file"


def _encode(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode()}
    if hasattr(value, "tolist"):  # vectors
        return value.tolist()
    return value


def _decode(column: Column[Any], value: Any, files: dict[str, bytes]) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime) and isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(column.type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(column.type, LargeBinary) and isinstance(value, dict):
        if "$file" in value:
            return files[value["$file"]]
        return base64.b64decode(value["$base64"])
    return value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """The CSV twin of a table, for spreadsheets; the JSON Lines file is the one read back on import."""
    return write_csv(rows, columns).encode("utf-8")


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


class _Writer:
    """Adds members to the ZIP and remembers each one's checksum for the manifest."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.checksums: dict[str, str] = {}

    def add(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.checksums[name] = hashlib.sha256(data).hexdigest()


def _snapshot(engine: Engine) -> Connection:
    """One read transaction for the whole export: on PostgreSQL a REPEATABLE READ snapshot; on SQLite
    an explicit BEGIN (the driver opens none before a read), which WAL readers see as one snapshot."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


def export_tenant(engine: Engine, slug: str, output: Path) -> TransferSummary:
    """Write the municipality ``slug``'s data to the ZIP ``output``."""
    counts: dict[str, int] = {}
    file_count = 0
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        _snapshot(engine) as connection,
        connection.begin(),
        open_private(output) as raw,  # password hashes and every document: owner only
        zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        tenant = (
            connection.execute(select(Tenant.__table__).where(Tenant.__table__.c.slug == slug))
            .mappings()
            .first()
        )
        if tenant is None:
            raise PortabilityError("No municipality has the identifier {slug}.", slug=slug)
        tenant_id = tenant["id"]
        writer = _Writer(archive)
        tenants_table: Table = Tenant.__table__  # type: ignore[assignment]
        writer.add(
            "tenant.json",
            json.dumps(
                {c.name: _encode(c, tenant[c.name]) for c in tenants_table.c}, indent=2, ensure_ascii=False
            ).encode(),
        )
        referenced: set[str] = set()  # people named by the rows: members, and authors who left since
        for table in tenant_tables():
            if table.name in EXCLUDED:
                continue
            to_users = [
                c.name for c in table.c if any(fk.column.table.name == "users" for fk in c.foreign_keys)
            ]
            rows = []
            for record in connection.execute(
                select(table).where(table.c.tenant_id == tenant_id).order_by(*table.primary_key.columns)
            ).mappings():
                referenced.update(record[name] for name in to_users if record[name] is not None)
                row: dict[str, Any] = {}
                for column in table.c:
                    value = record[column.name]
                    if column.name.endswith(SECRET_SUFFIX):
                        value = ""
                    elif isinstance(value, bytes | memoryview):
                        filename = _safe_name(record["filename"]) if "filename" in table.c else column.name
                        path = f"files/{table.name}/{_pk(table, dict(record))}/{filename}"
                        writer.add(path, bytes(value))
                        file_count += 1
                        row[column.name] = {"$file": path}
                        continue
                    row[column.name] = _encode(column, value)
                rows.append(row)
            writer.add(f"tables/{table.name}.jsonl", _jsonl(rows))
            writer.add(f"tables/{table.name}.csv", _csv(rows, [c.name for c in table.c]))
            counts[table.name] = len(rows)
        users_table: Table = User.__table__  # type: ignore[assignment]
        users = [
            {c.name: _encode(c, row[c.name]) for c in users_table.c}
            for row in connection.execute(
                select(users_table)
                .where(users_table.c.id.in_(sorted(referenced)))
                .order_by(users_table.c.email)
            ).mappings()
        ]
        writer.add("users.jsonl", _jsonl(users))
        writer.add("users.csv", _csv(users, [c.name for c in users_table.c if c.name != "password_hash"]))
        counts["users"] = len(users)
        session = Session(bind=connection)
        entries = [audit.as_dict(entry) for entry in audit.iter_entries(session, tenant_id)]
        writer.add("audit.jsonl", _jsonl(entries))
        writer.add("audit.csv", _csv(entries, list(entries[0]) if entries else ["seq"]))
        embedding = export_vectors(connection, tenant_id, writer.add)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "balise_version": balise.__version__,
            "revision": current_revision(engine),
            "tenant": {"id": tenant_id, "slug": tenant["slug"], "name": tenant["name"]},
            "tables": counts,
            "audit_entries": len(entries),
            "embedding": embedding,
            "excluded": EXCLUDED,
            "emptied_columns": {
                t.name: [c.name for c in t.c if c.name.endswith(SECRET_SUFFIX)]
                for t in tenant_tables()
                if any(c.name.endswith(SECRET_SUFFIX) for c in t.c)
            },
            "files": writer.checksums,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return TransferSummary(slug, counts, file_count, len(entries))


def _read_archive(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        manifest = json.loads(members["manifest.json"])
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PortabilityError("The file {path} is not a Balise export.", path=str(path)) from exc
    if manifest.get("format") != FORMAT:
        raise PortabilityError("The file {path} is not a Balise export.", path=str(path))
    for name, digest in manifest["files"].items():
        if name not in members or hashlib.sha256(members[name]).hexdigest() != digest:
            raise PortabilityError("The export is damaged: {name} does not match its checksum.", name=name)
    return manifest, members


def _rows(members: dict[str, bytes], name: str) -> Iterator[dict[str, Any]]:
    for line in members.get(name, b"").decode("utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def import_tenant(engine: Engine, archive: Path, *, slug: str | None = None) -> TransferSummary:
    """Create the exported municipality in this deployment, then rebuild its search index (reusing the
    exported vectors when this deployment's embedding model is the same, :mod:`.vectors`)."""
    manifest, members = _read_archive(archive)
    if manifest["revision"] != current_revision(engine):
        raise PortabilityError(
            "The export was made at schema revision {source}, this deployment is at {target}."
            " Bring both to the same version of Balise (balise migrate-db), then import again.",
            source=manifest["revision"],
            target=current_revision(engine),
        )
    tenant_row = json.loads(members["tenant.json"])
    tenants_table: Table = Tenant.__table__  # type: ignore[assignment]
    users_table: Table = User.__table__  # type: ignore[assignment]
    counts: dict[str, int] = {}
    with Session(bind=engine) as session:
        if session.get(Tenant, tenant_row["id"]) is not None:
            raise PortabilityError(
                "This municipality ({slug}) was already imported into this deployment.",
                slug=tenant_row["slug"],
            )
        tenant_row["slug"] = slug or tenant_row["slug"]
        if session.scalar(select(Tenant.id).where(Tenant.slug == tenant_row["slug"])):
            raise PortabilityError(
                "A municipality with the identifier {slug} already exists here."
                " Choose another one with --slug.",
                slug=tenant_row["slug"],
            )
        session.execute(
            tenants_table.insert(),
            [
                {
                    c.name: _decode(c, tenant_row.get(c.name), members)
                    for c in tenants_table.c
                    if c.name in tenant_row
                }
            ],
        )
        # People keep their account; one who already has an account here (same e-mail) keeps that one.
        user_ids: dict[str, str] = {}
        for user in _rows(members, "users.jsonl"):
            existing = session.scalar(select(User.id).where(User.email == user["email"]))
            if existing is None and session.get(User, user["id"]) is None:
                session.execute(
                    users_table.insert(),
                    [
                        {
                            c.name: _decode(c, user.get(c.name), members)
                            for c in users_table.c
                            if c.name in user
                        }
                    ],
                )
                existing = user["id"]
            user_ids[user["id"]] = existing or user["id"]
        for table in tenant_tables():
            rows = list(_rows(members, f"tables/{table.name}.jsonl"))
            if not rows:
                continue
            to_users = {
                c.name for c in table.c if any(fk.column.table.name == "users" for fk in c.foreign_keys)
            }
            ready = []
            for row in rows:
                values = {c.name: _decode(c, row.get(c.name), members) for c in table.c if c.name in row}
                for name in to_users:
                    if values.get(name) is not None:
                        values[name] = user_ids.get(values[name], values[name])
                ready.append(values)
            session.execute(table.insert(), ready)
            counts[table.name] = len(ready)
        imported = 0
        for entry in _rows(members, "audit.jsonl"):
            details = dict(entry["details"] or {})
            details["imported_from"] = {"seq": entry["seq"], "at": entry["at"], "hash": entry["hash"]}
            audit.record(
                session,
                entry["action"],
                actor=user_ids.get(entry["actor"], entry["actor"]),
                tenant_id=tenant_row["id"],
                target_type=entry["target_type"],
                target_id=entry["target_id"],
                details=details,
            )
            imported += 1
        audit.record(
            session,
            "tenant.imported",
            actor="cli",
            tenant_id=tenant_row["id"],
            target_type="tenant",
            target_id=tenant_row["id"],
            details={"tables": counts, "export_revision": manifest["revision"]},
        )
        session.commit()
        rebuilt = rebuild_search(session, tenant_row["id"], manifest.get("embedding") or {}, members)
    files = sum(1 for name in manifest["files"] if name.startswith("files/"))
    return TransferSummary(tenant_row["slug"], counts, files, imported, rebuilt.reused, rebuilt.embedded)
