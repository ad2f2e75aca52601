"""`balise audit verify|export`: the audit log checked and exported from the command line."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import typer

from balise.cli import _session, console, err_console, fail
from balise.errors import BaliseError
from balise.i18n import N_, _


def audit_verify() -> None:
    from balise import audit

    with _session() as session:
        breaks = audit.verify(session)
        count = sum(1 for _entry in audit.iter_entries(session))
    if breaks:
        err_console.print(
            _("[bold red]The audit log was tampered with.[/] {n} problem(s):").format(n=len(breaks))
        )
        for item in breaks:
            err_console.print(f"  #{item.seq}: {item.reason}")
        raise typer.Exit(1)
    console.print(_("The audit log is intact ({n} entries).").format(n=count))


def audit_export(
    tenant: str = typer.Option("", "--tenant", help=N_("Only this municipality's entries.")),
    output: Path | None = typer.Option(None, "--output", "-o"),
) -> None:
    from balise import audit
    from balise.operations.private import open_private
    from balise.tenancy import tenant_by_slug

    with _session() as session:
        try:
            tenant_id = tenant_by_slug(session, tenant).id if tenant else None
        except BaliseError as exc:
            raise fail(exc) from exc
        handle = io.TextIOWrapper(open_private(output), encoding="utf-8") if output else sys.stdout
        try:
            for entry in audit.iter_entries(session, tenant_id):
                handle.write(json.dumps(audit.as_dict(entry), ensure_ascii=False) + "\n")
        finally:
            if output:
                handle.close()
