"""The ``balise`` command.

Its help is in French, or in English with ``--lang en``, like its messages: help texts are English
msgids marked with ``N_`` and translated when a help page is shown. The commands of the capabilities
(``balise.capabilities``) are listed with their help and imported only when they run, and the commands
defined here import what they need in their body, so that ``balise --help`` answers at once.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
import typer.main
from rich.console import Console
from rich.table import Table
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

import balise
from balise.capabilities import CAPABILITIES
from balise.errors import BaliseError
from balise.i18n import DEFAULT_LOCALE, LOCALES, N_, current_locale, use_locale
from balise.i18n import gettext_ as _

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session
    from typer._click import Command, Context, HelpFormatter  # Typer vendors Click

# Typer's own words on a help page, translated like ours: the help of the options it adds, the notes
# after an option's help and the title of the panel of commands.
TYPER_TEXTS = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("[default: {}]"),
    N_("[required]"),
)
COMMANDS_PANEL = N_("Commands")


@contextmanager
def _help_in_current_language(command: Command, ctx: Context) -> Iterator[None]:
    """While a help page is shown, its texts (English msgids) read in the current language.

    The page shows the command's help, its parameters' help, for a group the commands it lists, and
    Typer's notes after an option's help.
    """
    from typer import rich_utils  # where Typer keeps its notes ("[required]"…)

    from balise.help_layout import WholeOptionNames

    texts: list[tuple[object, str, str | None]] = [(command, "help", command.help)]
    texts += [(param, "help", getattr(param, "help", None)) for param in command.get_params(ctx)]
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            listed = command.get_command(ctx, name)
            if listed is not None:
                texts.append((listed, "help", listed.help))
                panel = getattr(listed, "rich_help_panel", None) or COMMANDS_PANEL
                texts.append((listed, "rich_help_panel", panel))
    texts += [
        (rich_utils, note, getattr(rich_utils, note)) for note in ("DEFAULT_STRING", "REQUIRED_LONG_STRING")
    ]
    originals = [(item, attribute, getattr(item, attribute, None)) for item, attribute, _text in texts]
    originals.append((rich_utils, "Table", rich_utils.Table))
    try:
        for item, attribute, text in texts:
            if text:
                setattr(item, attribute, _(text))
        rich_utils.Table = WholeOptionNames  # type: ignore[misc]  # option names read whole at 80 columns
        yield
    finally:
        for item, attribute, original in originals:
            setattr(item, attribute, original)


class LocalizedCommand(TyperCommand):
    """A command whose help is shown in the current language."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        with _help_in_current_language(self, ctx):
            super().format_help(ctx, formatter)


@dataclass(frozen=True)
class Lazy:
    """A command of another package: listed with this help, its module imported only when it runs."""

    function: str  # "package.module:function"
    help: str


class LazyCommand(LocalizedCommand):
    """Stands for a :class:`Lazy` command in its group's listing."""

    def __init__(self, name: str, lazy: Lazy) -> None:
        super().__init__(name, help=lazy.help)
        self.lazy = lazy

    def load(self) -> Command:
        module, _colon, function = self.lazy.function.partition(":")
        app = LocalizedTyper(add_completion=False)
        app.command(self.name, help=self.lazy.help)(getattr(importlib.import_module(module), function))
        return typer.main.get_command(app)


class LocalizedGroup(TyperGroup):
    """A group whose help is shown in the current language, with the ``lazy`` commands of its class."""

    lazy: ClassVar[Mapping[str, Lazy]] = {}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = {
            **{name: LazyCommand(name, lazy) for name, lazy in self.lazy.items()},
            **self.commands,
        }

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name and isinstance(command, LazyCommand):
            command = self.commands[name] = command.load()
        return name, command, rest

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with use_locale(DEFAULT_LOCALE):  # every run starts in French; --lang may change it
            return super().main(*args, **kwargs)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        with _help_in_current_language(self, ctx):
            super().format_help(ctx, formatter)


class LocalizedTyper(typer.Typer):
    """A ``typer.Typer`` whose help is shown in the current language; ``lazy`` adds commands of other
    packages, by name."""

    def __init__(self, *, lazy: Mapping[str, Lazy] | None = None, **kwargs: Any) -> None:
        class Group(LocalizedGroup):
            pass

        Group.lazy = lazy or {}
        super().__init__(cls=Group, **kwargs)

    def command(
        self, name: str | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=LocalizedCommand, **kwargs)


def _lazy(group: str) -> dict[str, Lazy]:
    """The commands the capabilities add to ``group`` (``""``: the top level)."""
    return {
        c.name: Lazy(c.function, c.help) for cap in CAPABILITIES for c in cap.commands if c.group == group
    }


app = LocalizedTyper(
    help=N_("Balise: responsible generative AI for municipalities."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    lazy=_lazy(""),
)
admin_app = LocalizedTyper(
    help=N_("Administer municipalities, people and tokens."), no_args_is_help=True, lazy=_lazy("admin")
)
audit_app = LocalizedTyper(
    help=N_("Check and export the audit log."),
    no_args_is_help=True,
    lazy={
        "verify": Lazy(
            "balise.cli_audit:audit_verify", N_("Check that no audit entry was edited or deleted.")
        ),
        "export": Lazy("balise.cli_audit:audit_export", N_("Export the audit log as JSON Lines.")),
    },
)
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")
for _group in (group for cap in CAPABILITIES for group in cap.command_groups):
    app.add_typer(
        LocalizedTyper(help=_group.help, no_args_is_help=True, lazy=_lazy(_group.name)), name=_group.name
    )

console = Console()
err_console = Console(stderr=True)


def fail(exc: BaliseError) -> typer.Exit:
    err_console.print(f"[bold red]{_('Error')}:[/] {exc.localized()}")
    return typer.Exit(2)


def _show_version(asked: bool) -> None:
    if asked:
        console.print(f"Balise {balise.__version__}")
        raise typer.Exit()


def _use_language(lang: str) -> str:
    current_locale.set(lang if lang in LOCALES else DEFAULT_LOCALE)
    return lang


@app.callback()
def main(
    lang: str = typer.Option(
        "fr",
        "--lang",
        help=N_("Language of messages and help: fr or en."),
        is_eager=True,  # before --help, so that help follows it
        callback=_use_language,
    ),
    version: bool = typer.Option(
        False,
        "--version",
        help=N_("Show the version of Balise and stop."),
        is_eager=True,
        callback=_show_version,
    ),
) -> None:
    from balise.config import get_settings

    get_settings.cache_clear()  # each invocation reads the environment afresh


def require_secret_key() -> None:
    """Refuse to start with a placeholder or short BALISE_SECRET_KEY (it signs sessions, seals the vault)."""
    from balise.config import check_secret_key, get_settings

    try:
        check_secret_key(get_settings().resolved_secret_key)
    except BaliseError as exc:
        raise fail(exc) from exc


def _ready_engine(*, migrate: bool | None = None) -> Engine:
    """The configured database, with its schema migrated or checked (see ``BALISE_AUTO_MIGRATE``)."""
    from balise.config import get_settings
    from balise.db import default_engine
    from balise.db.migrate import ensure_schema

    engine = default_engine()
    try:
        ensure_schema(engine, get_settings().auto_migrate if migrate is None else migrate)
    except BaliseError as exc:
        raise fail(exc) from exc
    return engine


@contextmanager
def _session() -> Iterator[Session]:
    from balise.db import open_session

    with open_session(_ready_engine()) as session:
        yield session


@app.command(help=N_("Serve the web application and the APIs."))
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(1, "--workers"),
) -> None:
    from balise.config import get_settings
    from balise.jobs.runner import WorkerSupervisor, serve_starts_worker
    from balise.serving import disable_multiprocess_metrics, enable_multiprocess_metrics, listen, run_app

    require_secret_key()
    metrics_folder = enable_multiprocess_metrics()  # before prometheus_client loads: /metrics sums processes
    try:  # first of all: connections then wait in the queue instead of being refused
        sock = listen(host, port)
    except OSError as exc:
        console.print(
            _("Port {port} cannot be opened ({error}): is Balise already running?").format(
                port=port, error=exc.strerror
            )
        )
        raise typer.Exit(1) from exc
    # On standard error, beside uvicorn's log: scripts and tests learn the port is this process's.
    listening = _("Balise listens on {url}").format(url=f"http://{host}:{port}")
    Console(stderr=True).print(listening, soft_wrap=True)
    # Each web process embeds with its share of the cores, one call at a time (search.embeddings):
    # several processes with OpenMP's default of one thread per core oversubscribe the CPU and a query
    # embedding then takes seconds instead of ~20 ms; one process alone embeds on every core.
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, workers))))
    engine = _ready_engine()
    worker = WorkerSupervisor(engine) if serve_starts_worker(engine) else None
    if worker is not None:  # the embedded default: ingestion runs in a process of its own, kept alive
        os.environ.setdefault("BALISE_EXPECT_WORKER", "true")  # /readyz then wants its heartbeat
        get_settings.cache_clear()
        worker.start()
    try:
        run_app(sock, host, port, workers)
    finally:
        sock.close()
        if worker is not None:
            worker.stop()
        disable_multiprocess_metrics(metrics_folder)


@app.command(help=N_("Bring the database to the current schema (run it once per upgrade, before starting)."))
def migrate_db(
    check: bool = typer.Option(
        False,
        "--check",
        help=N_("Change nothing: compare the database with this version's schema and name what differs."),
    ),
) -> None:
    from balise.db import default_engine
    from balise.operations.cli import schema_matches

    # After migrating, the tables are compared too: a database already past a released migration that
    # was later edited or re-parented is at the newest revision without that migration's tables.
    if not schema_matches(default_engine() if check else _ready_engine(migrate=True)):
        raise typer.Exit(1)
    if not check:
        console.print(_("The database is up to date."))


@app.command(help=N_("Create (or refresh) the demo municipality “demo” with one person per role."))
def demo() -> None:
    from balise.answers.demo import ensure_demo_answers
    from balise.config import get_settings
    from balise.db import open_session
    from balise.demo import DEMO_PASSWORD, ensure_demo, ensure_demo_model, publish_demo_library
    from balise.documents.cli import load_demo
    from balise.evaluation.bias import ensure_demo_runs
    from balise.evaluation.runs.demo import ensure_demo_evaluation
    from balise.governance.demo import ensure_governance_demo
    from balise.governance.swiss_demo import SWISS_DEMO_OFFICER, ensure_swiss_demo
    from balise.media.demo import ensure_demo_image, ensure_demo_recording, index_demo_transcript
    from balise.memento.demo import ensure_demo_memento
    from balise.pooling.demo import ensure_demo_pooling
    from balise.survey.demo import ensure_demo_survey
    from balise.tenancy.roles import ROLE_LABELS, Role
    from balise.training.demo import ensure_demo_training

    engine = _ready_engine()
    with open_session(engine) as session:
        result = ensure_demo(session, progress=console)
        model = ensure_demo_model(session, result.tenant, get_settings())
        ensure_governance_demo(session, result.tenant)
        ensure_demo_memento(session, result.tenant)
        ensure_demo_runs(session, result.tenant)
        ensure_demo_image(session, result.tenant)
        ensure_demo_survey(session, result.tenant)
        ensure_demo_training(session, result.tenant)
        recording_note = ensure_demo_recording(session, result.tenant)
        session.commit()
    embedding = load_demo(engine, result.tenant.id)
    index_demo_transcript(engine, result.tenant.id)
    with open_session(engine) as session:
        publish_demo_library(session, session.merge(result.tenant))
        ensure_demo_answers(session, session.merge(result.tenant))
        session.commit()
        ensure_demo_evaluation(session, session.merge(result.tenant))
        session.commit()
        ensure_demo_pooling(session, session.merge(result.tenant))
        session.commit()
    with open_session(engine) as session:
        swiss = ensure_swiss_demo(session, DEMO_PASSWORD)
        session.commit()
    table = Table(title=_("Demo logins (password: {password})").format(password=DEMO_PASSWORD))
    table.add_column(_("Role"))
    table.add_column(_("E-mail"))
    for role, email in result.logins:
        table.add_row(_(ROLE_LABELS[Role(role)]), email)
    console.print(table)
    console.print(
        _(
            "A second, Swiss municipality, “{name}” ({slug}), shows the nLPD register of processing "
            "activities and impact assessments: sign in as {email}."
        ).format(name=swiss.name, slug=swiss.slug, email=SWISS_DEMO_OFFICER[0])
    )
    if recording_note:
        console.print(_(recording_note))
    if embedding:
        console.print(
            _(
                "The demo library is searchable by words now; search by meaning completes in the "
                "background once `balise serve` (or `balise worker`) runs: follow it on the Documents page."
            )
        )
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


@admin_app.command("create-tenant", help=N_("Create a municipality."))
def create_tenant_cmd(
    slug: str, name: str = typer.Option(..., "--name"), region: str = typer.Option("QC", "--region")
) -> None:
    from balise.tenancy import create_tenant

    with _session() as session:
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


@admin_app.command(
    "create-user", help=N_("Create a person (or give an existing one a role) in a municipality.")
)
def create_user_cmd(
    email: str,
    tenant: str = typer.Option(..., "--tenant"),
    role: str = typer.Option("employee", "--role"),
    name: str = typer.Option("", "--name"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help=N_("Read the password from standard input (for scripts).")
    ),
) -> None:
    from balise.tenancy import create_user, tenant_by_slug

    # Never as an option: a password on the command line stays in the shell history and the process list.
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    with _session() as session:
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


@admin_app.command("create-token", help=N_("Create an API token for a person; it is printed once."))
def create_token_cmd(
    email: str,
    tenant: str = typer.Option(..., "--tenant"),
    name: str = typer.Option("cli", "--name"),
    scope: list[str] = typer.Option(
        ["read", "ask"], "--scope", help=N_("Permission: read, ask or administer (repeatable).")
    ),
    days: int = typer.Option(90, "--days", help=N_("Days before it expires: 7, 30, 90, 180 or 365.")),
) -> None:
    from sqlalchemy import select

    from balise.errors import NotFound
    from balise.tenancy import User, create_api_token, tenant_by_slug

    with _session() as session:
        try:
            municipality = tenant_by_slug(session, tenant)
            user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
            if user is None:
                raise NotFound("Nobody has the e-mail address {email}.", email=email)
            issued = create_api_token(session, municipality, user, name, scopes=scope, days=days)
        except BaliseError as exc:
            raise fail(exc) from exc
        session.commit()
        console.print(_("Token created. Copy it now, it will not be shown again:"))
        print(issued.token)


if __name__ == "__main__":
    app()
