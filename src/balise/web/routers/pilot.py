"""The pilot measurement (G15, G20) and the interim review (Valais guide step 6; G19): managers map
the pilot's processes, write the review's challenges, export it, and draft, approve and publish its
communications to staff and residents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from balise import exports
from balise.assistant import Requester
from balise.db import Session
from balise.errors import Invalid
from balise.pilot import communications, export, processes, report
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])

MANAGERS = require_any(Role.MANAGER)
FORMATS = exports.FORMATS


def _processes_page(
    request: Request,
    db: Session,
    *,
    error: str = "",
    form: dict[str, Any] | None = None,
    editing: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    measured = processes.processes(db)
    context = {
        "processes": measured,
        "totals": processes.totals(measured),
        "figures": report.own_figures(db),
        "error": error,
        "form": form or {},
        "editing": editing,
        "saved": request.query_params.get("enregistre") == "1",
    }
    return render(request, "pilot/processes.html", context, status_code=status_code)


@router.get("/processus", response_class=HTMLResponse)
def processes_page(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _processes_page(request, db)


@router.post("/processus", response_model=None)
async def add_process(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: processes.save_process(db, principal.tenant.id, form, actor=principal.user.id),
        then=lambda p: f"/gouvernance/processus?enregistre=1#processus-{p.id}",
        again=lambda error, status: _processes_page(request, db, error=error, form=form, status_code=status),
    )


@router.post("/processus/{process_id}", response_model=None)
async def save_process(
    request: Request,
    process_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: processes.save_process(
            db, principal.tenant.id, form, actor=principal.user.id, process_id=process_id
        ),
        then=f"/gouvernance/processus?enregistre=1#processus-{process_id}",
        again=lambda error, status: _processes_page(
            request, db, error=error, form=form, editing=process_id, status_code=status
        ),
    )


@router.post("/processus/{process_id}/retirer", response_model=None)
def remove_process(
    request: Request,
    process_id: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    return saved_or_shown_again(
        db,
        lambda: processes.remove_process(db, principal.tenant.id, process_id, actor=principal.user.id),
        then="/gouvernance/processus",
        again=lambda error, status: _processes_page(request, db, error=error, status_code=status),
    )


def _report_page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "report": report.interim_report(db, principal.tenant),
        "communications": communications.communications(db),
        "audiences": communications.AUDIENCES,
        "titles": communications.TITLES,
        "slugs": {audience: slug for slug, audience in communications.SLUGS.items()},
        "status_labels": communications.STATUS_LABELS,
        "hours": export.hours,
        "error": error,
        "saved": request.query_params.get("enregistre") == "1",
    }
    return render(request, "pilot/report.html", context, status_code=status_code)


@router.get("/bilan", response_class=HTMLResponse)
def report_page(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _report_page(request, db, principal)


@router.post("/bilan", response_model=None)
async def save_review(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: report.save_review(db, principal.tenant.id, form, actor=principal.user.id),
        then="/gouvernance/bilan?enregistre=1#defis",
        again=lambda error, status: _report_page(request, db, principal, error=error, status_code=status),
    )


@router.get("/bilan/export", response_model=None)
def export_report(
    format: str = "html", principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    if format not in FORMATS:
        raise Invalid("Choose an export format: html, docx or pdf.")
    found = report.interim_report(db, principal.tenant)
    writers = {"html": export.html_document, "docx": export.docx_document, "pdf": export.pdf_document}
    media_type, extension = FORMATS[format]
    return Response(
        writers[format](found),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="bilan-{principal.tenant.slug}.{extension}"'},
    )


@router.post("/bilan/communications/{audience}/{operation}", response_model=None)
async def communication(
    request: Request,
    audience: str,
    operation: str,
    principal: Principal = Depends(MANAGERS),
    db: Session = Depends(tenant_db),
) -> Response:
    """Saves, drafts from the report, approves or publishes one audience's communication."""
    form = await form_of(request)
    tenant_id, actor = principal.tenant.id, principal.user.id

    def act() -> object:
        key = communications.audience_of(audience)
        if operation == "enregistrer":
            return communications.save_communication(db, tenant_id, key, form, actor=actor)
        if operation == "rediger":
            found = report.interim_report(db, principal.tenant)
            writer = Requester(principal.tenant, actor, principal.classifications, tool="pilot")
            return communications.draft_from_report(db, tenant_id, key, found, actor=actor, writer=writer)
        if operation == "approuver":
            return communications.approve(db, tenant_id, key, actor=actor)
        if operation == "publier":
            return communications.publish(db, tenant_id, key, actor=actor)
        raise Invalid("This action is not one of a communication's. Go back to the interim review.")

    return saved_or_shown_again(
        db,
        act,
        then=f"/gouvernance/bilan?enregistre=1#communication-{audience}",
        again=lambda error, status: _report_page(request, db, principal, error=error, status_code=status),
    )
