"""The AI maturity self-assessment page for managers (G5): the form with each dimension's described
levels, the chart and its table, the history, and next steps for the two weakest dimensions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from balise.db import Session
from balise.survey.maturity import DIMENSIONS, history, maturity_chart, save_assessment, weakest
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance/maturite", tags=["governance"])
MANAGERS = require_any(Role.MANAGER)


def _page(
    request: Request,
    db: Session,
    form: dict[str, object] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    assessments = history(db)
    latest = assessments[-1] if assessments else None
    return render(
        request,
        "survey/maturity.html",
        {
            "dimensions": DIMENSIONS,
            "assessments": assessments,
            "chart": maturity_chart(assessments) if assessments else None,
            "weakest": weakest(latest) if latest else [],
            "values": form or (latest.levels if latest else {}),
            "error": error,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def maturity_page(
    request: Request, _p: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _page(request, db)


@router.post("", response_model=None)
async def assess(
    request: Request, principal: Principal = Depends(MANAGERS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: save_assessment(db, principal.tenant, form, actor=principal.user.id),
        then="/gouvernance/maturite#resultat",
        again=lambda error, status: _page(request, db, form, error, status),
    )
