"""The document library's operations: submit, ingest, reclassify, list, delete.

Submitting only records the file and enqueues an ingestion job (:mod:`.ingestion`), so a batch is
never lost to one bad file and the web request returns at once; a worker process parses, chunks and
indexes. Every change is audited in the caller's transaction, with ids and counts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePath

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from balise import audit, search
from balise.bounds import check_length
from balise.db import EVERY_CLASSIFICATION, utcnow
from balise.documents.ingestion import INGEST_JOB, VECTOR_PRIORITY
from balise.documents.models import Chunk, Classification, Document, DocumentFile, DocumentStatus
from balise.documents.reading import UnreadableDocument, check_bytes, check_size
from balise.errors import Invalid, NotFound
from balise.i18n import gettext_
from balise.jobs import Job, enqueue

FileInput = Path | tuple[str, bytes]


def check_classification(value: str) -> Classification:
    try:
        return Classification(value)
    except ValueError:
        raise Invalid(
            "Unknown classification “{value}”. Use one of: {choices}.",
            value=value,
            choices=", ".join(c.value for c in Classification),
        ) from None


def _read(item: FileInput) -> tuple[str, str, bytes | None, str]:
    """(source, filename, bytes, refusal): a file over the size limit is refused before being read."""
    if isinstance(item, tuple):
        filename, data = item
        return filename, PurePath(filename).name, data, ""
    path = Path(item)
    try:
        check_size(path.stat().st_size)
    except UnreadableDocument as exc:
        return str(path.resolve()), path.name, None, exc.stored()
    return str(path.resolve()), path.name, path.read_bytes(), ""


def submit_files(
    session: Session,
    tenant_id: str,
    files: Sequence[FileInput],
    *,
    classification: str,
    owner_service: str = "",
    uploaded_by: str | None = None,
    third_party_copyright: bool = False,
    embed: bool = True,
) -> list[Document]:
    """Records each file and enqueues its ingestion; returns one document per file, in order.

    ``third_party_copyright`` flags documents the municipality does not own (D4): the usage
    policy warns before they are sent to a model.

    A file identical (SHA-256) to a document of the tenant that is ready or on its way is a no-op
    and returns that document. A changed file with the same source replaces the old version when
    its job starts writing the new passages; until then the old ones stay searchable, at the new
    classification. Files
    refused by the cheap checks (empty, too large, unsupported, zip bomb) are recorded as failed
    with their reason and get no job. The caller commits.
    """
    level = check_classification(classification).value
    actor = uploaded_by or "system"
    documents: list[Document] = []
    for item in files:
        source, filename, data, refusal = _read(item)
        digest = hashlib.sha256(data).hexdigest() if data is not None else ""
        if digest:
            same = session.scalar(
                select(Document)
                .where(
                    Document.tenant_id == tenant_id,
                    Document.sha256 == digest,
                    Document.status != DocumentStatus.FAILED.value,
                )
                .execution_options(**{EVERY_CLASSIFICATION: True})  # a duplicate the reader may not see
            )
            if same is not None:
                documents.append(same)
                continue
        if data is not None:
            try:
                check_bytes(data, filename)
            except UnreadableDocument as exc:
                refusal = exc.stored()
        document = session.scalar(
            select(Document)
            .where(Document.tenant_id == tenant_id, Document.source == source)
            .execution_options(**{EVERY_CLASSIFICATION: True})  # replaced even if the reader may not see it
        )
        replaces = document is not None
        if document is None:
            document = Document(tenant_id=tenant_id, source=source, title=PurePath(filename).stem)
            session.add(document)
        elif document.classification != level:  # the old passages must not stay visible at the old level
            set_classification(session, document.id, level, actor=actor)
        document.sha256 = digest
        document.size_bytes = len(data) if data is not None else 0
        document.classification = level
        document.owner_service = owner_service
        document.uploaded_by = uploaded_by
        document.third_party_copyright = third_party_copyright
        document.status = DocumentStatus.FAILED.value if refusal else DocumentStatus.PENDING.value
        document.status_reason = refusal
        session.flush()
        if not refusal and data is not None:
            session.merge(
                DocumentFile(
                    document_id=document.id, tenant_id=tenant_id, filename=filename, sha256=digest, data=data
                )
            )
            enqueue(
                session, INGEST_JOB, {"document_id": document.id, "sha256": digest, "embed": embed}, tenant_id
            )
        audit.record(
            session,
            "document.refused" if refusal else "document.submitted",
            actor=actor,
            tenant_id=tenant_id,
            target_type="document",
            target_id=document.id,
            details={
                "classification": level,
                "size_bytes": document.size_bytes,
                "replaces": replaces,
                "third_party_copyright": third_party_copyright,
            },
        )
        documents.append(document)
    session.flush()
    return documents


def _get(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("This document does not exist or was deleted.")
    return document


def _lock(session: Session, document: Document) -> None:
    """Takes the document's row until the caller commits, and reloads it.

    A reclassification then waits for a batch of passages being written (:mod:`.ingestion`), whose
    passages it then changes too.
    """
    session.execute(update(Document).where(Document.id == document.id).values(updated_at=utcnow()))
    session.refresh(document)


def retry_document(session: Session, document_id: str, *, actor: str = "system") -> Document:
    """Queues a failed document's stored file again (e.g. a scan that failed before OCR was installed).

    Also completes a ready document whose vectors could not all be computed. The caller commits.
    """
    document = _get(session, document_id)
    stored = session.get(DocumentFile, document_id)
    if stored is None:
        raise Invalid(
            "This file was refused before processing ({reason}), so there is nothing to retry. "
            "Correct the file and add it again.",
            reason=document.reason or "?",
        )
    if document.status in (DocumentStatus.PENDING.value, DocumentStatus.PROCESSING.value):
        raise Invalid("This document is already being processed. Wait for the result before retrying.")
    if document.status == DocumentStatus.FAILED.value:
        document.status = DocumentStatus.PENDING.value
    document.status_reason = ""
    enqueue(
        session,
        INGEST_JOB,
        {"document_id": document.id, "sha256": stored.sha256, "embed": True},
        document.tenant_id,
    )
    audit.record(
        session,
        "document.retried",
        actor=actor,
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document.id,
    )
    session.flush()
    return document


def queue_vectors(session: Session, document_ids: Sequence[str]) -> list[str]:
    """Queues the search-by-meaning pass of ready documents that still miss vectors; returns job ids.

    ``balise demo`` indexes the demo library by words in a few seconds, then leaves this slow pass to
    the worker so that the server answers at once. A document that already has a job is skipped.
    The caller commits.
    """
    waiting = set(pending_document_ids(session, document_ids))
    embedded = search.vector_counts(session, document_ids)
    jobs: list[str] = []
    for document in list_documents(session, "", ids=document_ids, any_tenant=True):
        if document.id in waiting or document.status != DocumentStatus.READY.value:
            continue
        if embedded.get(document.id, 0) >= document.chunk_total:
            continue
        payload = {"document_id": document.id, "sha256": document.sha256, "embed": True}
        jobs.append(enqueue(session, INGEST_JOB, payload, document.tenant_id, priority=VECTOR_PRIORITY).id)
    return jobs


def delete_document(session: Session, document_id: str, *, actor: str = "system") -> None:
    """Removes the document, its chunks, its file and its index entries. The caller commits."""
    document = _get(session, document_id)
    search.remove_document(session, document.id)
    session.execute(delete(Chunk).where(Chunk.document_id == document.id))
    session.execute(delete(DocumentFile).where(DocumentFile.document_id == document.id))
    session.delete(document)
    audit.record(
        session,
        "document.deleted",
        actor=actor,
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document_id,
    )
    session.flush()


TITLE_MAX_CHARS = 500


def rename_document(session: Session, document_id: str, title: str, *, actor: str) -> Document:
    """Gives a document the title people know it by (a PDF without one was named after its file).
    The caller commits; the audit entry keeps the title's length, never its words."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise Invalid("A document needs a title. Type one, then save.")
    check_length(cleaned, TITLE_MAX_CHARS, gettext_("Title"))
    document = _get(session, document_id)
    document.title = cleaned
    audit.record(
        session,
        "document.renamed",
        actor=actor,
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document.id,
        details={"length": len(cleaned)},
    )
    session.flush()
    return document


def set_classification(
    session: Session, document_id: str, classification: str, *, actor: str = "system"
) -> Document:
    """Changes who may see a document: its chunks and index entries follow at once. The caller commits.

    The index entries take the new level in the same transaction (no re-embedding: the text is
    unchanged), so search never serves a passage under its old classification.
    """
    level = check_classification(classification).value
    document = _get(session, document_id)
    _lock(session, document)  # waits for a running ingestion, whose passages are then changed too
    previous = document.classification
    document.classification = level
    chunks = list(session.scalars(select(Chunk).where(Chunk.document_id == document.id)))
    for chunk in chunks:
        chunk.classification = level
    session.flush()
    search.follow_classification(session, document.id, level)
    audit.record(
        session,
        "document.classified",
        actor=actor,
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document.id,
        details={"from": previous, "to": level},
    )
    session.flush()
    return document


def list_documents(
    session: Session,
    tenant_id: str,
    *,
    status: str | None = None,
    classification: str | None = None,
    ids: Sequence[str] | None = None,
    any_tenant: bool = False,
) -> list[Document]:
    """The tenant's documents, newest first; with ``ids`` it is what an upload page polls for status.

    ``any_tenant`` leaves the choice to the session's own tenant scope (the ids are enough).
    """
    statement = select(Document)
    if not any_tenant:
        statement = statement.where(Document.tenant_id == tenant_id)
    if status is not None:
        statement = statement.where(Document.status == status)
    if classification is not None:
        statement = statement.where(Document.classification == classification)
    if ids is not None:
        statement = statement.where(Document.id.in_(list(ids)))
    return list(session.scalars(statement.order_by(Document.created_at.desc(), Document.title)))


def chunk_counts(session: Session, document_ids: Sequence[str]) -> dict[str, int]:
    rows = session.execute(
        select(Chunk.document_id, func.count())
        .where(Chunk.document_id.in_(list(document_ids)))
        .group_by(Chunk.document_id)
    )
    return {document_id: count for document_id, count in rows}


def pending_jobs(session: Session, document_ids: Sequence[str]) -> list[str]:
    """Ids of the ingestion jobs still to run for these documents (what the CLI waits for)."""
    return [job.id for job in _pending(session, document_ids)]


def pending_document_ids(session: Session, document_ids: Sequence[str]) -> list[str]:
    """Which of these documents have an ingestion job queued or running."""
    return [str(job.payload.get("document_id")) for job in _pending(session, document_ids)]


def _pending(session: Session, document_ids: Sequence[str]) -> list[Job]:
    wanted = set(document_ids)
    jobs = session.scalars(select(Job).where(Job.kind == INGEST_JOB, Job.status.in_(["queued", "running"])))
    return [job for job in jobs if job.payload.get("document_id") in wanted]


__all__ = [
    "INGEST_JOB",
    "FileInput",
    "check_classification",
    "chunk_counts",
    "delete_document",
    "list_documents",
    "pending_document_ids",
    "pending_jobs",
    "queue_vectors",
    "retry_document",
    "set_classification",
    "submit_files",
]
