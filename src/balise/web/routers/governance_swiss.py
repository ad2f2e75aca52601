"""Swiss data protection (L2): the register of processing activities (nLPD art. 12), its exports, and
each AI system's data-protection impact assessment (nLPD art. 22). Managers and privacy officers edit.

The pages answer for a Quebec municipality too, saying that the Swiss instruments apply once the
jurisdiction is set to Switzerland on the privacy settings page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import governance as gov
from balise.db import Session
from balise.errors import Invalid
from balise.governance import dpia, processing
from balise.governance.processing_export import register_html
from balise.i18n import gettext_, ngettext_
from balise.tenancy import Role
from balise.tenancy.jurisdiction import jurisdiction_of
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])

EDITORS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
BASE = "/gouvernance/traitements"


def _system_names(db: Session) -> dict[str, str]:
    return {system.id: system.name for system in gov.list_systems(db)}


@router.get("/traitements", response_class=HTMLResponse)
def register_page(
    request: Request,
    ajoutes: int = -1,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    names = _system_names(db)
    activities = processing.list_activities(db)
    named = {a.system_id for a in activities if a.system_id}
    notice = (
        ngettext_(
            "{n} entry was written from the register.", "{n} entries were written from the register.", ajoutes
        ).format(n=ajoutes)
        if ajoutes >= 0
        else ""
    )
    return render(
        request,
        "governance/processing_register.html",
        {
            "jurisdiction": jurisdiction_of(principal.tenant),
            "activities": [(a, processing.missing_of(a)) for a in activities],
            "system_names": names,
            "unregistered": [(sid, name) for sid, name in names.items() if sid not in named],
            "notice": notice,
        },
    )


@router.post("/traitements/preremplir", response_model=None)
def prefill(principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)) -> Response:
    """One entry per AI system not in the register yet, from what Balise knows of it."""
    count = processing.prefill(db, principal.tenant, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"{BASE}?ajoutes={count}", status_code=303)


@router.get("/traitements/export", response_model=None)
def export(
    format: str = "csv",
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    if format not in ("csv", "html"):
        raise Invalid("Choose an export format: csv or html.")
    activities = processing.list_activities(db)
    names = _system_names(db)
    filename = f"registre-traitements-{principal.tenant.slug}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "csv":
        body, media_type = processing.register_csv(activities, names), "text/csv; charset=utf-8"
    else:
        body, media_type = register_html(principal.tenant, activities, names), "text/html; charset=utf-8"
    return Response(body, media_type=media_type, headers=disposition)


def _activity_page(
    request: Request,
    db: Session,
    activity: Any,
    values: dict[str, Any],
    *,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "governance/processing_activity.html",
        {
            "activity": activity,
            "values": values,
            "fields": processing.FIELDS,
            "missing": processing.missing_of(activity) if activity is not None else [],
            "systems": gov.list_systems(db),
            "error": error,
            "notice": notice,
        },
        status_code=status_code,
    )


def _values(activity: Any) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in (*processing.FIELDS, "system_id")}


@router.get("/traitements/nouveau", response_class=HTMLResponse)
def new_activity(
    request: Request,
    systeme: str = "",
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """An empty entry, or one started from what Balise knows of the AI system named in ``systeme``."""
    values = processing.suggested(db, principal.tenant, gov.get_system(db, systeme)) if systeme else {}
    return _activity_page(request, db, None, values)


@router.post("/traitements/nouveau", response_model=None)
async def create_activity(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: processing.save_activity(db, principal.tenant.id, form, actor=principal.user.id),
        then=lambda activity: f"{BASE}/{activity.id}?enregistre=1",
        again=lambda error, status: _activity_page(request, db, None, form, error=error, status_code=status),
    )


@router.get("/traitements/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request,
    activity_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    activity = processing.get_activity(db, activity_id)
    notice = gettext_("The processing activity was saved.") if enregistre else ""
    return _activity_page(request, db, activity, _values(activity), notice=notice)


@router.post("/traitements/{activity_id}", response_model=None)
async def update_activity(
    request: Request,
    activity_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    processing.get_activity(db, activity_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: processing.save_activity(
            db, principal.tenant.id, form, actor=principal.user.id, activity_id=activity_id
        ),
        then=f"{BASE}/{activity_id}?enregistre=1",
        again=lambda error, status: _activity_page(
            request, db, processing.get_activity(db, activity_id), form, error=error, status_code=status
        ),
    )


def _dpia_page(
    request: Request,
    db: Session,
    principal: Principal,
    system: gov.AISystem,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    found = dpia.dpia_of(db, system.id)
    if form is not None:
        values = form
    elif found is not None:
        values = {
            n: getattr(found, n) for n in (*dpia.TEXT_FIELDS, "high_risk", "residual_risk", "consultation")
        }
    else:
        values = dpia.suggested(system)
    return render(
        request,
        "governance/dpia.html",
        {
            "system": system,
            "jurisdiction": jurisdiction_of(principal.tenant),
            "values": values,
            "missing": dpia.missing_of(found),
            "consultation_needed": dpia.consultation_needed(found),
            "text_fields": dpia.TEXT_FIELDS,
            "high_risk_choices": dpia.HIGH_RISK,
            "residual_choices": dpia.RESIDUAL,
            "labels": {
                "high_risk": dpia.HIGH_RISK_LABEL,
                "residual": dpia.RESIDUAL_LABEL,
                "consultation": dpia.CONSULTATION_LABEL,
            },
            "error": error,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/registre/{system_id}/aipd", response_class=HTMLResponse)
def dpia_page(
    request: Request,
    system_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = gettext_("The impact assessment was saved.") if enregistre else ""
    return _dpia_page(request, db, principal, gov.get_system(db, system_id), notice=notice)


@router.post("/registre/{system_id}/aipd", response_model=None)
async def save_dpia(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    system = gov.get_system(db, system_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: dpia.save_dpia(db, system, form, actor=principal.user.id),
        then=f"/gouvernance/registre/{system_id}/aipd?enregistre=1",
        again=lambda error, status: _dpia_page(
            request, db, principal, gov.get_system(db, system_id), form=form, error=error, status_code=status
        ),
    )
