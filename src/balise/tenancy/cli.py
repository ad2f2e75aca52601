"""``balise tenant sso`` and ``balise admin set-smtp``: a municipality's single sign-on and mail server
from the command line.

The client secret is read from standard input, never from an option (the shell history and the
process list would keep it). ``balise.cli`` imports this module only when the command runs.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from balise.db import default_engine, open_session
from balise.errors import BaliseError, NotFound
from balise.i18n import N_, _
from balise.tenancy.mail import save_smtp
from balise.tenancy.models import SsoProvider, User
from balise.tenancy.service import set_active, tenant_by_slug
from balise.tenancy.sso import configure_sso, parse_role_map, provider_of

err_console = Console(stderr=True)


def _fail(exc: BaliseError) -> typer.Exit:
    """The error in French on standard error; the command exits with status 2."""
    err_console.print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
    return typer.Exit(2)


def sso(
    tenant: Annotated[str, typer.Argument(help=N_("Slug of the municipality."))],
    issuer: Annotated[str, typer.Option("--issuer", help=N_("The provider's issuer address."))] = "",
    client_id: Annotated[
        str, typer.Option("--client-id", help=N_("Balise's client id at the provider."))
    ] = "",
    secret_stdin: Annotated[
        bool, typer.Option("--client-secret-stdin", help=N_("Read the client secret from standard input."))
    ] = False,
    scopes: Annotated[str, typer.Option("--scopes", help=N_("Scopes asked for."))] = "openid email profile",
    group_claim: Annotated[
        str, typer.Option("--group-claim", help=N_("Claim holding the groups."))
    ] = "groups",
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help=N_("A group and its role: group=role (repeatable)."))
    ] = None,
    disable: Annotated[bool, typer.Option("--disable", help=N_("Stop offering single sign-on."))] = False,
) -> None:
    """Without options, shows the settings; with ``--issuer``, sets them; ``--disable`` turns it off."""
    try:
        with open_session(default_engine()) as session:
            municipality = tenant_by_slug(session, tenant)
            provider = provider_of(session, municipality.id)
            if issuer or disable:
                configure_sso(
                    session,
                    municipality,
                    issuer=issuer or (provider.issuer if provider else ""),
                    client_id=client_id or (provider.client_id if provider else ""),
                    client_secret=sys.stdin.readline().rstrip("\r\n") if secret_stdin else None,
                    scopes=scopes if issuer or provider is None else provider.scopes,
                    group_claim=group_claim if issuer or provider is None else provider.group_claim,
                    role_map=parse_role_map(mapping)
                    if mapping
                    else dict(provider.role_map if provider else {}),
                    enabled=not disable,
                )
                session.commit()
                provider = provider_of(session, municipality.id)
            _show(provider)
    except BaliseError as exc:
        raise _fail(exc) from exc


def _show(provider: SsoProvider | None) -> None:
    if provider is None:
        typer.echo(_("Single sign-on is not set up for this municipality."))
        return
    typer.echo(_("Issuer: {issuer}").format(issuer=provider.issuer))
    typer.echo(_("Client id: {client_id}").format(client_id=provider.client_id))
    typer.echo(
        _("Client secret: {state}").format(
            state=_("stored encrypted") if provider.client_secret_encrypted else _("none")
        )
    )
    typer.echo(_("Scopes: {scopes}").format(scopes=provider.scopes))
    typer.echo(_("Group claim: {claim}").format(claim=provider.group_claim))
    for group, role in provider.role_map.items():
        typer.echo(f"  {group} = {role}")
    typer.echo(_("Enabled") if provider.enabled else _("Disabled"))


def set_smtp(
    tenant: Annotated[str, typer.Option("--tenant", help=N_("Slug of the municipality."))],
    host: Annotated[str, typer.Option("--host", help=N_("Mail server; empty removes the settings."))],
    port: Annotated[int, typer.Option("--port")] = 587,
    security: Annotated[
        str, typer.Option("--security", help=N_("starttls, tls (port 465) or none."))
    ] = "starttls",
    user: Annotated[str, typer.Option("--user")] = "",
    sender: Annotated[
        str, typer.Option("--sender", help=N_("Sender address, e.g. plaintes@ville.exemple.ca."))
    ] = "",
    password_env: Annotated[
        str, typer.Option("--password-env", help=N_("Name of an environment variable holding the password."))
    ] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help=N_("Read the password from standard input; it is stored encrypted.")
        ),
    ] = False,
) -> None:
    """The mail server that sends residents the answers to their complaints (password kept encrypted)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with open_session(default_engine()) as session:
            municipality = tenant_by_slug(session, tenant)
            save_smtp(
                session,
                municipality,
                host=host,
                port=port,
                security=security,
                user=user,
                sender=sender,
                password=password,
                password_env=password_env,
                actor="cli",
            )
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    Console().print(_("Mail server settings saved for {tenant}.").format(tenant=tenant))


def disable_user(email: Annotated[str, typer.Argument(help=N_("E-mail address of the person."))]) -> None:
    """A person disabled everywhere: their sessions end and their API tokens stop working."""
    try:
        with open_session(default_engine()) as session:
            user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise NotFound("Nobody has the e-mail address {email}.", email=email)
            set_active(session, user, False)
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    Console().print(
        _("{email} is disabled; their sessions and API tokens no longer work.").format(email=email)
    )


def enable_user(email: Annotated[str, typer.Argument(help=N_("E-mail address of the person."))]) -> None:
    """A disabled person may sign in again; the API tokens revoked when they were disabled stay revoked."""
    try:
        with open_session(default_engine()) as session:
            user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise NotFound("Nobody has the e-mail address {email}.", email=email)
            set_active(session, user, True)
            session.commit()
    except BaliseError as exc:
        raise _fail(exc) from exc
    Console().print(_("{email} may sign in again; their former API tokens stay revoked.").format(email=email))
