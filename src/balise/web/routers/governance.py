"""Governance workspace, register side (G1, G4, P3): the AI system register, each system's roles,
and its impact assessments. Managers edit; privacy officers read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import governance as gov
from balise.db import Session
from balise.errors import NotFound
from balise.governance import service
from balise.governance.assessment import OUTSIDE_QUEBEC_CHECKLIST, PRIVACY_CHECKLIST
from balise.governance.gates import MoveRefused, missing_for
from balise.governance.hosting import HOSTING_LABELS
from balise.governance.models import STATUS_LABELS
from balise.governance.register import TEXT_FIELDS
from balise.governance.vendors import list_vendors
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])


READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)


def _common() -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "hosting_labels": HOSTING_LABELS, "level_names": gov.LEVEL_NAMES}


@router.get("/registre", response_class=HTMLResponse)
def register_page(
    request: Request, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    systems = service.staff_register(db, principal.tenant, actor=principal.user.id)
    return render(
        request,
        "governance/register.html",
        {
            **_common(),
            "systems": systems,
            "latest": service.latest_assessments(db),
            "can_edit": principal.has(Role.MANAGER),
            "public_url": f"/public/{principal.tenant.slug}/transparence",
        },
    )


def _system_page(
    request: Request,
    db: Session,
    principal: Principal,
    system: gov.AISystem | None,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    values = form or ({name: getattr(system, name) for name in (*TEXT_FIELDS, "status")} if system else {})
    if system is not None and form is None:
        values.update(
            published=system.published,
            start_date=system.start_date.isoformat() if system.start_date else "",
            end_date=system.end_date.isoformat() if system.end_date else "",
            responsible_user_id=system.responsible_user_id or "",
            vendor_assessment_id=system.vendor_assessment_id or "",
            no_vendor=system.no_vendor,
        )
    return render(
        request,
        "governance/system.html",
        {
            **_common(),
            "system": system,
            "values": values,
            "error": error,
            "notice": notice,
            "roles": gov.roles_of(db, system.id) if system else [],
            "missing_roles": gov.missing_roles(db, system.id) if system else [],
            "role_kinds": gov.ROLE_KINDS,
            "assessments": service.history(db, system.id) if system else [],
            "people": service.staff(db, principal.tenant.id),
            "vendors": list_vendors(db),
            "gate": missing_for(db, system) if system else [],
            "refused": status_code == MoveRefused.status,
            "can_edit": principal.has(Role.MANAGER),
        },
        status_code=status_code,
    )


@router.get("/registre/nouveau", response_class=HTMLResponse)
def new_system(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _system_page(request, db, principal, None, form={"status": "planned", "published": True})


@router.post("/registre/nouveau", response_model=None)
async def create_system(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: gov.save_system(db, principal.tenant.id, form, actor=principal.user.id),
        then=lambda system: f"/gouvernance/registre/{system.id}?enregistre=1",
        again=lambda error, status: _system_page(
            request, db, principal, None, form=form, error=error, status_code=status
        ),
    )


@router.get("/registre/{system_id}", response_class=HTMLResponse)
def system_page(
    request: Request,
    system_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = gettext_("The record was saved.") if enregistre else ""
    return _system_page(request, db, principal, gov.get_system(db, system_id), notice=notice)


@router.post("/registre/{system_id}", response_model=None)
async def update_system(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    system = gov.get_system(db, system_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: gov.save_system(db, principal.tenant.id, form, actor=principal.user.id, system=system),
        then=f"/gouvernance/registre/{system_id}?enregistre=1",
        again=lambda error, status: _system_page(
            request, db, principal, gov.get_system(db, system_id), form=form, error=error, status_code=status
        ),
    )


@router.post("/registre/{system_id}/roles", response_model=None)
async def add_role(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    system = gov.get_system(db, system_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: gov.add_role(
            db,
            system,
            role=str(form.get("role", "")),
            person=str(form.get("person", "")),
            user_id=str(form.get("user_id", "")) or None,
            duties=str(form.get("duties", "")),
            actor=principal.user.id,
        ),
        then=f"/gouvernance/registre/{system_id}#roles",
        again=lambda error, status: _system_page(
            request, db, principal, gov.get_system(db, system_id), error=error, status_code=status
        ),
    )


@router.post("/registre/{system_id}/roles/{role_id}/retirer", response_model=None)
def remove_role(
    system_id: str, role_id: str, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    gov.remove_role(db, gov.get_system(db, system_id), role_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"/gouvernance/registre/{system_id}#roles", status_code=303)


def _assessment_page(
    request: Request,
    system: gov.AISystem,
    answers: dict[str, Any],
    checked: set[str],
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "governance/assessment.html",
        {
            **_common(),
            "system": system,
            "impact": gov.IMPACT_QUESTIONS,
            "mitigation": gov.MITIGATION_QUESTIONS,
            "privacy": gov.privacy_items(system),
            "outside_quebec": gov.leaves_quebec(system.hosting),
            "answers": answers,
            "checked": checked,
            "error": error,
            "max_impact": gov.MAX_IMPACT,
            "max_mitigation": gov.MAX_MITIGATION,
        },
        status_code=status_code,
    )


@router.get("/registre/{system_id}/evaluation", response_class=HTMLResponse)
def assessment_form(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    system = gov.get_system(db, system_id)
    previous = service.history(db, system_id)
    answers = dict(previous[0].answers) if previous else gov.suggested_answers(system)
    checked = {k for k, v in previous[0].privacy.items() if v} if previous else set()
    return _assessment_page(request, system, answers, checked)


@router.post("/registre/{system_id}/evaluation", response_model=None)
async def save_assessment(
    request: Request,
    system_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    system = gov.get_system(db, system_id)
    form = await form_of(request)
    privacy = form.pop("privacy", [])
    checked = set(privacy if isinstance(privacy, list) else [privacy] if privacy else [])
    answers = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    return saved_or_shown_again(
        db,
        lambda: gov.save_assessment(db, system, answers, checked, actor=principal.user.id),
        then=lambda saved: f"/gouvernance/registre/{system_id}/evaluation/{saved.version}",
        again=lambda error, status: _assessment_page(
            request, gov.get_system(db, system_id), answers, checked, error=error, status_code=status
        ),
    )


@router.get("/registre/{system_id}/evaluation/{version}", response_class=HTMLResponse)
def assessment_result(
    request: Request,
    system_id: str,
    version: int,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    system = gov.get_system(db, system_id)
    found = next((a for a in service.history(db, system_id) if a.version == version), None)
    if found is None:
        raise NotFound("This version of the assessment does not exist. Go back to the system's page.")
    items = dict(PRIVACY_CHECKLIST + OUTSIDE_QUEBEC_CHECKLIST)
    return render(
        request,
        "governance/assessment_result.html",
        {
            **_common(),
            "system": system,
            "assessment": found,
            "score": gov.score_of(found),
            "max_impact": gov.MAX_IMPACT,
            "max_mitigation": gov.MAX_MITIGATION,
            "privacy_items": [(key, items.get(key, key), done) for key, done in found.privacy.items()],
        },
    )
