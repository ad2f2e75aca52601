"""``balise backup``, ``restore``, ``export`` and ``import``: listed by ``balise.cli``, imported when run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from balise.cli import _ready_engine, fail, require_secret_key
from balise.config import get_settings
from balise.errors import BaliseError
from balise.i18n import N_, _

console = Console()
err_console = Console(stderr=True)


def schema_matches(engine: Engine) -> bool:
    """Print the database's revision and what it lacks against this version's models."""
    from balise.db.migrate import explain
    from balise.db.schema_check import compare_schema

    try:
        report = compare_schema(engine)
    except DBAPIError as exc:
        raise fail(explain(exc, engine)) from exc
    except BaliseError as exc:
        raise fail(exc) from exc
    console.print(
        _("Database revision: {revision} (this version expects {expected}).").format(
            revision=report.revision or "-", expected=report.expected
        )
    )
    if report.missing_tables:
        console.print(_("Missing tables: {names}").format(names=", ".join(report.missing_tables)))
    if report.missing_columns:
        console.print(_("Missing columns: {names}").format(names=", ".join(report.missing_columns)))
    if report.current:
        console.print(_("The database matches the schema of this version."))
        return True
    err_console.print(
        _(
            "The database does not match the schema of this version. Run `balise migrate-db`; if tables"
            " are still missing at the newest revision, restore the last backup into a new database and"
            " run `balise migrate-db` there (CHANGELOG.md, Upgrade)."
        )
    )
    return False


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def backup(
    output: Path | None = typer.Option(
        None, "--output", "-o", help=N_("Archive to write (default: balise-backup-DATE.tar.gz).")
    ),
) -> None:
    from balise.operations.backup import create_backup

    require_secret_key()  # the backup carries the key: a placeholder would be saved as the real one
    engine = _ready_engine(migrate=False)
    target = output or Path(f"balise-backup-{_stamp()}.tar.gz")
    try:
        summary = create_backup(engine, get_settings(), target)
    except BaliseError as exc:
        raise fail(exc) from exc
    console.print(
        _(
            "Backup written to {path} ({size} bytes, {engine}, revision {revision}). It holds the secret key:"
            " keep it as safely as the database."
        ).format(path=summary.path, size=summary.size_bytes, engine=summary.engine, revision=summary.revision)
    )


def restore(
    archive: Path = typer.Argument(..., help=N_("Archive written by balise backup.")),
    force: bool = typer.Option(False, "--force", help=N_("Replace an existing SQLite database.")),
) -> None:
    from balise.db import default_engine
    from balise.operations.backup import restore_backup

    try:
        revision = restore_backup(default_engine(), get_settings(), archive, force=force)
    except BaliseError as exc:
        raise fail(exc) from exc
    console.print(
        _(
            "Backup restored (schema revision {revision}). Run `balise migrate-db` if this version is newer."
        ).format(revision=revision)
    )


def export(
    tenant: str = typer.Option(..., "--tenant", help=N_("Identifier of the municipality.")),
    output: Path | None = typer.Option(None, "--output", "-o", help=N_("ZIP file to write.")),
) -> None:
    from balise.operations.portability import export_tenant

    engine = _ready_engine(migrate=False)
    target = output or Path(f"balise-export-{tenant}-{_stamp()}.zip")
    try:
        summary = export_tenant(engine, tenant, target)
    except BaliseError as exc:
        raise fail(exc) from exc
    console.print(
        _(
            "Municipality {tenant} exported to {path}: {rows} rows, {files} original files,"
            " {audit} audit entries."
        ).format(
            tenant=tenant,
            path=target,
            rows=sum(summary.tables.values()),
            files=summary.files,
            audit=summary.audit_entries,
        )
    )


def import_(
    archive: Path = typer.Argument(..., help=N_("ZIP file written by balise export.")),
    slug: str = typer.Option("", "--slug", help=N_("Another identifier for the municipality here.")),
) -> None:
    from balise.operations.portability import import_tenant

    engine = _ready_engine(migrate=False)
    try:
        summary = import_tenant(engine, archive, slug=slug or None)
    except BaliseError as exc:
        raise fail(exc) from exc
    console.print(
        _(
            "Municipality {tenant} imported: {rows} rows, {files} original files, {audit} audit entries."
        ).format(
            tenant=summary.tenant,
            rows=sum(summary.tables.values()),
            files=summary.files,
            audit=summary.audit_entries,
        )
    )
    console.print(
        _(
            "Search index rebuilt: {reused} passage vectors reused from the export, {computed} computed."
        ).format(reused=summary.vectors_reused, computed=summary.vectors_computed)
    )
