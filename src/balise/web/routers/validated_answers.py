"""Validated answers for reviewers: the list (those to re-validate first), the residents' frequent
questions without one, writing one, promoting an approved output, editing and re-validating."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import answers
from balise.citizen.frequent import frequent_without_answer
from balise.db import Session
from balise.documents import list_documents
from balise.errors import BaliseError
from balise.i18n import N_
from balise.tenancy import Role
from balise.web.deps import Principal, require, tenant_db
from balise.web.forms import saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/reponses-validees", tags=["validated answers"])

Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]
Db = Annotated[Session, Depends(tenant_db)]
STATUS_LABELS = {
    answers.ACTIVE: N_("Served"),
    answers.EXPIRED: N_("Expired: to validate again"),
    answers.SUSPENDED: N_("Suspended: a source changed"),
}
REASON_LABELS = {
    "source_changed": N_("A source document has a new version."),
    "source_removed": N_("A source document was deleted."),
}


@router.get("", response_class=HTMLResponse)
def listing(request: Request, principal: Reviewer, db: Db) -> HTMLResponse:
    context = {
        "items": answers.listing(db),
        "frequent": frequent_without_answer(db),
        "status_labels": STATUS_LABELS,
        "reason_labels": REASON_LABELS,
    }
    db.commit()  # the statuses brought up to date
    return render(request, "answers/list.html", context)


def _form(
    request: Request,
    db: Session,
    principal: Principal,
    draft: answers.Draft,
    *,
    action: str,
    output_id: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "draft": draft,
        "action": action,
        "output_id": output_id,
        "documents": list_documents(db, principal.tenant.id, status="ready"),
        "error": error,
    }
    return render(request, "answers/form.html", context, status_code=status_code)


@router.get("/nouvelle", response_class=HTMLResponse)
def new(request: Request, principal: Reviewer, db: Db, sortie: str = "", question: str = "") -> HTMLResponse:
    """An empty form, one for a frequent question, or one from an approved output (``sortie``)."""
    try:
        draft = (
            answers.from_output(db, answers.promotable(db, sortie)) if sortie else answers.Draft("", "", [])
        )
    except BaliseError as exc:
        return _form(
            request,
            db,
            principal,
            answers.Draft(question[:1000], "", []),
            action="",
            error=exc.localized(),
            status_code=exc.status,
        )
    draft = answers.Draft(question[:1000] or draft.question, draft.answer, draft.document_ids)
    return _form(request, db, principal, draft, action="/reponses-validees/nouvelle", output_id=sortie)


def _draft(question: str, answer: str, documents: list[str], days: str) -> answers.Draft:
    return answers.Draft(question, answer, documents, answers.validity_days(days))


@router.post("/nouvelle", response_class=HTMLResponse)
def create(
    request: Request,
    principal: Reviewer,
    db: Db,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    documents: Annotated[list[str] | None, Form()] = None,
    days: Annotated[str, Form()] = str(answers.DEFAULT_VALIDITY_DAYS),
    output_id: Annotated[str, Form()] = "",
) -> Response:

    def save() -> None:
        if output_id:
            answers.promotable(db, output_id)
        answers.create(
            db,
            db.merge(principal.tenant),
            _draft(question, answer, documents or [], days),
            actor=principal.user.id,
            output_id=output_id or None,
        )

    return saved_or_shown_again(
        db,
        save,
        then="/reponses-validees",
        again=lambda error, status: _form(
            request,
            db,
            principal,
            answers.Draft(question, answer, documents or []),
            action="/reponses-validees/nouvelle",
            output_id=output_id,
            error=error,
            status_code=status,
        ),
    )


@router.get("/{answer_id}", response_class=HTMLResponse)
def edit_page(request: Request, principal: Reviewer, db: Db, answer_id: str) -> HTMLResponse:
    found = answers.get(db, answer_id)
    draft = answers.Draft(found.question, found.answer, [s["document_id"] for s in found.sources])
    context_action = f"/reponses-validees/{found.id}"
    return _form(request, db, principal, draft, action=context_action)


@router.post("/{answer_id}", response_class=HTMLResponse)
def edit(
    request: Request,
    principal: Reviewer,
    db: Db,
    answer_id: str,
    question: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    documents: Annotated[list[str] | None, Form()] = None,
    days: Annotated[str, Form()] = str(answers.DEFAULT_VALIDITY_DAYS),
) -> Response:
    answers.get(db, answer_id)
    return saved_or_shown_again(
        db,
        lambda: answers.edit(
            db,
            db.merge(principal.tenant),
            answer_id,
            _draft(question, answer, documents or [], days),
            actor=principal.user.id,
        ),
        then="/reponses-validees",
        again=lambda error, status: _form(
            request,
            db,
            principal,
            answers.Draft(question, answer, documents or []),
            action=f"/reponses-validees/{answer_id}",
            error=error,
            status_code=status,
        ),
    )


@router.post("/{answer_id}/revalider")
def revalidate(principal: Reviewer, db: Db, answer_id: str) -> RedirectResponse:
    """The reviewer checked the answer against its sources as they are today."""
    answers.revalidate(db, answer_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/reponses-validees", status_code=303)
