"""``balise ask | summarise | draft | revise``: the staff tasks from the command line.

The commands act as the municipality's assistant with an employee's clearance (public and internal
documents), or as the person named by ``--user``, whose role then decides what may be read. Results are
saved for review and kept in the history only when they belong to a person (``--user``).
``balise.cli`` lists the commands with their help and imports this module only when one runs; the
heavy task modules are imported inside each command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from balise.errors import BaliseError
from balise.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from balise.assistant.results import TaskResult
    from balise.assistant.tasks import Requester

console = Console()
err_console = Console(stderr=True)

TenantOption = Annotated[str, typer.Option("--tenant", help=N_("Slug of the municipality."))]
JsonOption = Annotated[bool, typer.Option("--json", help=N_("Print one JSON object."))]
UserOption = Annotated[
    str, typer.Option("--user", help=N_("E-mail of the person acting; their role decides what may be read."))
]
MaskOption = Annotated[
    list[str] | None, typer.Option("--mask", help=N_("A term to mask in addition (repeatable)."))
]
ConfirmOption = Annotated[
    bool, typer.Option("--confirm", help=N_("Go on despite a warning of the usage policy."))
]
EXIT_BLOCKED = 3
EXIT_WARNING = 4
EXIT_UNAVAILABLE = 5


def _requester(session: Session, tenant_slug: str, user_email: str) -> Requester:
    from sqlalchemy import select

    from balise.assistant.tasks import Requester
    from balise.errors import NotFound
    from balise.tenancy import Role, User, membership_of, tenant_by_slug, visible_classifications

    tenant = tenant_by_slug(session, tenant_slug)
    if not user_email:
        return Requester(tenant, None, visible_classifications(Role.EMPLOYEE.value), tool="cli")
    user = session.scalars(select(User).where(User.email == user_email.strip().lower())).first()
    membership = membership_of(session, user.id, tenant.id) if user is not None else None
    if user is None or membership is None:
        raise NotFound("{email} has no role in this municipality.", email=user_email)
    return Requester(tenant, user.id, visible_classifications(membership.role), tool="cli")


def _read(value: str) -> str:
    """A text argument, or a file's content when it names one, or standard input for ``-``."""
    if value == "-":
        return sys.stdin.read()
    path = Path(value)
    if len(value) < 4096 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


def _print(result: TaskResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    elif result.status in ("blocked", "warning") and result.policy is not None:
        title = _("Refused by the usage policy") if result.status == "blocked" else _("Usage policy warning")
        err_console.print(f"[bold]{title}:[/] {escape(result.policy.explanation)}")
        if result.status == "warning":
            err_console.print(_("Nothing was sent. Run the command again with --confirm to go on."))
    elif result.status == "unavailable":
        err_console.print(f"[bold red]{_('Error')}:[/] {escape(result.message)}")
    else:
        if result.notice:
            err_console.print(f"[yellow]{escape(result.notice)}[/]")
        console.print(escape(result.text))
        if result.changes:
            marked = "".join(
                s.text if s.op == "equal" else (f"[-{s.text}-]" if s.op == "delete" else f"{{+{s.text}+}}")
                for s in result.changes
            )
            console.print(f"\n{_('Changes')}:\n{escape(marked)}")
        for part in result.parts:
            if not part.supported:
                console.print(f"[yellow]{_('To verify:')}[/] {escape(part.text)}")
        for c in result.citations:
            page = f", p. {c.page}" if c.page else ""
            console.print(f"[{c.number}] {escape(c.title)}{page}: « {escape(c.quote)} »")
        if result.readability is not None:
            console.print(_("Readability (Kandel–Moles):") + f" {result.readability.score:.0f}/100")
        if result.masked:
            masked = ", ".join(f"{label} × {count}" for label, count in result.masked.items())
            console.print(_("Masked before sending: {labels}").format(labels=masked))
        console.print(f"[dim]{escape(result.disclosure)}[/]")
    codes = {"blocked": EXIT_BLOCKED, "warning": EXIT_WARNING, "unavailable": EXIT_UNAVAILABLE}
    if result.status in codes:
        raise typer.Exit(codes[result.status])


def _run(
    tenant: str,
    user: str,
    mask: list[str] | None,
    confirm: bool,
    as_json: bool,
    task: str,
    **arguments: object,
) -> None:
    from balise.assistant import tasks
    from balise.db import default_engine, migrate, open_session, scope_session
    from balise.tenancy import tenant_by_slug

    engine = default_engine()
    migrate(engine)
    options = tasks.Options(extra_terms=tuple(mask or ()), confirmed=confirm)
    try:
        with open_session(engine) as session:
            scope_session(session, tenant_by_slug(session, tenant).id)
            who = _requester(session, tenant, user)
            result = getattr(tasks, task)(session, who, options=options, **arguments)
            session.commit()
    except BaliseError as exc:
        err_console.print(f"[bold red]{_('Error')}:[/] {escape(exc.localized())}")
        raise typer.Exit(2) from exc
    _print(result, as_json)


def ask(
    question: Annotated[str, typer.Argument(help=N_("The question."))],
    tenant: TenantOption,
    json_output: JsonOption = False,
    user: UserOption = "",
    mask: MaskOption = None,
    confirm: ConfirmOption = False,
) -> None:
    _run(tenant, user, mask, confirm, json_output, "ask", question=question)


def summarise(
    tenant: TenantOption,
    text: Annotated[
        str, typer.Option("--text", help=N_("Text to summarise, a file path, or - for stdin."))
    ] = "",
    document: Annotated[
        list[str] | None, typer.Option("--document", help=N_("Id of a document to summarise (repeatable)."))
    ] = None,
    audience: Annotated[
        str, typer.Option("--audience", help=N_("specialist, general or plain (langage clair)."))
    ] = "general",
    json_output: JsonOption = False,
    user: UserOption = "",
    mask: MaskOption = None,
    confirm: ConfirmOption = False,
) -> None:
    _run(
        tenant,
        user,
        mask,
        confirm,
        json_output,
        "summarise",
        document_ids=list(document or []),
        text=_read(text) if text else "",
        audience=audience,
    )


def draft(
    template: Annotated[str, typer.Argument(help=N_("email, memo, job_posting, press_release or titles."))],
    brief: Annotated[str, typer.Argument(help=N_("What the text must say, a file path, or - for stdin."))],
    tenant: TenantOption,
    json_output: JsonOption = False,
    user: UserOption = "",
    mask: MaskOption = None,
    confirm: ConfirmOption = False,
) -> None:
    _run(tenant, user, mask, confirm, json_output, "draft", kind=template, brief=_read(brief))


def revise(
    text: Annotated[str, typer.Argument(help=N_("Text to revise, a file path, or - for stdin."))],
    tenant: TenantOption,
    mode: Annotated[str, typer.Option("--mode", help=N_("correct (spelling, syntax) or plain."))] = "correct",
    json_output: JsonOption = False,
    user: UserOption = "",
    mask: MaskOption = None,
    confirm: ConfirmOption = False,
) -> None:
    _run(tenant, user, mask, confirm, json_output, "revise", text=_read(text), mode=mode)


def purge_conversations() -> None:
    from balise.assistant.history import purge_expired
    from balise.db import default_engine, migrate, open_session

    engine = default_engine()
    migrate(engine)
    with open_session(engine) as session:
        count = purge_expired(session)
        session.commit()
    console.print(_("{n} expired conversation(s) deleted.").format(n=count))


def mask_history() -> None:
    """Once after upgrading: the turns stored before masking get their placeholders (see ``kept.py``)."""
    from balise.assistant.kept import mask_stored
    from balise.db import default_engine, migrate, open_session

    engine = default_engine()
    migrate(engine)
    with open_session(engine) as session:
        count = mask_stored(session)
        session.commit()
    console.print(_("{n} conversation(s) checked; their personal values are now masked.").format(n=count))
