"""``balise ingest``: submit files and folders, then (by default) process them here with a progress bar.

``balise.cli`` lists the command with its help and imports this module only when it runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, select

from balise.db import default_engine, migrate, open_session, tenant_session
from balise.documents.demo import load_demo_library
from balise.documents.models import Document, DocumentStatus
from balise.documents.service import (
    check_classification,
    chunk_counts,
    list_documents,
    pending_jobs,
    queue_vectors,
    retry_document,
    submit_files,
)
from balise.errors import BaliseError
from balise.i18n import N_, _
from balise.jobs import JobStatus, run_worker
from balise.tenancy.models import Tenant

console = Console()
error_console = Console(stderr=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    error_console.print(f"[red]{message}[/red]")
    return typer.Exit(code)


def resolve_tenant(engine: Engine, slug: str) -> Tenant:
    with open_session(engine) as session:
        tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise _fail(_("Unknown municipality “{slug}”. Check the --tenant slug.").format(slug=slug))
    return tenant


def iter_files(paths: Sequence[Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named, skipping hidden ones."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


def process_jobs(engine: Engine, job_ids: Sequence[str], *, label: str = "") -> None:
    """Runs the given jobs in this process with a progress bar (other workers may help)."""
    if not job_ids:
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(label or _("Processing files"), total=len(job_ids))

        def advance(_job_id: str, status: str) -> None:
            if status in {JobStatus.DONE.value, JobStatus.FAILED.value}:
                progress.advance(task)

        run_worker(engine, job_ids=job_ids, stop_when_idle=True, poll_seconds=0.5, on_finished=advance)
        progress.update(task, completed=len(job_ids))


def print_report(engine: Engine, tenant_id: str, document_ids: Sequence[str]) -> int:
    """Prints one row per file with its status and reason; returns how many failed."""
    with tenant_session(tenant_id, engine) as session:
        documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(document_ids)))}
        counts = chunk_counts(session, list(documents))
    table = Table(title=_("Ingestion report"))
    table.add_column(_("File"))
    table.add_column(_("Status"))
    table.add_column(_("Pages"), justify="right")
    table.add_column(_("Passages"), justify="right")
    table.add_column(_("Reason"))
    labels = {
        DocumentStatus.PENDING.value: _("pending"),
        DocumentStatus.PROCESSING.value: _("processing"),
        DocumentStatus.READY.value: _("ready"),
        DocumentStatus.FAILED.value: _("failed"),
    }
    colours = {DocumentStatus.READY.value: "green", DocumentStatus.FAILED.value: "red"}
    failed = 0
    for document_id in dict.fromkeys(document_ids):
        document = documents[document_id]
        failed += document.status == DocumentStatus.FAILED.value
        colour = colours.get(document.status, "yellow")
        table.add_row(
            Path(document.source).name,
            f"[{colour}]{labels.get(document.status, document.status)}[/{colour}]",
            str(document.pages or ""),
            str(counts.get(document.id, 0)),
            document.reason,
        )
    console.print(table)
    return failed


def load_demo(engine: Engine, tenant_id: str, *, embed: bool = True) -> int:
    """What ``balise demo`` runs for the library: index it by words here (seconds), and queue its
    vectors for the worker that ``balise serve`` starts, so that the command returns at once.

    Returns how many documents wait for their vectors.
    """
    with tenant_session(tenant_id, engine) as session:
        documents = load_demo_library(session, tenant_id, embed=False)
        session.commit()
        ids = [d.id for d in documents]
        job_ids = pending_jobs(session, ids)
    process_jobs(engine, job_ids, label=_("Loading the demo library"))
    if not embed:
        return 0
    with tenant_session(tenant_id, engine) as session:
        queued = queue_vectors(session, ids)
        session.commit()
    return len(queued)


def retry_failed(engine: Engine, tenant_id: str, paths: Sequence[Path]) -> list[str]:
    """Queues again the tenant's failed documents (those of ``paths`` when given); returns their ids."""
    wanted = {str(path.resolve()) for path in iter_files(paths)}
    retried: list[str] = []
    with tenant_session(tenant_id, engine) as session:
        for document in list_documents(session, tenant_id, status=DocumentStatus.FAILED.value):
            if wanted and document.source not in wanted:
                continue
            try:
                retry_document(session, document.id)
            except BaliseError as exc:
                error_console.print(f"{Path(document.source).name}: {exc.localized()}")
                continue
            retried.append(document.id)
        session.commit()
    return retried


def ingest(
    paths: list[Path] = typer.Argument(None, help=N_("Files or folders (searched recursively).")),
    tenant: str = typer.Option(..., "--tenant", help=N_("Slug of the municipality.")),
    classification: str = typer.Option(
        "internal", "--classification", help=N_("public, internal, confidential or personal.")
    ),
    service: str = typer.Option("", "--service", help=N_("Service that owns the documents.")),
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help=N_("Process the files now (else a worker will).")
    ),
    embed: bool = typer.Option(True, "--embed/--no-embed", help=N_("Compute dense vectors now.")),
    retry: bool = typer.Option(
        False,
        "--retry",
        help=N_("Process the failed documents again (those of the given paths, or all of the municipality)."),
    ),
) -> None:
    paths = paths or []
    try:
        level = check_classification(classification).value
    except BaliseError as exc:
        raise _fail(exc.localized()) from None
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise _fail(_("Not found: {paths}. Check the paths and try again.").format(paths=", ".join(missing)))
    if not paths and not retry:
        raise _fail(_("Name at least one file or folder, or use --retry."))
    engine = default_engine()
    migrate(engine)
    tenant_id = resolve_tenant(engine, tenant).id
    document_ids: list[str] = retry_failed(engine, tenant_id, paths) if retry else []
    if retry and not document_ids:
        console.print(_("No failed document to retry."))
        return
    for path in [] if retry else iter_files(paths):
        with tenant_session(tenant_id, engine) as session:
            (document,) = submit_files(
                session,
                tenant_id,
                [path],
                classification=level,
                owner_service=service,
                uploaded_by=None,
                embed=embed,
            )
            session.commit()
            document_ids.append(document.id)
    if not document_ids:
        raise _fail(_("No file found in the given folders."))
    with tenant_session(tenant_id, engine) as session:
        job_ids = pending_jobs(session, document_ids)
    if not wait:
        console.print(
            _("{count} file(s) queued; run `balise worker` to process them.").format(count=len(job_ids))
        )
        return
    process_jobs(engine, job_ids)
    if print_report(engine, tenant_id, document_ids):
        raise typer.Exit(1)
