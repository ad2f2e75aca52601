"""``balise doctor``: every part an installation needs, checked one by one, with what to do about each
failure, so that an administrator finds the problem before the residents do.

Each check returns a :class:`Check`; a check that raises counts as failed with the error's text.
The command exits 1 when any check fails; ``--json`` prints the same results for monitoring.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from balise.config import check_secret_key, get_settings
from balise.errors import BaliseError
from balise.i18n import N_, _

MIN_FREE_BYTES = 2 * 1024**3
"""Below this, backups and ingestions fail half-way: 2 GiB free in the data folder."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""
    fix: str = ""


def _database() -> list[Check]:
    """The connection, the schema's revision against this version, and pgvector on PostgreSQL."""
    from sqlalchemy import text

    from balise.db import default_engine
    from balise.db.schema_check import compare_schema

    engine = default_engine()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return [
            Check(
                _("Database connection"),
                False,
                str(exc).splitlines()[0],
                _("Check BALISE_DATABASE_URL and that the database server is running."),
            )
        ]
    checks = [Check(_("Database connection"), True, engine.url.render_as_string(hide_password=True))]
    report = compare_schema(engine)
    lacking = report.missing_tables + report.missing_columns
    missing = ", ".join(lacking[:3]) + (" …" if len(lacking) > 3 else "")
    checks.append(
        Check(
            _("Database schema"),
            report.current,
            _("revision {revision}, expected {expected}").format(
                revision=report.revision or "-", expected=report.expected
            )
            + (f"; {missing}" if missing else ""),
            "" if report.current else _("Run `balise migrate-db` (after a backup)."),
        )
    )
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            version = connection.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            ).scalar()
        checks.append(
            Check(
                _("pgvector extension"),
                version is not None,
                str(version or ""),
                ""
                if version
                else _('Install pgvector on the server, then run `psql -c "CREATE EXTENSION vector;"`.'),
            )
        )
    return checks


def _secret_key() -> list[Check]:
    try:
        check_secret_key(get_settings().resolved_secret_key)
    except BaliseError as exc:
        return [Check(_("Secret key"), False, exc.localized(), exc.localized())]
    return [Check(_("Secret key"), True)]


def _language_model() -> list[Check]:
    import spacy

    spacy.load("fr_core_news_md", exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer"])
    return [Check(_("French language model (spaCy fr_core_news_md)"), True)]


def _embedder() -> list[Check]:
    from balise.warmup import warm_embedder

    warm_embedder()
    return [Check(_("Embedding model ({backend})").format(backend=get_settings().embedding_backend), True)]


def _disk() -> list[Check]:
    data_dir = get_settings().data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(data_dir).free
    return [
        Check(
            _("Free disk in the data folder"),
            free >= MIN_FREE_BYTES,
            _("{gib:.1f} GiB free in {folder}").format(gib=free / 1024**3, folder=data_dir.resolve()),
            ""
            if free >= MIN_FREE_BYTES
            else _("Free at least 2 GiB: remove old backups or enlarge the volume of BALISE_DATA_DIR."),
        )
    ]


def _proxies() -> list[Check]:
    from balise.operations.network import trusted_proxies

    try:
        proxies = trusted_proxies(get_settings())
    except BaliseError as exc:
        return [Check(_("Trusted proxies"), False, exc.localized(), exc.localized())]
    return [
        Check(_("Trusted proxies"), True, ", ".join(proxies) or _("none (Balise faces browsers directly)"))
    ]


def _tesseract() -> list[Check]:
    path = shutil.which("tesseract")
    return [
        Check(
            _("Tesseract (OCR of scanned documents)"),
            path is not None,
            path or "",
            "" if path else _("Install it: `apt install tesseract-ocr tesseract-ocr-fra`."),
        )
    ]


def _workers() -> list[Check]:
    """Whether a worker beats: without one, documents and scheduled jobs wait in the queue."""
    from balise.db import default_engine
    from balise.operations.workers import workers_expected, workers_of

    views = workers_of(default_engine())
    alive = [view for view in views if view.alive]
    if alive:
        detail = _("{count} alive, last heartbeat {seconds} s ago").format(
            count=len(alive), seconds=int(min(view.age_seconds for view in alive))
        )
        return [Check(_("Background worker"), True, detail)]
    if views or workers_expected():
        detail = (
            _("stale: last heartbeat {seconds} s ago").format(seconds=int(views[0].age_seconds))
            if views
            else _("no worker has sent a heartbeat")
        )
        fix = _(
            "Start or restart the workers (`balise serve` starts one on SQLite; otherwise "
            "`systemctl restart 'balise-worker@*'`) and read their log."
        )
        return [Check(_("Background worker"), False, detail, fix)]
    return [Check(_("Background worker"), True, _("none running now (jobs wait until one starts)"))]


CHECKS: tuple[tuple[str, Callable[[], list[Check]]], ...] = (
    (N_("Database"), _database),
    (N_("Secret key"), _secret_key),
    (N_("French language model (spaCy fr_core_news_md)"), _language_model),
    (N_("Embedding model"), _embedder),
    (N_("Free disk in the data folder"), _disk),
    (N_("Trusted proxies"), _proxies),
    (N_("Tesseract (OCR of scanned documents)"), _tesseract),
    (N_("Background worker"), _workers),
)


def run_checks() -> list[Check]:
    """Every check, in order; one that raises is a failure naming the error."""
    results: list[Check] = []
    for name, check in CHECKS:
        try:
            results += check()
        except Exception as exc:
            detail = exc.localized() if isinstance(exc, BaliseError) else f"{type(exc).__name__}: {exc}"
            results.append(
                Check(_(name), False, detail, _("Reinstall Balise with its models: `make install`."))
            )
    return results


def doctor(as_json: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False) -> None:
    """Check the installation; exit 1 if anything fails."""
    results = run_checks()
    if as_json:
        typer.echo(json.dumps([asdict(result) for result in results], ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False)
        for result in results:
            mark = "[green]✓[/]" if result.ok else "[bold red]✗[/]"
            detail = f" [dim]({escape(result.detail)})[/]" if result.detail else ""
            console.print(f"{mark} {escape(result.name)}{detail}")
            if not result.ok and result.fix:
                console.print(f"  → {escape(result.fix)}")
    if not all(result.ok for result in results):
        raise typer.Exit(1)
