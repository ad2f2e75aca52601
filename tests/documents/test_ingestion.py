"""Submitting and ingesting: idempotent, atomic replacement, per-file failures, audit, tenancy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from balise.audit.models import AuditEntry
from balise.db import tenant_session
from balise.documents import (
    Chunk,
    Document,
    DocumentStatus,
    delete_document,
    list_documents,
    pending_jobs,
    set_classification,
    submit_files,
)
from balise.errors import Invalid
from balise.i18n import use_locale
from balise.jobs import Job, run_worker
from balise.search import search
from balise.tenancy.models import Tenant
from tests.documents.samples import DEMO, encrypted_pdf, make_docx, zip_bomb

Files = list[Path | tuple[str, bytes]]


def _submit(
    engine: Engine, tenant_id: str, files: Files, classification: str = "internal", embed: bool = False
) -> tuple[list[str], list[str]]:
    """(document ids, their job ids), committed and not run yet."""
    with tenant_session(tenant_id, engine) as session:
        documents = submit_files(session, tenant_id, files, classification=classification, embed=embed)
        session.commit()
        ids = [d.id for d in documents]
        return ids, pending_jobs(session, ids)


def _submit_and_run(
    engine: Engine, tenant_id: str, files: Files, classification: str = "internal"
) -> list[str]:
    ids, jobs = _submit(engine, tenant_id, files, classification)
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    return ids


def _documents(engine: Engine, tenant_id: str, ids: list[str]) -> list[Document]:
    with tenant_session(tenant_id, engine) as session:
        found = {d.id: d for d in list_documents(session, tenant_id, ids=ids)}
    return [found[i] for i in ids]


def _chunks(engine: Engine, tenant_id: str, document_id: str) -> list[Chunk]:
    with tenant_session(tenant_id, engine) as session:
        return list(
            session.scalars(select(Chunk).where(Chunk.document_id == document_id).order_by(Chunk.ordinal))
        )


def test_a_batch_keeps_its_good_files_and_explains_each_bad_one(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    files: Files = [
        DEMO / "faq-citoyens.md",
        ("protege.pdf", encrypted_pdf()),
        ("abime.docx", b"PK\x03\x04 broken"),
        ("vide.txt", b""),
        ("script.exe", b"MZ"),
        ("bombe.odt", zip_bomb()),
        DEMO / "reglement-2025-03-permis-renovation.pdf",
    ]
    ids = _submit_and_run(engine, tenant.id, files)
    documents = _documents(engine, tenant.id, ids)
    assert [d.status for d in documents] == [
        "ready",
        "failed",
        "failed",
        "failed",
        "failed",
        "failed",
        "ready",
    ]
    reasons = [d.reason for d in documents]
    assert "mot de passe" in reasons[1]
    assert "endommagé" in reasons[2]
    assert "vide" in reasons[3]
    assert "pas pris en charge" in reasons[4]
    assert "bombe" in reasons[5]
    with use_locale("en"):  # stored untranslated: each reader gets their own language
        assert "protected by a password" in documents[1].reason
    pdf = documents[6]
    assert (pdf.pages, pdf.media_type, pdf.language) == (3, "application/pdf", "fr")
    assert [c.page for c in _chunks(engine, tenant.id, pdf.id)] == [1, 2, 3]


def test_resubmitting_the_same_file_is_a_no_op(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    (first,) = _submit_and_run(engine, tenant.id, [DEMO / "faq-citoyens.md"])
    chunk_ids = [c.id for c in _chunks(engine, tenant.id, first)]
    with tenant_session(tenant.id, engine) as session:
        jobs_before = session.scalar(select(func.count()).select_from(Job))
        (again,) = submit_files(
            session,
            tenant.id,
            [("copie.md", (DEMO / "faq-citoyens.md").read_bytes())],
            classification="public",
        )
        session.commit()
        assert again.id == first
        assert session.scalar(select(func.count()).select_from(Job)) == jobs_before
    assert [c.id for c in _chunks(engine, tenant.id, first)] == chunk_ids


def test_a_changed_file_replaces_its_old_version(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    old = make_docx([(1, "Horaire"), (None, "Ouvert le lundi.")])
    new = make_docx(
        [(1, "Horaire"), (None, "Ouvert du lundi au vendredi."), (1, "Contact"), (None, "819 555-0100")]
    )
    (first,) = _submit_and_run(engine, tenant.id, [("horaire.docx", old)])
    (second,) = _submit_and_run(engine, tenant.id, [("horaire.docx", new)], "confidential")
    assert second == first
    texts = [c.text for c in _chunks(engine, tenant.id, first)]
    assert not any("Ouvert le lundi." in t for t in texts)
    assert any("Ouvert du lundi au vendredi." in t for t in texts)
    with tenant_session(tenant.id, engine) as session:
        assert not search(session, "lundi", tenant_id=tenant.id, classifications=["internal"], mode="lexical")
        hits = search(session, "lundi", tenant_id=tenant.id, classifications=["confidential"], mode="lexical")
    assert {hit.document_id for hit in hits} == {first}
    assert all("Ouvert le lundi." not in hit.text for hit in hits)


def test_a_stale_job_for_a_replaced_file_does_nothing(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session:
        submit_files(session, tenant.id, [("note.txt", b"Version un du texte.")], classification="internal")
        (document,) = submit_files(
            session, tenant.id, [("note.txt", b"Version deux du texte.")], classification="internal"
        )
        session.commit()
        jobs = pending_jobs(session, [document.id])
    assert len(jobs) == 2
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    assert [c.text for c in _chunks(engine, tenant.id, document.id)] == ["Version deux du texte."]


def test_classification_delete_and_audit(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    (document_id,) = _submit_and_run(engine, tenant.id, [DEMO / "note-dossier-confidentielle.txt"], "public")
    with tenant_session(tenant.id, engine) as session:
        set_classification(session, document_id, "confidential", actor="u1")
        session.commit()
        assert set(session.scalars(select(Chunk.classification).where(Chunk.document_id == document_id))) == {
            "confidential"
        }
        assert not search(
            session, "Tremblay", tenant_id=tenant.id, classifications=["public"], mode="lexical"
        )
        assert search(
            session, "Tremblay", tenant_id=tenant.id, classifications=["confidential"], mode="lexical"
        )
        with pytest.raises(Invalid):
            set_classification(session, document_id, "secret")
        delete_document(session, document_id, actor="u1")
        session.commit()
        assert session.get(Document, document_id) is None
        assert not session.scalars(select(Chunk).where(Chunk.document_id == document_id)).all()
        assert not search(
            session, "Tremblay", tenant_id=tenant.id, classifications=["confidential"], mode="lexical"
        )
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.target_id == document_id).order_by(AuditEntry.seq)
            )
        )
    assert actions == ["document.submitted", "document.ingested", "document.classified", "document.deleted"]


def test_another_tenant_sees_nothing(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    owner, other = make_tenant(), make_tenant()
    (document_id,) = _submit_and_run(engine, owner.id, [DEMO / "faq-citoyens.md"])
    with tenant_session(other.id, engine) as session:
        assert list_documents(session, other.id) == []
        assert session.get(Document, document_id) is None
        (own,) = submit_files(session, other.id, [DEMO / "faq-citoyens.md"], classification="public")
        assert own.id != document_id  # the same file in another municipality is its own document


def test_ingestion_with_embeddings_indexes_vectors(
    engine: Engine, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    files: Files = [("collecte.txt", "Le bac brun est ramassé chaque semaine.".encode())]
    (document_id,), jobs = _submit(engine, tenant.id, files, "public", embed=True)
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    with tenant_session(tenant.id, engine) as session:
        hits = search(session, "compost", tenant_id=tenant.id, classifications=["public"], mode="dense")
    assert [hit.document_id for hit in hits] == [document_id]


def test_unknown_classification_is_refused(engine: Engine, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with tenant_session(tenant.id, engine) as session, pytest.raises(Invalid, match="secret"):
        submit_files(session, tenant.id, [("a.txt", b"texte")], classification="secret")


def test_document_status_is_failed_when_the_job_gives_up(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = make_tenant()

    def broken_index(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("index offline")

    monkeypatch.setattr("balise.search.index_chunks", broken_index)
    with tenant_session(tenant.id, engine) as session:
        (document,) = submit_files(session, tenant.id, [("a.txt", b"Un texte.")], classification="public")
        session.commit()
        jobs = pending_jobs(session, [document.id])
        session.execute(update(Job).where(Job.id.in_(jobs)).values(max_attempts=1))
        session.commit()
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    (failed,) = _documents(engine, tenant.id, [document.id])
    assert failed.status == DocumentStatus.FAILED.value
    assert "index offline" in failed.reason


def test_a_reclassification_during_ingestion_reaches_the_new_passages(
    engine: Engine, make_tenant: Callable[..., Tenant], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manager reclassifies while the worker is parsing: no passage may keep the old level."""
    import balise.documents.ingestion as service

    tenant = make_tenant()
    (document_id,), jobs = _submit(engine, tenant.id, [("note.md", b"# Note\n\nUn dossier delicat.")])
    parse = service.parse

    def parse_while_a_manager_reclassifies(data: bytes, filename: str):  # type: ignore[no-untyped-def]
        with tenant_session(tenant.id, engine) as other:
            set_classification(other, document_id, "confidential", actor="manager")
            other.commit()
        return parse(data, filename)

    monkeypatch.setattr(service, "parse", parse_while_a_manager_reclassifies)
    run_worker(engine, job_ids=jobs, stop_when_idle=True, poll_seconds=0.1)
    chunks = _chunks(engine, tenant.id, document_id)
    assert chunks and {c.classification for c in chunks} == {"confidential"}
    with tenant_session(tenant.id, engine) as session:
        visible = ["public", "internal"]
        assert not search(session, "dossier", tenant_id=tenant.id, classifications=visible, mode="lexical")
        assert search(
            session, "dossier", tenant_id=tenant.id, classifications=["confidential"], mode="lexical"
        )
