"""The library as a reader sees it: filtered pages of documents, an upload's files, a document's passages.

Every query runs in the reader's session, whose clearance keeps out what their role may not read
(:mod:`balise.db.session`); nothing here filters by classification by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from balise.db import EVERY_CLASSIFICATION, may_read
from balise.documents.models import Chunk, Document, DocumentStatus
from balise.documents.service import chunk_counts
from balise.errors import Invalid, NotFound

UNFINISHED = (DocumentStatus.PENDING.value, DocumentStatus.PROCESSING.value)


@dataclass(frozen=True)
class LibraryPage:
    """One page of the library, with what the list shows beside each document."""

    documents: list[Document]
    total: int
    page: int
    has_next: bool
    counts: dict[str, int]
    unfinished: bool
    """Whether a document matching the filters still waits for its processing."""


def library_page(
    session: Session, *, classification: str = "", status: str = "", q: str = "", page: int = 1, per_page: int
) -> LibraryPage:
    """The readable documents matching the filters, newest first, one page of them."""
    conditions: list[ColumnElement[bool]] = []
    if classification:
        conditions.append(Document.classification == classification)
    if status in {s.value for s in DocumentStatus}:
        conditions.append(Document.status == status)
    if q:
        conditions.append(func.lower(Document.title).contains(q.lower(), autoescape=True))
    total = session.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0
    page = max(page, 1)
    shown = list(
        session.scalars(
            select(Document)
            .where(*conditions)
            .order_by(Document.updated_at.desc(), Document.title)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
    )
    unfinished = select(Document.id).where(*conditions, Document.status.in_(UNFINISHED)).limit(1)
    return LibraryPage(
        documents=shown,
        total=total,
        page=page,
        has_next=page * per_page < total,
        counts=chunk_counts(session, [d.id for d in shown]) if shown else {},
        unfinished=session.scalar(unfinished) is not None,
    )


def readable_documents(session: Session, ids: Sequence[str]) -> list[Document]:
    """The documents among ``ids`` the reader may see, in the order of ``ids`` (an upload's files)."""
    if not ids:
        return []
    found = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(list(ids))))}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def ready_documents(session: Session) -> list[Document]:
    """The readable documents whose processing is finished, by title (what a task may be given)."""
    ready = select(Document).where(Document.status == DocumentStatus.READY.value).order_by(Document.title)
    return list(session.scalars(ready))


def readable_document(session: Session, document_id: str) -> Document:
    """A document the reader may see; one of another classification is answered as missing, so its
    existence does not leak."""
    document = session.get(Document, document_id)
    if document is None or not may_read(session, document.classification):
        raise NotFound("This document does not exist, was deleted, or is not visible to your role.")
    return document


def passages_page(
    session: Session, document: Document, *, page: int, per_page: int
) -> tuple[list[Chunk], int]:
    """One page of a document's passages in reading order, and how many it has."""
    total = session.scalar(select(func.count()).select_from(Chunk).where(Chunk.document_id == document.id))
    chunks = session.scalars(
        select(Chunk)
        .where(Chunk.document_id == document.id)
        .order_by(Chunk.ordinal)
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(chunks), total or 0


def blocks_replacement(session: Session, filename: str, allowed: Sequence[str]) -> bool:
    """Whether a document with this file name exists (seen or not) at a classification outside
    ``allowed``, so submitting the file would replace a document this person may not replace."""
    existing = session.scalar(
        select(Document.classification)
        .where(Document.source == filename)
        .execution_options(**{EVERY_CLASSIFICATION: True})  # answered yes/no, never shown
    )
    return existing is not None and existing not in allowed


def chosen_passages(
    session: Session, document_ids: Sequence[str], *, limit: int
) -> tuple[list[Document], list[Chunk]]:
    """The chosen documents and their passages, in the order chosen then reading order (at most
    ``limit`` passages); Invalid when one does not exist or the reader may not read it."""
    documents = list(session.scalars(select(Document).where(Document.id.in_(list(document_ids)))))
    if len(documents) != len(set(document_ids)):
        raise Invalid(
            "Some of the chosen documents do not exist or you may not read them. "
            "Choose them again from the list."
        )
    order = {doc_id: i for i, doc_id in enumerate(document_ids)}
    chunks = sorted(
        session.scalars(select(Chunk).where(Chunk.document_id.in_([d.id for d in documents]))),
        key=lambda c: (order[c.document_id], c.ordinal),
    )[:limit]
    return documents, chunks
