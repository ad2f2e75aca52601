"""The strategic roadmap (G14) and the resource persons (G18): managers edit, privacy officers read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise.db import Session
from balise.governance import roadmap, service
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance/feuille-de-route", tags=["governance"])

READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)


def _page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    error: str = "",
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "steps": roadmap.steps(db),
        "status_labels": roadmap.STATUS_LABELS,
        "people": service.staff(db, principal.tenant.id),
        "resource_persons": roadmap.resource_persons(db),
        "can_edit": principal.has(Role.MANAGER),
        "error": error,
        "form": form or {},
    }
    return render(request, "governance/roadmap.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def roadmap_page(
    request: Request, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _page(request, db, principal)


@router.post("/etapes/{step}", response_model=None)
async def save_step(
    request: Request, step: str, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: roadmap.save_step(db, principal.tenant.id, step, form, actor=principal.user.id),
        then=f"/gouvernance/feuille-de-route#etape-{step}",
        again=lambda error, status: _page(request, db, principal, error=error, status_code=status),
    )


@router.post("/personnes-ressources", response_model=None)
async def add_person(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: roadmap.add_resource_person(db, principal.tenant.id, form, actor=principal.user.id),
        then="/gouvernance/feuille-de-route#personnes-ressources",
        again=lambda error, status: _page(request, db, principal, error=error, form=form, status_code=status),
    )


@router.post("/personnes-ressources/{person_id}/retirer", response_model=None)
def remove_person(
    person_id: str, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    roadmap.remove_resource_person(db, principal.tenant.id, person_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/gouvernance/feuille-de-route#personnes-ressources", status_code=303)
