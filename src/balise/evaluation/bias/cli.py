"""``balise eval bias``: the bias probes of one municipality, stored, then summarised or printed as the
JSON of docs/architecture.md (stable contracts)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from balise.errors import BaliseError, Invalid
from balise.evaluation.bias.service import MAX_CROWS_PAIRS, PROBE_LABELS, PROBES, Probed, run_probes, summary
from balise.evaluation.progress import eval_progress
from balise.i18n import _

CHOICES = (*PROBES, "all")


def _probes(probe: str) -> tuple[str, ...]:
    if probe not in CHOICES:
        raise Invalid(
            "Unknown probe “{probe}”; use one of: {choices}.", probe=probe, choices=", ".join(CHOICES)
        )
    return PROBES if probe == "all" else (probe,)


def bias_command(tenant: str, probe: str, pairs: int | None, crows: Path | None, json_output: bool) -> None:
    """Run, store and report; any error a person can fix is printed in words with exit code 2."""
    from balise.config import get_settings
    from balise.db import default_engine, open_session
    from balise.db.migrate import ensure_schema
    from balise.tenancy import tenant_by_slug

    err_console = Console(stderr=True)
    try:
        chosen = _probes(probe)
        if pairs is not None and not 1 <= pairs <= MAX_CROWS_PAIRS:
            raise Invalid("--pairs must be between 1 and {max}.", max=MAX_CROWS_PAIRS)
        engine = default_engine()
        ensure_schema(engine, get_settings().auto_migrate)
        with open_session(engine) as session, eval_progress(json_output, err_console) as progress:
            municipality = tenant_by_slug(session, tenant)

            def bar(label: str, total: int) -> Callable[[int], None]:
                task = progress.add_task(label, total=total)
                return lambda count: progress.advance(task, count)

            probed = run_probes(
                session, municipality, probes=chosen, pairs=pairs, crows_path=crows, actor="cli", progress=bar
            )
            session.commit()
            if json_output:
                typer.echo(json.dumps(probed.as_json(municipality), ensure_ascii=False))
                return
    except BaliseError as error:
        err_console.print(error.localized(), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from error
    _print(probed, err_console)


def _print(probed: Probed, err_console: Console) -> None:
    for notice in probed.notices:
        err_console.print(notice, style="yellow", markup=False, highlight=False)
    table = Table(title=_("Bias probes"))
    for column in (_("Probe"), _("Model"), _("Result"), _("Gap flagged")):
        table.add_column(column)
    for run in probed.runs:
        table.add_row(
            _(PROBE_LABELS[run.probe]),
            escape(run.model or _("drafting templates")),
            escape(summary(run)),
            _("yes") if run.flagged else _("no"),
        )
    Console().print(table)
