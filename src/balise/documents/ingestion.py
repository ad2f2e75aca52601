"""The ingestion job: parse, chunk and index a document in short transactions, then embed it.

A large file must never stop the town hall. So nothing slow runs inside a transaction:

1. the file is read in a short transaction and parsed outside any;
2. its passages are written with their lexical entries in batches of :data:`PASSAGE_BATCH`, one short
   transaction each; once the last is committed the document is « ready » and searchable by words;
3. vectors are computed outside any transaction, :data:`VECTOR_BATCH` passages at a time, each batch
   committed on its own; the document becomes searchable by meaning as they arrive, and its page
   shows how many are there.

Both phases resume where an interrupted attempt stopped: passages are written in order and a
document remembers which file version they belong to (``indexed_sha256``), so a resumed attempt skips
the passages already committed; embedding only looks for passages still without a vector. A unique
(document, position) constraint makes a duplicated passage impossible even if two workers raced.
Embedding runs in slices of :data:`SLICE_SECONDS`, after which the job goes back to the queue behind
every file still to index by words (:data:`VECTOR_PRIORITY`), so that a new upload is searchable
within seconds even while a large document is being embedded. Memory stays bounded by one batch of passages.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from balise import audit, search
from balise.db import tenant_session, utcnow
from balise.documents.chunking import ChunkDraft, iter_chunks
from balise.documents.instructions import carries_instructions
from balise.documents.models import Chunk, Document, DocumentFile, DocumentStatus
from balise.documents.reading import ParsedDocument, UnreadableDocument, parse
from balise.errors import NotFound
from balise.i18n import stored_message
from balise.jobs import Job, JobContext, handler

INGEST_JOB = "ingest_document"
PASSAGE_BATCH = 200
VECTOR_BATCH = 8
SLICE_SECONDS = 10.0
VECTOR_PRIORITY = 1  # the vectors' later slices wait behind new files to index by words


@dataclass(frozen=True)
class _Version:
    """What a job needs to know before its long work, read in one short transaction."""

    filename: str
    sha256: str
    words_done: bool


class _Superseded(Exception):
    """A newer file was submitted or the document deleted while this job worked: it stops quietly."""


def _lock(session: Session, document_id: str, sha256: str) -> Document:
    """Takes the document's row until the caller commits, and reloads it.

    A batch of passages and a reclassification of the same document then run one after the other, so
    the passages carry the classification the document has when they are committed. The row is
    written unchanged: vectors are not a new version, and a reviewer's approval of the document for
    residents (valid for the version it saw) must survive them.
    """
    session.execute(update(Document).where(Document.id == document_id).values(updated_at=Document.updated_at))
    document = session.get(Document, document_id, populate_existing=True)
    if document is None or document.sha256 != sha256:
        raise _Superseded
    return document


def _version(ctx: JobContext, document_id: str, wanted: str | None) -> _Version | None:
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        document = session.get(Document, document_id)
        row = session.execute(
            select(DocumentFile.filename, DocumentFile.sha256).where(DocumentFile.document_id == document_id)
        ).first()
        if document is None or row is None or (wanted is not None and row.sha256 != wanted):
            return None
        words_done = document.status == DocumentStatus.READY.value and document.indexed_sha256 == row.sha256
        return _Version(filename=row.filename, sha256=row.sha256, words_done=words_done)


def _mark_processing(ctx: JobContext, document_id: str) -> None:
    """Shows at once that the file is being worked on (its own transaction, before the long work)."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        session.execute(
            update(Document)
            .where(Document.id == document_id, Document.status == DocumentStatus.PENDING.value)
            .values(status=DocumentStatus.PROCESSING.value, updated_at=utcnow())
        )
        session.commit()


def _read_file(ctx: JobContext, document_id: str) -> bytes:
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        data = session.scalar(select(DocumentFile.data).where(DocumentFile.document_id == document_id))
    if data is None:
        raise _Superseded
    return bytes(data)


def _refuse(ctx: JobContext, document_id: str, sha256: str, exc: UnreadableDocument) -> None:
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        document = _lock(session, document_id, sha256)
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
        session.commit()


def _start_passages(ctx: JobContext, document_id: str, sha256: str) -> int:
    """How many passages of this version are already committed; an older version's are removed first."""
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        document = _lock(session, document_id, sha256)
        if document.indexed_sha256 == sha256:
            done = session.scalar(
                select(func.count()).select_from(Chunk).where(Chunk.document_id == document_id)
            )
            session.commit()
            return int(done or 0)
        search.remove_document(session, document_id)
        session.execute(delete(Chunk).where(Chunk.document_id == document_id))
        document.indexed_sha256 = sha256
        document.chunk_total = 0
        session.commit()
        return 0


def _write_passages(ctx: JobContext, document_id: str, sha256: str, data: bytes, filename: str) -> None:
    """Parses the file and commits its passages batch by batch, with their lexical entries."""
    try:
        parsed = parse(data, filename)
    except UnreadableDocument as exc:
        _refuse(ctx, document_id, sha256, exc)
        raise _Superseded from None
    del data
    written = _start_passages(ctx, document_id, sha256)
    drafts = itertools.islice(iter_chunks(parsed), written, None)
    ordinal = written
    while batch := list(itertools.islice(drafts, PASSAGE_BATCH)):
        ctx.progress(ordinal, 0)  # raises if another worker took the job
        with tenant_session(ctx.tenant_id, ctx.engine) as session:
            document = _lock(session, document_id, sha256)
            _describe(document, parsed)  # citations of the first passages already carry the title
            chunks = [
                _chunk(document, ordinal + offset, draft, parsed.hidden) for offset, draft in enumerate(batch)
            ]
            session.add_all(chunks)
            session.flush()
            search.index_chunks(session, chunks, embed=False)
            session.commit()
        ordinal += len(batch)
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        _mark_ready(session, _lock(session, document_id, sha256), parsed, ordinal)
        session.commit()


def _describe(document: Document, parsed: ParsedDocument) -> None:
    """What the file says about itself: title, language, format, pages."""
    document.title = parsed.title[:500]
    document.language = parsed.language
    document.media_type = parsed.media_type
    document.pages = sum(1 for page in parsed.pages if page.number is not None)


def _mark_ready(session: Session, document: Document, parsed: ParsedDocument, passages: int) -> None:
    """The document is searchable by words: its metadata, status and audit entry."""
    _describe(document, parsed)
    document.chunk_total = passages
    document.instruction_passages = int(
        session.scalar(
            select(func.count())
            .select_from(Chunk)
            .where(Chunk.document_id == document.id, Chunk.instructions.is_(True))
        )
        or 0
    )
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
        details={
            "chunks": passages,
            "pages": document.pages,
            "ocr_pages": len(parsed.ocr_pages),
            "instruction_passages": document.instruction_passages,
        },
    )


def _chunk(document: Document, ordinal: int, draft: ChunkDraft, hidden: Sequence[str]) -> Chunk:
    return Chunk(
        tenant_id=document.tenant_id,
        document_id=document.id,
        ordinal=ordinal,
        text=draft.text,
        page=draft.page,
        heading_path=draft.heading_path[:1000],
        char_start=draft.char_start,
        char_end=draft.char_end,
        classification=document.classification,
        instructions=carries_instructions(draft.text, hidden),
    )


def ingest_document(session: Session, document_id: str, *, embed: bool = True) -> Document:
    """Parses, chunks and indexes a document in the caller's transaction, all at once.

    For small documents in tests and tools only: it holds the transaction for the whole work, which
    is exactly what the job (short transactions, vectors outside any) exists to avoid. The caller
    commits.
    """
    document = session.get(Document, document_id)
    stored = session.get(DocumentFile, document_id)
    if document is None or stored is None:
        raise NotFound("This document does not exist or was deleted.")
    try:
        parsed = parse(stored.data, stored.filename)
    except UnreadableDocument as exc:
        document.status = DocumentStatus.FAILED.value
        document.status_reason = exc.stored()
        session.flush()
        return document
    search.remove_document(session, document_id)
    session.execute(delete(Chunk).where(Chunk.document_id == document_id))
    chunks = [
        _chunk(document, ordinal, draft, parsed.hidden) for ordinal, draft in enumerate(iter_chunks(parsed))
    ]
    session.add_all(chunks)
    session.flush()
    search.index_chunks(session, chunks, embed=embed)
    document.indexed_sha256 = stored.sha256
    _mark_ready(session, document, parsed, len(chunks))
    session.flush()
    return document


def _embed(ctx: JobContext, document_id: str, sha256: str) -> None:
    """Adds the missing vectors, batch by batch, outside any transaction; requeues after a slice."""
    embedder = search.get_embedder()
    deadline = time.monotonic() + SLICE_SECONDS
    with tenant_session(ctx.tenant_id, ctx.engine) as session:
        search.check_dimension(session, embedder)
        document = session.get(Document, document_id)
        total = document.chunk_total if document is not None else 0
        done = search.vector_counts(session, [document_id]).get(document_id, 0)
    while True:
        with tenant_session(ctx.tenant_id, ctx.engine) as session:
            missing = search.passages_without_vectors(session, document_id, embedder.name, VECTOR_BATCH)
        if not missing:
            return
        ctx.progress(done, total)
        vectors = embedder.embed_passages([text for _id, text in missing])
        with tenant_session(ctx.tenant_id, ctx.engine) as session:
            _lock(session, document_id, sha256)
            search.store_vectors(
                session, [entry_id for entry_id, _text in missing], list(vectors), embedder.name
            )
            session.commit()
        done += len(missing)
        if ctx.stop.is_set() or time.monotonic() > deadline:
            ctx.requeue(priority=VECTOR_PRIORITY)
            return


def _give_up(session: Session, job: Job, error: str) -> None:
    """The job failed for good: the document says so, with what to do next."""
    document = session.get(Document, str(job.payload.get("document_id")))
    if document is None or document.sha256 != job.payload.get("sha256"):
        return
    if document.status == DocumentStatus.READY.value:  # searchable by words: only vectors are missing
        document.status_reason = stored_message(
            "Search by meaning could not be completed ({error}); search by words works. Retry the "
            "document to complete it.",
            error=error,
        )
        return
    document.status = DocumentStatus.FAILED.value
    document.status_reason = stored_message(
        "Processing failed after {attempts} attempts ({error}). Retry it from the library (or with "
        "`balise ingest --retry`); if it fails again, contact your administrator.",
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


@handler(INGEST_JOB, on_give_up=_give_up)
def _run_ingestion(ctx: JobContext) -> None:
    document_id = str(ctx.payload["document_id"])
    wanted = ctx.payload.get("sha256")
    version = _version(ctx, document_id, str(wanted) if wanted else None)
    if version is None:  # deleted, or replaced by a newer file whose own job will run
        return
    try:
        if not version.words_done:
            _mark_processing(ctx, document_id)
            _write_passages(ctx, document_id, version.sha256, _read_file(ctx, document_id), version.filename)
            if ctx.payload.get("embed", True):  # vectors later, behind the files still to index by words
                ctx.requeue(priority=VECTOR_PRIORITY)
            return
        if ctx.payload.get("embed", True):
            _embed(ctx, document_id, version.sha256)
    except _Superseded:
        return


__all__ = [
    "INGEST_JOB",
    "PASSAGE_BATCH",
    "SLICE_SECONDS",
    "VECTOR_BATCH",
    "VECTOR_PRIORITY",
    "ingest_document",
]
