"""``balise admin reset-password``, ``list-tenants`` and ``maintenance``: listed by ``balise.cli``,
imported when run.

A new password is read from standard input (never an option: the shell history and the process list
would keep it) or generated and printed once.
"""

from __future__ import annotations

import json
import secrets
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import delete, func, select

from balise import audit
from balise.cli import _ready_engine
from balise.config import get_settings
from balise.db import open_session
from balise.errors import BaliseError, Invalid, NotFound
from balise.i18n import N_, _
from balise.operations.maintenance import maintenance_state, set_maintenance
from balise.tenancy.models import Membership, Tenant, User, WebSession
from balise.tenancy.passwords import MIN_LENGTH, hash_password

err_console = Console(stderr=True)


def _fail(exc: BaliseError) -> typer.Exit:
    """The error in French on standard error; the command exits with status 2."""
    err_console.print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
    return typer.Exit(2)


def reset_password(
    email: Annotated[str, typer.Argument(help=N_("E-mail address of the person."))],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help=N_("Read the new password from standard input.")),
    ] = False,
) -> None:
    """A new password for a person; their open sessions end, the change is in the audit log."""
    generated = not password_stdin
    password = secrets.token_urlsafe(15) if generated else sys.stdin.readline().rstrip("\r\n")
    try:
        if len(password) < MIN_LENGTH:
            raise Invalid("The password must have at least {n} characters.", n=MIN_LENGTH)
        with open_session(_ready_engine()) as session:
            user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise NotFound("Nobody has the e-mail address {email}.", email=email)
            user.password_hash = hash_password(password)
            user.failed_logins = 0
            session.execute(delete(WebSession).where(WebSession.user_id == user.id))
            for membership in user.memberships:
                audit.record(
                    session,
                    "user.password_reset",
                    actor="cli",
                    tenant_id=membership.tenant_id,
                    target_type="user",
                    target_id=user.id,
                )
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    typer.echo(_("The password of {email} is changed; their sessions have ended.").format(email=email))
    if generated:
        typer.echo(_("New password (shown once): {password}").format(password=password))


def list_tenants(
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
) -> None:
    """Every municipality with its number of people and documents."""
    from balise.documents.models import Document

    with open_session(_ready_engine()) as session:
        people = dict(
            session.execute(select(Membership.tenant_id, func.count()).group_by(Membership.tenant_id)).all()
        )
        documents = dict(
            session.execute(select(Document.tenant_id, func.count()).group_by(Document.tenant_id)).all()
        )
        rows = [
            {
                "slug": tenant.slug,
                "name": tenant.name,
                "people": int(people.get(tenant.id, 0)),
                "documents": int(documents.get(tenant.id, 0)),
            }
            for tenant in session.scalars(select(Tenant).order_by(Tenant.slug))
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(_("Slug"), _("Name"), _("People"), _("Documents"))
    for row in rows:
        table.add_row(*(str(row[key]) for key in ("slug", "name", "people", "documents")))
    Console().print(table)


def maintenance(
    state: Annotated[str, typer.Argument(help=N_("on, off or status."))] = "status",
    message: Annotated[
        str, typer.Option("--message", help=N_("Shown to everyone while maintenance is on."))
    ] = "",
) -> None:
    """Maintenance mode, seen by every web process: pages show a banner, changes are refused."""
    data_dir = get_settings().data_dir
    try:
        if state in {"on", "off"}:
            set_maintenance(data_dir, state == "on", message)
        elif state != "status":
            raise Invalid("Unknown state “{state}”: choose on, off or status.", state=state)
    except BaliseError as exc:
        raise _fail(exc) from exc
    current = maintenance_state(data_dir)
    if current is None:
        typer.echo(_("Maintenance mode is off."))
    else:
        typer.echo(_("Maintenance mode is on: {message}").format(message=current.message))
