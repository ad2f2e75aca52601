"""``balise eval run`` and ``balise eval import``: a municipality's evaluation sets from the command
line; ``--json`` prints the contract of ../shared/DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from balise.errors import BaliseError, Invalid
from balise.evaluation.progress import eval_progress
from balise.i18n import _


def _fail(error: BaliseError) -> typer.Exit:
    Console(stderr=True).print(error.localized(), style="red", markup=False, highlight=False)
    return typer.Exit(2)


def run_command(tenant: str, set_name: str | None, json_output: bool) -> None:
    """Runs a set, stores the run, alerts; prints the figures (exit 2 on an error a person can fix)."""
    from balise.config import get_settings
    from balise.db import default_engine, open_session
    from balise.db.migrate import ensure_schema
    from balise.evaluation.runs import as_contract, evaluate, items_of, list_sets, set_by_name
    from balise.tenancy import tenant_by_slug

    err_console = Console(stderr=True)
    try:
        engine = default_engine()
        ensure_schema(engine, get_settings().auto_migrate)
        with open_session(engine) as session:
            municipality = tenant_by_slug(session, tenant)
            from balise.db import scope_session

            scope_session(session, municipality.id)
            if set_name is None:
                sets = list_sets(session)
                if len(sets) != 1:
                    raise Invalid(
                        "Choose the set to run with --set; this municipality has: {names}.",
                        names=", ".join(s.name for s, _count in sets) or "—",
                    )
                eval_set = sets[0][0]
            else:
                eval_set = set_by_name(session, set_name)
            with eval_progress(json_output, err_console) as progress:
                task = progress.add_task(_("Asking"), total=len(items_of(session, eval_set)))
                run, _alerted = evaluate(
                    session,
                    municipality,
                    eval_set,
                    trigger="cli",
                    actor="cli",
                    advance=lambda n: progress.advance(task, n),
                )
            session.commit()
            result = as_contract(run)
    except BaliseError as error:
        raise _fail(error) from error
    if json_output:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(
        title=_("Evaluation “{name}”: {items} questions").format(name=result["set"], items=result["items"])
    )
    table.add_column(_("Measure"))
    table.add_column(_("Value"), justify="right")
    table.add_column(_("Below threshold"))
    for key, value in result.items():
        if key not in {"run_id", "set", "items", "below_threshold"}:
            table.add_row(
                key,
                "—" if value is None else f"{value}",
                _("yes") if key in result["below_threshold"] else "",
            )
    Console().print(table)


def import_command(tenant: str, set_name: str, file: Path, role: str) -> None:
    """Imports a JSONL or CSV file into a set (created when missing): all its lines, or none."""
    from balise.db import default_engine, open_session, scope_session
    from balise.evaluation.runs import create_set, import_items, list_sets
    from balise.tenancy import tenant_by_slug

    try:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise Invalid("Cannot read the file {path}: {reason}", path=str(file), reason=str(exc)) from exc
        with open_session(default_engine()) as session:
            municipality = tenant_by_slug(session, tenant)
            scope_session(session, municipality.id)
            existing = {s.name: s for s, _count in list_sets(session)}
            eval_set = existing.get(set_name) or create_set(
                session, municipality, set_name, role=role, actor="cli"
            )
            items = import_items(session, eval_set, data, file.name, actor="cli")
            session.commit()
    except BaliseError as error:
        raise _fail(error) from error
    typer.echo(_("{count} questions imported into “{name}”.").format(count=len(items), name=set_name))
