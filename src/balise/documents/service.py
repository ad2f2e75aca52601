"""The document library's operations: submit, ingest, reclassify, list, delete.

Submitting only records the file and enqueues an ingestion job, so a batch is never lost to one
bad file and the web request returns at once; the job parses, chunks and indexes. Every change is
audited in the caller's transaction, with ids and counts only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path, PurePath

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from balise import audit, search
from balise.db import EVERY_CLASSIFICATION, tenant_session, utcnow
from balise.documents.chunking import chunk_document
from balise.documents.models import Chunk, Classification, Document, DocumentFile, DocumentStatus
from balise.documents.reading import UnreadableDocument, check_bytes, check_size, parse
from balise.errors import Invalid, NotFound
from balise.i18n import stored_message
from balise.jobs import Job, JobContext, enqueue, handler

INGEST_JOB = "ingest_document"

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
    its job succeeds; until then the old chunks stay searchable, at the new classification. Files
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

    An ingestion and a reclassification of the same document then run one after the other, so the
    passages an ingestion writes carry the classification the document has when they are committed.
    """
    session.execute(update(Document).where(Document.id == document.id).values(updated_at=utcnow()))
    session.refresh(document)


def ingest_document(
    session: Session, document_id: str, *, embed: bool = True, sha256: str | None = None
) -> Document:
    """Parses, chunks and indexes the document's newest file, replacing its old chunks atomically.

    An unreadable file marks the document failed with its reason (and returns normally, so the job
    is not retried); any other error propagates and the caller's transaction rolls back whole.
    ``sha256`` names the version a job was created for: an older job for a replaced file does nothing.
    The caller commits.
    """
    document = _get(session, document_id)
    stored = session.get(DocumentFile, document_id)
    if stored is None or (sha256 is not None and stored.sha256 != sha256):
        return document
    if document.status == DocumentStatus.READY.value and document.sha256 == stored.sha256:
        return document
    try:
        parsed = parse(stored.data, stored.filename)
    except UnreadableDocument as exc:
        document.status = DocumentStatus.FAILED.value
        document.status_reason = exc.stored()
        audit.record(
            session,
            "document.failed",
            actor="system",
            tenant_id=document.tenant_id,
            target_type="document",
            target_id=document.id,
            details={"reason": exc.code},
        )
        session.flush()
        return document
    drafts = chunk_document(parsed)
    _lock(session, document)  # parsing took time: the classification may have changed meanwhile
    search.remove_document(session, document.id)
    session.execute(delete(Chunk).where(Chunk.document_id == document.id))
    chunks = [
        Chunk(
            tenant_id=document.tenant_id,
            document_id=document.id,
            ordinal=ordinal,
            text=draft.text,
            page=draft.page,
            heading_path=draft.heading_path[:1000],
            char_start=draft.char_start,
            char_end=draft.char_end,
            classification=document.classification,
        )
        for ordinal, draft in enumerate(drafts)
    ]
    session.add_all(chunks)
    session.flush()
    search.index_chunks(session, chunks, embed=embed)
    document.title = parsed.title[:500]
    document.language = parsed.language
    document.media_type = parsed.media_type
    document.pages = sum(1 for page in parsed.pages if page.number is not None)
    document.status = DocumentStatus.READY.value
    document.status_reason = (
        stored_message(
            "Pages {pages} were read by character recognition (OCR): check them for errors.",
            pages=", ".join(str(n) for n in parsed.ocr_pages),
        )
        if parsed.ocr_pages
        else ""
    )
    audit.record(
        session,
        "document.ingested",
        actor="system",
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document.id,
        details={"chunks": len(chunks), "pages": document.pages, "ocr_pages": len(parsed.ocr_pages)},
    )
    session.flush()
    return document


def _mark_processing(ctx: JobContext, document_id: str) -> None:
    """Shows at once that the file is being worked on (its own transaction, before the long work)."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        session.execute(
            update(Document)
            .where(Document.id == document_id, Document.status == DocumentStatus.PENDING.value)
            .values(status=DocumentStatus.PROCESSING.value, updated_at=utcnow())
        )
        session.commit()


@handler(INGEST_JOB, on_give_up=lambda session, job, error: _give_up(session, job, error))
def _run_ingestion(ctx: JobContext) -> None:
    document_id = str(ctx.payload["document_id"])
    if ctx.session.get(Document, document_id) is None:  # deleted while queued
        return
    _mark_processing(ctx, document_id)
    ingest_document(
        ctx.session, document_id, embed=bool(ctx.payload.get("embed", True)), sha256=ctx.payload.get("sha256")
    )


def _give_up(session: Session, job: Job, error: str) -> None:
    """The job failed for good: the document says so, with what to do next."""
    document = session.get(Document, str(job.payload.get("document_id")))
    if document is None or document.sha256 != job.payload.get("sha256"):
        return
    document.status = DocumentStatus.FAILED.value
    document.status_reason = stored_message(
        "Processing failed after {attempts} attempts ({error}). Submit the file again; if it fails "
        "again, contact your administrator.",
        attempts=job.attempts,
        error=error,
    )
    audit.record(
        session,
        "document.failed",
        actor="system",
        tenant_id=document.tenant_id,
        target_type="document",
        target_id=document.id,
        details={"reason": "job_failed", "job_id": job.id},
    )


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


def set_classification(
    session: Session, document_id: str, classification: str, *, actor: str = "system"
) -> Document:
    """Changes who may see a document: its chunks and index entries follow at once. The caller commits.

    The index entries are rewritten through ``search.index_chunks`` (which carries the
    classification), so search never serves a passage under its old classification.
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
    search.index_chunks(session, chunks, embed=True)
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
) -> list[Document]:
    """The tenant's documents, newest first; with ``ids`` it is what an upload page polls for status."""
    statement = select(Document).where(Document.tenant_id == tenant_id)
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
    wanted = set(document_ids)
    jobs = session.scalars(select(Job).where(Job.kind == INGEST_JOB, Job.status.in_(["queued", "running"])))
    return [job.id for job in jobs if job.payload.get("document_id") in wanted]


__all__ = [
    "INGEST_JOB",
    "FileInput",
    "check_classification",
    "chunk_counts",
    "delete_document",
    "ingest_document",
    "list_documents",
    "pending_jobs",
    "set_classification",
    "submit_files",
]
