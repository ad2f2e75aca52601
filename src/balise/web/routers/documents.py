"""The document library: list, upload several files at once, follow their processing, reclassify, delete.

Uploads only record the files and enqueue ingestion jobs (``balise.documents.submit_files``); the
web request returns at once and the page follows each file's status. Worker processes run the jobs,
never this process (see :mod:`balise.jobs.runner`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from balise.classification import CLASSIFICATION_LABELS, rank
from balise.config import get_settings
from balise.db import Session, may_read
from balise.documents import (
    Classification,
    Document,
    DocumentStatus,
    chunk_counts,
    delete_document,
    rename_document,
    retry_document,
    set_classification,
    submit_files,
)
from balise.documents.library import (
    UNFINISHED,
    blocks_replacement,
    library_page,
    passages_page,
    readable_document,
    readable_documents,
)
from balise.errors import Forbidden, Invalid
from balise.i18n import N_, gettext_
from balise.search import vector_counts
from balise.tenancy import Role
from balise.web.deps import PageNumber, Principal, current_principal, tenant_db
from balise.web.templating import render

log = logging.getLogger(__name__)

router = APIRouter(prefix="/documents", tags=["documents"])

STATUS_LABELS: dict[str, str] = {
    DocumentStatus.PENDING.value: N_("Waiting"),
    DocumentStatus.PROCESSING.value: N_("Processing"),
    DocumentStatus.READY.value: N_("Ready"),
    DocumentStatus.FAILED.value: N_("Failed"),
}
NOTICES = {"deleted": N_("The document, its passages and its search entries were deleted.")}
EMPLOYEE_UPLOADS = (Classification.PUBLIC.value, Classification.INTERNAL.value)
MAX_FILES_PER_UPLOAD = 50
DOCUMENTS_PER_PAGE = 50
CHUNKS_PER_PAGE = 50
HTMX_STOP_POLLING = 286  # htmx stops an "every 2s" trigger when the answer has this status


def _is_curator(principal: Principal) -> bool:
    """Managers, the privacy officer and administrators curate the library (classify, delete)."""
    return principal.has(Role.MANAGER) or principal.has(Role.PRIVACY_OFFICER)


def upload_classifications(principal: Principal) -> tuple[str, ...]:
    """Employees add public or internal files; curators any classification they may read themselves."""
    if _is_curator(principal):
        return principal.classifications
    return tuple(c for c in principal.classifications if c in EMPLOYEE_UPLOADS)


def _require_curator(principal: Principal) -> None:
    if not _is_curator(principal):
        raise Forbidden("Only a manager, the privacy officer or an administrator may do this.")


def _ids(value: str) -> list[str]:
    return [part for part in value.split(",") if part.strip()][:MAX_FILES_PER_UPLOAD]


@dataclass(frozen=True)
class Refusal:
    """A file refused before it became a document (too large, or not replaceable by this person)."""

    filename: str
    reason: str


def _batch_context(db: Session, ids: list[str]) -> dict[str, object]:
    documents = readable_documents(db, ids)
    finished = sum(1 for d in documents if d.status not in UNFINISHED)
    return {
        "batch": documents,
        "batch_ids": ",".join(d.id for d in documents),
        "batch_finished": finished,
        "batch_done": finished == len(documents),
        "batch_counts": chunk_counts(db, [d.id for d in documents]) if documents else {},
    }


def _library_page(
    request: Request,
    principal: Principal,
    db: Session,
    *,
    classification: str = "",
    status: str = "",
    q: str = "",
    page: int = 1,
    batch_ids: list[str] | None = None,
    refusals: list[Refusal] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The filtered, paginated library; the session keeps out what the role may not read."""
    context = _library_context(principal, db, classification=classification, status=status, q=q, page=page)
    context.update({"refusals": refusals or [], "notice": notice})
    context.update(_batch_context(db, batch_ids or []))
    return render(request, "documents/library.html", context, status_code=status_code)


def _library_context(
    principal: Principal,
    db: Session,
    *,
    classification: str = "",
    status: str = "",
    q: str = "",
    page: int = 1,
) -> dict[str, object]:
    """What the library's list needs: the upload's progress refreshes it when the last file is done."""
    found = library_page(
        db, classification=classification, status=status, q=q, page=page, per_page=DOCUMENTS_PER_PAGE
    )
    context: dict[str, object] = {
        "documents": found.documents,
        "total": found.total,
        "page": found.page,
        "has_next": found.has_next,
        "counts": found.counts,
        "vectors": vector_counts(db, [d.id for d in found.documents]) if found.documents else {},
        "filters": {"classification": classification, "status": status, "q": q},
        "visible_classifications": principal.classifications,
        "upload_classifications": upload_classifications(principal),
        "classification_labels": CLASSIFICATION_LABELS,
        "status_labels": STATUS_LABELS,
        "max_upload_mb": get_settings().max_upload_mb,
        "max_files": MAX_FILES_PER_UPLOAD,
    }
    return context


@router.get("", response_class=HTMLResponse)
def library(
    request: Request,
    classification: str = "",
    status: str = "",
    q: str = "",
    page: PageNumber = 1,
    lot: str = "",
    message: str = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """The library the person may see; ``lot`` lists the files of an upload with their status."""
    notice = gettext_(NOTICES[message]) if message in NOTICES else ""
    return _library_page(
        request,
        principal,
        db,
        classification=classification,
        status=status,
        q=q.strip(),
        page=page,
        batch_ids=_ids(lot),
        notice=notice,
    )


def _filename(upload: StarletteUploadFile) -> str:
    """The bare file name, whatever path a browser (or Windows) sent along."""
    return PurePath((upload.filename or "").replace("\\", "/")).name[:500]


def _refusal(db: Session, upload: StarletteUploadFile, allowed: tuple[str, ...]) -> str:
    """Why this file may not be submitted by this person, or an empty string."""
    limit_mb = get_settings().max_upload_mb
    size = upload.size or 0
    if size > limit_mb * 1024 * 1024:
        return gettext_(
            "{filename} is larger than the {limit} MB limit ({size} MB). Split it or compress its images, "
            "then add it again."
        ).format(filename=_filename(upload), limit=limit_mb, size=round(size / 1024 / 1024, 1))
    if blocks_replacement(db, _filename(upload), allowed):
        return gettext_(
            "A document with this file name already exists and your role may not replace it. Rename the "
            "file, or ask a manager to replace it."
        )
    return ""


@router.post("", response_class=HTMLResponse)
def upload(
    request: Request,
    files: Annotated[list[UploadFile | str] | None, File()] = None,
    classification: Annotated[str, Form()] = Classification.INTERNAL.value,
    owner_service: Annotated[str, Form()] = "",
    third_party_copyright: Annotated[bool, Form()] = False,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Records every acceptable file and enqueues its processing; a bad file never sinks the batch."""
    allowed = upload_classifications(principal)
    if classification not in allowed:
        raise Forbidden(
            "Your role may add documents classified {allowed} only. Choose one of these classifications.",
            allowed=", ".join(gettext_(CLASSIFICATION_LABELS[c]) for c in allowed),
        )
    # A file input left empty sends a nameless part, which arrives as a string.
    chosen = [f for f in files or [] if isinstance(f, StarletteUploadFile) and _filename(f)]
    if not chosen:
        raise Invalid("Choose at least one file to add to the library.")
    if len(chosen) > MAX_FILES_PER_UPLOAD:
        raise Invalid(
            "You chose {count} files; add at most {max} at a time.",
            count=len(chosen),
            max=MAX_FILES_PER_UPLOAD,
        )
    refusals: list[Refusal] = []
    documents: list[Document] = []
    for item in chosen:  # one file in memory and one commit at a time
        filename = _filename(item)
        reason = _refusal(db, item, allowed)
        if reason:
            refusals.append(Refusal(filename, reason))
            continue
        (document,) = submit_files(
            db,
            principal.tenant.id,
            [(filename, item.file.read())],
            classification=classification,
            owner_service=owner_service.strip()[:120],
            uploaded_by=principal.user.id,
            third_party_copyright=third_party_copyright,
        )
        if not may_read(db, document.classification):  # identical to a hidden document
            refusals.append(Refusal(filename, gettext_("This file is already in the library.")))
        else:
            documents.append(document)
        db.commit()
    return _library_page(request, principal, db, batch_ids=[d.id for d in documents], refusals=refusals)


@router.get("/progression", response_class=HTMLResponse)
def progress(
    request: Request,
    lot: str = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> Response:
    """The status fragment an upload polls every two seconds; polling stops once every file is done,
    and the last answer refreshes the library's list too."""
    context = _batch_context(db, _ids(lot))
    context.update({"classification_labels": CLASSIFICATION_LABELS, "status_labels": STATUS_LABELS})
    if context["batch_done"] and request.headers.get("hx-request"):
        # the list below the upload still says « En attente, 0 passages »: it is replaced too
        context.update(_library_context(principal, db), swap_library=True)
    response = render(request, "documents/_batch.html", context)
    if context["batch_done"]:
        response.status_code = HTMX_STOP_POLLING if request.headers.get("hx-request") else 200
    return response


def _detail_page(
    request: Request,
    principal: Principal,
    db: Session,
    document: Document,
    *,
    chunk_page: int = 1,
    notice: str = "",
) -> HTMLResponse:
    chunk_page = max(chunk_page, 1)
    chunks, total = passages_page(db, document, page=chunk_page, per_page=CHUNKS_PER_PAGE)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "chunks": chunks,
            "chunk_total": total,
            "vectors": vector_counts(db, [document.id]).get(document.id, 0),
            "can_retry": _may_edit(principal, document),
            "can_rename": _may_edit(principal, document),
            "chunk_page": chunk_page,
            "has_next": chunk_page * CHUNKS_PER_PAGE < total,
            "curator": _is_curator(principal),
            "visible_classifications": principal.classifications,
            "classification_labels": CLASSIFICATION_LABELS,
            "status_labels": STATUS_LABELS,
            "notice": notice,
        },
    )


@router.get("/{document_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    document_id: str,
    passages: PageNumber = 1,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Metadata, status and passages of one document, with the curator's actions."""
    document = readable_document(db, document_id)
    return _detail_page(request, principal, db, document, chunk_page=passages)


@router.post("/{document_id}/classification", response_class=HTMLResponse)
def reclassify(
    request: Request,
    document_id: str,
    classification: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Changes who may see the document; its passages and search entries follow at once."""
    document = readable_document(db, document_id)
    _require_curator(principal)
    if classification not in principal.classifications:
        raise Invalid(
            "Choose one of the classifications your role may read: {allowed}.",
            allowed=", ".join(gettext_(CLASSIFICATION_LABELS[c]) for c in principal.classifications),
        )
    previous = document.classification
    document = set_classification(db, document.id, classification, actor=principal.user.id)
    db.commit()
    notice = gettext_("Classification changed from {before} to {after}.").format(
        before=gettext_(CLASSIFICATION_LABELS[previous]),
        after=gettext_(CLASSIFICATION_LABELS[classification]),
    )
    if rank(classification) > rank(previous):
        notice += " " + gettext_("People whose role does not cover it no longer see this document.")
    return _detail_page(request, principal, db, document, notice=notice)


def _may_edit(principal: Principal, document: Document) -> bool:
    """Curators, and the person who added the file: they may retry it and rename it."""
    return _is_curator(principal) or document.uploaded_by == principal.user.id


@router.post("/{document_id}/titre", response_class=HTMLResponse)
def rename(
    request: Request,
    document_id: str,
    title: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """A title people recognise, instead of the file name a PDF without metadata was given."""
    document = readable_document(db, document_id)
    if not _may_edit(principal, document):
        raise Forbidden("Only the person who added this file, a manager or an administrator may rename it.")
    document = rename_document(db, document.id, title, actor=principal.user.id)
    db.commit()
    return _detail_page(request, principal, db, document, notice=gettext_("The title was changed."))


@router.post("/{document_id}/reprise")
def retry(
    document_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """Processes a failed document's stored file again (a scan that failed before OCR was installed…)."""
    document = readable_document(db, document_id)
    if not _may_edit(principal, document):
        raise Forbidden("Only the person who added this file, a manager or an administrator may retry it.")
    retry_document(db, document.id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"/documents/{document.id}", status_code=303)


@router.get("/{document_id}/suppression", response_class=HTMLResponse)
def confirm_delete(
    request: Request,
    document_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Deleting cannot be undone, so it is asked for on a page of its own."""
    document = readable_document(db, document_id)
    _require_curator(principal)
    counts = chunk_counts(db, [document.id])
    return render(
        request,
        "documents/delete.html",
        {"document": document, "chunk_count": counts.get(document.id, 0)},
    )


@router.post("/{document_id}/suppression")
def delete(
    document_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """Removes the document, its passages, its stored file and its search entries (dense and lexical)."""
    document = readable_document(db, document_id)
    _require_curator(principal)
    delete_document(db, document.id, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/documents?message=deleted", status_code=303)
