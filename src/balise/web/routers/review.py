"""Human review pages: my results, the reviewer queue, the review page, exports and notifications."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from balise import audit, review
from balise.assistant.output_trace import has_trace, output_trace
from balise.assistant.tracing import FIXES
from balise.db import Session
from balise.errors import BaliseError, Invalid
from balise.i18n import N_
from balise.review import Output, Purpose
from balise.tenancy import Role
from balise.tenancy.people import display_names
from balise.web.deps import Principal, current_principal, require, tenant_db
from balise.web.forms import saved_or_shown_again
from balise.web.templating import render

router = APIRouter(tags=["review"])

TASK_LABELS = {
    "ask": N_("Answer"),
    "summarise": N_("Summary"),
    "draft": N_("Drafted text"),
    "revise": N_("Revised text"),
}
DECISIONS = {
    "approve": review.approve,
    "request_changes": review.request_changes,
    "reject": review.reject,
}


REVIEW_LABELS = {
    "purpose": review.PURPOSE_LABELS,
    "status": review.STATUS_LABELS,
    "task": TASK_LABELS,
    "notification": review.NOTIFICATION_LABELS,
}


def page_context(request: Request) -> dict[str, Any]:
    """What every page shows of review: its labels, and the signed-in person's unread notifications
    for the badge, counted in the request's own session."""
    context: dict[str, Any] = {"review_labels": REVIEW_LABELS}
    principal = getattr(request.state, "principal", None)
    db: Session | None = getattr(request.state, "db", None)
    if principal is not None and db is not None and db.is_active:
        context["unread_notifications"] = review.unread_count(db, principal.user.id)
    return context


def _output_context(db: Session, principal: Principal, output: Output) -> dict[str, Any]:
    comments = review.comments_of(db, output)
    names = display_names(db, {output.author_id, output.reviewer_id} | {c.author_id for c in comments})
    try:
        review.ensure_exportable(output, principal.tenant)
        export_refusal = ""
    except review.NotApproved as exc:
        export_refusal = exc.localized()
    return {
        "output": output,
        "comments": comments,
        "names": names,
        "disclosure": review.disclosure_for(principal.tenant, output),
        "notices": (
            [(review.notice_title(lang), review.notice_text(output.notice, lang)) for lang in ("fr", "en")]
            if output.purpose == Purpose.DECISION and output.notice
            else []
        ),
        "overdue": review.is_overdue(output),
        "export_refusal": export_refusal,
        "is_author": output.author_id == principal.user.id,
        "diff": review.word_diff(output.submitted_text, output.text) if output.submitted_text else [],
        "edited": bool(output.submitted_text) and output.submitted_text != output.text,
        "titles": review.title_hints(output),
    }


def _output_page(
    request: Request,
    db: Session,
    principal: Principal,
    output: Output,
    *,
    error: str = "",
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = _output_context(db, principal, output)
    context.update(
        error=error,
        form=form or {},
        reviewers=review.reviewers(db, principal.tenant.id, excluding=output.author_id),
        purposes=list(Purpose),
        today=date.today().isoformat(),
    )
    return render(request, "review/output.html", context, status_code=status_code)


@router.get("/resultats", response_class=HTMLResponse)
def my_outputs(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    outputs = review.outputs_of(db, principal.user.id)
    overdue = {o.id for o in outputs if review.is_overdue(o)}
    return render(request, "review/my_outputs.html", {"outputs": outputs, "overdue": overdue})


@router.get("/resultats/{output_id}", response_class=HTMLResponse)
def output_page(
    output_id: str,
    request: Request,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    return _output_page(request, db, principal, output)


def _due(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid("The due date is not a valid date. Use the format YYYY-MM-DD.") from exc


@router.post("/resultats/{output_id}/soumettre", response_model=None)
def submit_output(
    output_id: str,
    request: Request,
    purpose: Annotated[str, Form()] = "",
    due_date: Annotated[str, Form()] = "",
    reviewer_id: Annotated[str, Form()] = "",
    information_used: Annotated[str, Form()] = "",
    main_factors: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> Response:
    """Submit for review; a refused submission shows the form again with the reason and the typed values."""
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    notice = {"information_used": information_used, "main_factors": main_factors, "contact": contact}
    try:
        review.submit(
            db,
            output,
            actor_id=principal.user.id,
            purpose=purpose,
            due_date=_due(due_date),
            reviewer_id=reviewer_id or None,
            notice=notice,
        )
    except BaliseError as exc:
        db.rollback()
        output = review.visible_output(db, output_id, principal.user.id, principal.role)
        form = {"purpose": purpose, "due_date": due_date, "reviewer_id": reviewer_id, **notice}
        return _output_page(
            request, db, principal, output, error=exc.localized(), form=form, status_code=exc.status
        )
    db.commit()
    return RedirectResponse(f"/resultats/{output.id}?soumis=1", status_code=303)


@router.post("/resultats/{output_id}/texte")
def edit_output(
    output_id: str,
    text: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    """The author edits a draft; a reviewer edits a submitted text and goes back to the review page."""
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    review.edit_text(db, output, actor=principal.user, role=principal.role, text=text.replace("\r\n", "\n"))
    db.commit()
    return _back_to(principal, output)


@router.post("/resultats/{output_id}/temps-gagne", response_model=None)
def time_saved(
    request: Request,
    output_id: str,
    minutes: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> Response:
    """« How much time did this save you? », answered by the author after the task."""
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    return saved_or_shown_again(
        db,
        lambda: review.report_minutes_saved(db, output, actor_id=principal.user.id, minutes=minutes),
        then=f"/resultats/{output.id}?temps=1#temps-gagne",
        again=lambda error, status: _output_page(
            request, db, principal, output, error=error, status_code=status
        ),
    )


@router.post("/resultats/{output_id}/commentaires")
def comment_output(
    output_id: str,
    body: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> RedirectResponse:
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    review.add_comment(db, output, actor=principal.user, role=principal.role, body=body)
    db.commit()
    return _back_to(principal, output, "#commentaires")


def _back_to(principal: Principal, output: review.Output, anchor: str = "") -> RedirectResponse:
    """After an edit or a comment: the author returns to their output, a reviewer to the review page."""
    target = "resultats" if output.author_id == principal.user.id else "revision"
    return RedirectResponse(f"/{target}/{output.id}{anchor}", status_code=303)


def _exportable(
    db: Session, principal: Principal, output_id: str, fmt: str
) -> tuple[Output, review.Disclosure]:
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    review.ensure_exportable(output, principal.tenant)
    review.record_export(db, output, actor_id=principal.user.id, fmt=fmt)
    db.commit()
    return output, review.disclosure_for(principal.tenant, output)


@router.get("/resultats/{output_id}/export.md")
def export_markdown(
    output_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Response:
    """Markdown with YAML front matter; refused (409) while a required approval is missing."""
    output, disclosure = _exportable(db, principal, output_id, "markdown")
    return Response(
        review.export_markdown(output, disclosure),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="balise-{output.id}.md"'},
    )


@router.get("/resultats/{output_id}/export.docx")
def export_docx(
    output_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Response:
    """Word document with the mention and custom properties; refused (409) while approval is missing."""
    output, disclosure = _exportable(db, principal, output_id, "docx")
    return Response(
        review.export_docx(output, disclosure),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="balise-{output.id}.docx"'},
    )


@router.get("/revision", response_class=HTMLResponse)
def review_queue(
    request: Request,
    principal: Principal = Depends(require(Role.REVIEWER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    outputs = review.review_queue(db, principal.user.id)
    return render(
        request,
        "review/queue.html",
        {
            "outputs": outputs,
            "overdue": {o.id for o in outputs if review.is_overdue(o)},
            "names": display_names(db, {o.author_id for o in outputs}),
        },
    )


@router.get("/revision/{output_id}", response_class=HTMLResponse)
def review_page(
    output_id: str,
    request: Request,
    principal: Principal = Depends(require(Role.REVIEWER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    context = {**_output_context(db, principal, output), "traced": has_trace(db, output)}
    return render(request, "review/review.html", context)


@router.get("/revision/{output_id}/trace", response_class=HTMLResponse)
def answer_trace(
    output_id: str,
    request: Request,
    principal: Principal = Depends(require(Role.REVIEWER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """How ask reached an answer under review (P4): where it went wrong, and what fixes it."""
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    trace = output_trace(db, output)
    names = display_names(db, {trace.rejection.author_id} if trace.rejection else set())
    return render(request, "review/trace.html", {"trace": trace, "fixes": FIXES, "names": names})


@router.post("/revision/{output_id}/decision", response_model=None)
def decide(
    output_id: str,
    request: Request,
    decision: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.REVIEWER)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Approve, request changes or reject; a refused decision shows the page again with the reason."""
    output = review.visible_output(db, output_id, principal.user.id, principal.role)
    action = DECISIONS.get(decision)
    try:
        if action is None:
            raise Invalid("Choose a decision: approve, request changes or reject.")
        action(db, output, reviewer=principal.user, role=principal.role, comment=comment)
    except BaliseError as exc:
        db.rollback()
        output = review.visible_output(db, output_id, principal.user.id, principal.role)
        context = _output_context(db, principal, output)
        context.update(error=exc.localized(), comment=comment)
        return render(request, "review/review.html", context, status_code=exc.status)
    db.commit()
    return RedirectResponse(f"/revision/{output.id}?decide=1", status_code=303)


@router.get("/notifications", response_class=HTMLResponse)
def notifications(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    items = review.notifications_of(db, principal.user.id)
    return render(request, "review/notifications.html", {"notifications": items})


@router.post("/notifications/lues")
def mark_read(
    principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    count = review.mark_all_read(db, principal.user.id)
    audit.record(
        db,
        "notifications.read",
        actor=principal.user.id,
        tenant_id=principal.tenant.id,
        target_type="user",
        target_id=principal.user.id,
        details={"count": count},
    )
    db.commit()
    return RedirectResponse("/notifications", status_code=303)
