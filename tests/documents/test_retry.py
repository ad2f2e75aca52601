"""A failed document can be retried: the scanned notice that failed before OCR was installed."""

from __future__ import annotations

from collections.abc import Callable

import pytesseract
import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.documents import Document, DocumentStatus, pending_jobs, retry_document, submit_files
from balise.documents.cli import ingest
from balise.errors import Invalid
from balise.jobs import run_worker
from balise.tenancy.models import Tenant
from tests.documents.samples import DEMO

SCAN = DEMO / "avis-public-pont-numerise.pdf"


def _without_ocr(*_args: object, **_kwargs: object) -> str:
    raise pytesseract.TesseractNotFoundError()


def _failed_scan(engine: Engine, tenant: Tenant, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(pytesseract, "image_to_string", _without_ocr)
        with tenant_session(tenant.id, engine) as session:
            (document,) = submit_files(session, tenant.id, [SCAN], classification="public", embed=False)
            session.commit()
            jobs = pending_jobs(session, [document.id])
        run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    assert _document(engine, tenant, document.id).status == DocumentStatus.FAILED.value
    return document.id


def _document(engine: Engine, tenant: Tenant, document_id: str) -> Document:
    with tenant_session(tenant.id, engine) as session:
        document = session.get(Document, document_id)
        assert document is not None
        return document


def test_a_failed_scan_is_read_once_ocr_is_installed_and_retried(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    document_id = _failed_scan(engine, tenant, monkeypatch)
    with tenant_session(tenant.id, engine) as session:
        retry_document(session, document_id, actor="u1")
        session.commit()
        jobs = pending_jobs(session, [document_id])
        with pytest.raises(Invalid):  # already on its way
            retry_document(session, document_id, actor="u1")
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    document = _document(engine, tenant, document_id)
    assert document.status == DocumentStatus.READY.value
    assert "OCR" in document.status_reason  # the pages read by character recognition are named
    with tenant_session(tenant.id, engine) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.target_id == document_id)).all()
    assert "document.retried" in actions


def test_a_file_refused_before_processing_cannot_be_retried(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        (document,) = submit_files(session, tenant.id, [("vide.txt", b"")], classification="public")
        session.commit()
        with pytest.raises(Invalid, match="rien à relancer"):
            retry_document(session, document.id)


def test_balise_ingest_retry_processes_the_failed_documents_again(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()
    document_id = _failed_scan(engine, tenant, monkeypatch)
    monkeypatch.setattr("balise.documents.cli.default_engine", lambda: engine)
    app = typer.Typer()
    app.command()(ingest)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["ingest", "--retry", "--tenant", tenant.slug, "--no-embed"])
    assert result.exit_code == 0, result.output
    assert _document(engine, tenant, document_id).status == DocumentStatus.READY.value
    again = CliRunner().invoke(app, ["ingest", "--retry", "--tenant", tenant.slug])
    assert again.exit_code == 0 and "Aucun document en échec" in again.output
