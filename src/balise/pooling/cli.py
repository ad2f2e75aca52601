"""``balise pack export`` and ``balise pack import``: packs between two deployments (G16), e.g. a
pack written by one municipality's server and read by another's, with no shared database between them.

``balise.cli`` lists these commands with their help and imports this module only when one runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from balise.errors import BaliseError
from balise.i18n import N_
from balise.i18n import gettext_ as _

TenantOption = Annotated[str, typer.Option("--tenant", help=N_("Slug of the municipality."))]


def _fail(exc: BaliseError) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
    return typer.Exit(2)


def pack_export(
    tenant: TenantOption,
    output: Annotated[
        Path, typer.Option("-o", "--output", help=N_("File to write: a .zip name writes a .zip, else JSON."))
    ],
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", help=N_("Kind of items to put in the pack (repeat it); all kinds when omitted.")
        ),
    ] = None,
    name: Annotated[str, typer.Option("--name", help=N_("Name of the pack."))] = "",
) -> None:
    from balise.db import default_engine, migrate, open_session, scope_session
    from balise.errors import Invalid
    from balise.pooling import KINDS, build_pack, build_zip, offers
    from balise.tenancy import tenant_by_slug

    engine = default_engine()
    migrate(engine)
    try:
        unknown = sorted(set(kind or ()) - set(KINDS))
        if unknown:
            raise Invalid(
                "Unknown kind “{kind}”; the kinds are: {kinds}.", kind=unknown[0], kinds=", ".join(KINDS)
            )
        with open_session(engine) as session:
            municipality = tenant_by_slug(session, tenant)
            scope_session(session, municipality.id)
            chosen = [
                f"{o.kind}:{o.key}" for o in offers(session, municipality) if not kind or o.kind in kind
            ]
            title = name or _("Pack of {municipality}").format(municipality=municipality.name)
            build = build_zip if output.suffix.lower() == ".zip" else build_pack
            document = build(session, municipality, title, chosen)
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    output.write_bytes(document if isinstance(document, bytes) else document.encode())
    typer.echo(_("{count} items written to {file}.").format(count=len(chosen), file=output))


def pack_import(
    tenant: TenantOption,
    file: Annotated[
        Path, typer.Argument(help=N_("The pack file (.json or .zip)."), exists=True, dir_okay=False)
    ],
) -> None:
    from balise.db import default_engine, migrate, open_session, scope_session
    from balise.pooling import MAX_PACK_BYTES, STATUS_LABELS, import_pack, kind_label
    from balise.tenancy import tenant_by_slug

    engine = default_engine()
    migrate(engine)
    with file.open("rb") as handle:
        data = handle.read(MAX_PACK_BYTES + 1)
    try:
        with open_session(engine) as session:
            municipality = tenant_by_slug(session, tenant)
            scope_session(session, municipality.id)
            done = import_pack(session, municipality, data, actor="cli")
            outcomes = list(done.outcomes)
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    table = Table(title=_("What arrived"))
    for column in (_("Item"), _("Kind"), _("Status"), _("Reason")):
        table.add_column(column)
    for o in outcomes:
        table.add_row(o["title"], kind_label(o["kind"]), _(STATUS_LABELS[o["status"]]), o["reason"] or "—")
    Console(width=160).print(table)
