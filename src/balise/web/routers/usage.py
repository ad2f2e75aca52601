"""Quotas and consumption of the AI tools (issue 26): administrators set quotas and budgets per person,
service and municipality (``/admin/quotas``); managers read who used what, with which tool and model,
and export it (``/gouvernance/consommation``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from balise import review
from balise.db import Session
from balise.errors import BaliseError
from balise.gateway.adoption import adoption
from balise.gateway.consumption import DIMENSION_LABELS, TASK_LABELS, consumption, consumption_csv, period
from balise.gateway.quota_settings import (
    SCOPE_LABELS,
    default_currency,
    members,
    quota_views,
    remove_quota,
    save_quota,
    services,
)
from balise.gateway.registry import CURRENCIES
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, require, tenant_db
from balise.web.templating import render

router = APIRouter(tags=["usage"])


class QuotaForm(BaseModel):
    """The quota form; limits stay text so that a wrong one is answered in French, field named."""

    scope: str = "person"
    user_id: str = ""
    service: str = ""
    requests_per_minute: str = ""
    tokens_per_day: str = ""
    money_per_month: str = ""
    currency: str = ""


def _quotas_page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    form: QuotaForm | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    shown = form or QuotaForm(currency=default_currency(db, principal.tenant))
    return render(
        request,
        "usage/quotas.html",
        {
            "quotas": quota_views(db, principal.tenant.id),
            "members": members(db, principal.tenant.id),
            "services": services(db, principal.tenant.id),
            "scope_labels": SCOPE_LABELS,
            "currencies": CURRENCIES,
            "form": shown.model_dump(),
            "error": error,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/admin/quotas", response_class=HTMLResponse)
def quotas_page(
    request: Request, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    """The quotas and budgets in force, and the form to set one."""
    return _quotas_page(request, db, principal)


@router.post("/admin/quotas", response_class=HTMLResponse)
def save(
    request: Request,
    form: Annotated[QuotaForm, Form()],
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Sets a person's, a service's or the municipality's quota; a refused form comes back filled in."""
    try:
        save_quota(db, principal.tenant.id, **form.model_dump(), actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _quotas_page(request, db, principal, form=form, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _quotas_page(request, db, principal, notice=gettext_("The quota was saved."))


@router.post("/admin/quotas/{quota_id}/retirer")
def remove(
    quota_id: str, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    remove_quota(db, principal.tenant.id, quota_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/admin/quotas", status_code=303)


@router.get("/gouvernance/consommation", response_model=None)
def consumption_page(
    request: Request,
    debut: str = "",
    fin: str = "",
    format: str = "html",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Requests, tokens, cost and energy by person, service, tool, model and task, and adoption week by
    week, over a period (this month by default); ``?format=csv`` exports them."""
    error = ""
    try:
        start, end = period(debut, fin)
    except BaliseError as exc:
        error = exc.localized()
        start, end = period("", "")
    report = consumption(db, start, end)
    if format == "csv" and not error:
        name = f"consommation-ia-{principal.tenant.slug}-{start.isoformat()}-{end.isoformat()}.csv"
        return Response(
            consumption_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return render(
        request,
        "usage/consumption.html",
        {
            "report": report,
            "adoption": adoption(db, start, end),
            "time_saved": review.time_saved_by_task(db, start, end),
            "task_labels": TASK_LABELS,
            "dimension_labels": DIMENSION_LABELS,
            "error": error,
        },
        status_code=422 if error else 200,
    )
