"""Publishing to residents needs a reviewer (D1, P2): a document classified ``public`` reaches the
citizen assistant only once a reviewer approved that exact version.

An approval holds the document's SHA-256 and its time; it stops counting when the file changes, or
when the document is changed in any way after the approval (a reclassification away from
``public`` and back included), so a planted or careless document cannot reach residents unreviewed.
The rule lives in one query, :func:`approved_filter`, used by retrieval and by the public source view.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, exists, select
from sqlalchemy.orm import Session

from balise import audit
from balise.citizen.models import PublicApproval
from balise.db.base import utcnow
from balise.documents import Classification, Document, DocumentStatus, set_classification
from balise.errors import Invalid, NotFound


def approved_filter() -> ColumnElement[bool]:
    """SQL condition on ``Document``: public, ready, and approved in its current version."""
    return and_(
        Document.classification == Classification.PUBLIC.value,
        Document.status == DocumentStatus.READY.value,
        exists().where(
            PublicApproval.document_id == Document.id,
            PublicApproval.sha256 == Document.sha256,
            PublicApproval.approved_at >= Document.updated_at,
        ),
    )


def approved_document_ids(session: Session) -> frozenset[str]:
    """The documents residents may read, in the session's tenant."""
    return frozenset(session.scalars(select(Document.id).where(approved_filter())))


def is_approved(session: Session, document_id: str) -> bool:
    return (
        session.scalar(select(Document.id).where(Document.id == document_id, approved_filter())) is not None
    )


def pending_public_documents(session: Session) -> list[Document]:
    """Documents classified public that residents cannot see yet, for the reviewer's queue."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.classification == Classification.PUBLIC.value, ~approved_filter())
            .order_by(Document.updated_at.desc())
        )
    )


def approved_documents(session: Session) -> list[Document]:
    return list(session.scalars(select(Document).where(approved_filter()).order_by(Document.title)))


def _public_document(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("This document does not exist or was deleted. Reload the list.")
    if document.classification != Classification.PUBLIC.value:
        raise Invalid("Only a document classified public can be published to residents. Reclassify it first.")
    return document


def approve(session: Session, tenant_id: str, document_id: str, *, actor: str) -> None:
    """The reviewer's approval of the document as it is now; the caller commits."""
    document = _public_document(session, document_id)
    if document.status != DocumentStatus.READY.value:
        raise Invalid("This document is still being processed. Approve it once it is ready.")
    session.execute(delete(PublicApproval).where(PublicApproval.document_id == document.id))
    session.add(
        PublicApproval(
            tenant_id=tenant_id,
            document_id=document.id,
            sha256=document.sha256,
            approved_by=actor,
            approved_at=max(utcnow(), document.updated_at.replace(tzinfo=utcnow().tzinfo)),
        )
    )
    audit.record(
        session,
        "citizen.document_approved",
        actor=actor,
        tenant_id=tenant_id,
        target_type="document",
        target_id=document.id,
        details={"sha256": document.sha256},
    )


def refuse(session: Session, tenant_id: str, document_id: str, *, actor: str) -> None:
    """The reviewer's refusal: the document goes back to ``internal``, out of the residents' reach."""
    document = _public_document(session, document_id)
    session.execute(delete(PublicApproval).where(PublicApproval.document_id == document.id))
    set_classification(session, document.id, Classification.INTERNAL.value, actor=actor)
    audit.record(
        session,
        "citizen.document_refused",
        actor=actor,
        tenant_id=tenant_id,
        target_type="document",
        target_id=document.id,
        details={},
    )
