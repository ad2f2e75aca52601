"""``balise conformity`` and ``balise complaint-reminders``."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from balise.errors import BaliseError
from balise.i18n import N_
from balise.i18n import gettext_ as _

console = Console()


def conformity(
    tenant: str = typer.Option(..., "--tenant", help=N_("Slug of the municipality.")),
    as_json: bool = typer.Option(False, "--json", help=N_("Print one JSON object.")),
) -> None:
    """Every requirement of REQUIREMENTS.md with its control, status and live evidence."""
    from balise.db import default_engine, migrate, open_session
    from balise.governance.checks import STATUS_LABELS
    from balise.governance.conformity import as_json as rows_json
    from balise.governance.service import conformity_for_slug

    engine = default_engine()
    migrate(engine)
    try:
        with open_session(engine) as session:
            municipality, rows = conformity_for_slug(session, tenant)
            session.commit()
    except BaliseError as exc:
        Console(stderr=True).print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
        raise typer.Exit(2) from exc
    if as_json:
        print(json.dumps(rows_json(rows), ensure_ascii=False))
        return
    table = Table(title=_("Conformity of {name}").format(name=municipality.name))
    for column in (_("Requirement"), _("Status"), _("Control"), _("Evidence")):
        table.add_column(column)
    for row in rows:
        table.add_row(row.id, _(STATUS_LABELS[row.status]), row.control, row.evidence)
    console.print(table)


def complaint_reminders(
    tenant: str = typer.Option(..., "--tenant", help=N_("Slug of the municipality.")),
) -> None:
    """Remind the people assigned to complaints due within five days or overdue (workers do it daily)."""
    from balise.db import default_engine, migrate, open_session, scope_session
    from balise.governance.complaints import send_reminders
    from balise.tenancy import tenant_by_slug

    engine = default_engine()
    migrate(engine)
    try:
        with open_session(engine) as session:
            municipality = tenant_by_slug(session, tenant)
            scope_session(session, municipality.id)
            sent = send_reminders(session, municipality.id)
            session.commit()
    except BaliseError as exc:
        Console(stderr=True).print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
        raise typer.Exit(2) from exc
    console.print(_("{count} reminders sent.").format(count=sent))
