"""The ``balise`` command."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from balise import audit
from balise.config import get_settings
from balise.db import default_engine, migrate, open_session
from balise.documents.cli import ingest
from balise.errors import BaliseError
from balise.evaluation.cli import eval_app
from balise.i18n import DEFAULT_LOCALE, LOCALES, current_locale
from balise.i18n import gettext_ as _
from balise.jobs.cli import worker
from balise.models.cli import models_add, models_default, models_list, models_remove

app = typer.Typer(
    help="Balise: responsible generative AI for municipalities.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
admin_app = typer.Typer(help="Administer municipalities, people and tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="Check and export the audit log.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")
app.add_typer(eval_app, name="eval")
app.command()(ingest)
app.command()(worker)
models_app = typer.Typer(help="Approved generative models of a municipality.", no_args_is_help=True)
app.add_typer(models_app, name="models")
models_app.command("list")(models_list)
models_app.command("add")(models_add)
models_app.command("default")(models_default)
models_app.command("remove")(models_remove)

console = Console()
err_console = Console(stderr=True)


def fail(exc: BaliseError) -> typer.Exit:
    err_console.print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
    return typer.Exit(2)


@app.callback()
def main(lang: str = typer.Option("fr", "--lang", help="Language of messages: fr or en.")) -> None:
    current_locale.set(lang if lang in LOCALES else DEFAULT_LOCALE)
    get_settings.cache_clear()  # each invocation reads the environment afresh


def _ready_engine() -> Engine:
    engine = default_engine()
    migrate(engine)
    return engine


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(1, "--workers"),
) -> None:
    """Serve the web application and the APIs."""
    import uvicorn

    # One embedding thread per web process: several processes with OpenMP's default of one thread
    # per core oversubscribe the CPU and a query embedding then takes seconds instead of ~20 ms.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _ready_engine()
    uvicorn.run(
        "balise.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )


@app.command()
def migrate_db() -> None:
    """Bring the database to the current schema."""
    _ready_engine()
    console.print(_("The database is up to date."))


@app.command()
def demo() -> None:
    """Create (or refresh) the demo municipality ``demo`` with one person per role."""
    from balise.demo import DEMO_PASSWORD, ensure_demo, ensure_demo_model
    from balise.documents.cli import load_demo

    engine = _ready_engine()
    with open_session(engine) as session:
        result = ensure_demo(session, progress=console)
        model = ensure_demo_model(session, result.tenant, get_settings())
        session.commit()
    load_demo(engine, result.tenant.id)
    table = Table(title=_("Demo logins (password: {password})").format(password=DEMO_PASSWORD))
    table.add_column(_("Role"))
    table.add_column(_("E-mail"))
    for role, email in result.logins:
        table.add_row(role, email)
    console.print(table)
    console.print(
        _("Municipality “{name}” ({slug}) is ready: {created}.").format(
            name=result.tenant.name,
            slug=result.tenant.slug,
            created=_("created") if result.created else _("already existed, brought up to date"),
        )
    )
    if model:
        console.print(_("Answers come from the model {model} (BALISE_LLM_*).").format(model=model))
    else:
        console.print(_("No generative model configured: the extractive backend answers from the documents."))


@admin_app.command("create-tenant")
def create_tenant_cmd(
    slug: str, name: str = typer.Option(..., "--name"), region: str = typer.Option("QC", "--region")
) -> None:
    """Create a municipality."""
    from balise.tenancy import create_tenant

    with open_session(_ready_engine()) as session:
        try:
            tenant = create_tenant(session, slug, name, region=region)
        except BaliseError as exc:
            raise fail(exc) from exc
        session.commit()
        console.print(
            _("Municipality “{name}” created with identifier {slug}.").format(
                name=tenant.name, slug=tenant.slug
            )
        )


@admin_app.command("create-user")
def create_user_cmd(
    email: str,
    tenant: str = typer.Option(..., "--tenant"),
    role: str = typer.Option("employee", "--role"),
    name: str = typer.Option("", "--name"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a person (or give an existing one a role) in a municipality."""
    from balise.tenancy import create_user, tenant_by_slug

    with open_session(_ready_engine()) as session:
        try:
            user = create_user(
                session, tenant_by_slug(session, tenant), email, password, role, display_name=name
            )
        except BaliseError as exc:
            raise fail(exc) from exc
        session.commit()
        console.print(
            _("{email} now has the role {role} in {tenant}.").format(
                email=user.email, role=role, tenant=tenant
            )
        )


@admin_app.command("create-token")
def create_token_cmd(
    email: str, tenant: str = typer.Option(..., "--tenant"), name: str = typer.Option("cli", "--name")
) -> None:
    """Create an API token for a person; it is printed once."""
    from sqlalchemy import select

    from balise.errors import NotFound
    from balise.tenancy import User, create_api_token, tenant_by_slug

    with open_session(_ready_engine()) as session:
        try:
            municipality = tenant_by_slug(session, tenant)
            user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise NotFound("Nobody has the e-mail address {email}.", email=email)
            issued = create_api_token(session, municipality, user, name)
        except BaliseError as exc:
            raise fail(exc) from exc
        session.commit()
        console.print(_("Token created. Copy it now, it will not be shown again:"))
        print(issued.token)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check that no audit entry was edited or deleted."""
    with open_session(_ready_engine()) as session:
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


@audit_app.command("export")
def audit_export(
    tenant: str = typer.Option("", "--tenant", help="Only this municipality's entries."),
    output: Path | None = typer.Option(None, "--output", "-o"),
) -> None:
    """Export the audit log as JSON Lines."""
    from balise.tenancy import tenant_by_slug

    with open_session(_ready_engine()) as session:
        try:
            tenant_id = tenant_by_slug(session, tenant).id if tenant else None
        except BaliseError as exc:
            raise fail(exc) from exc
        handle = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for entry in audit.iter_entries(session, tenant_id):
                handle.write(json.dumps(audit.as_dict(entry), ensure_ascii=False) + "\n")
        finally:
            if output:
                handle.close()


from balise.assistant.cli import register as register_assistant  # noqa: E402

register_assistant(app)


if __name__ == "__main__":
    app()
