"""The workers' heartbeats and the scheduled jobs, for administrators (issue 22)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise.db import Session
from balise.operations.workers import overview
from balise.tenancy import Role
from balise.web.deps import Principal, get_db, require
from balise.web.templating import render

router = APIRouter(tags=["operations"])


@router.get("/admin/travailleurs", response_class=HTMLResponse)
def workers_page(
    request: Request,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(get_db),
) -> HTMLResponse:
    """Which workers are alive, and when each recurring job last ran and runs next."""
    return render(request, "operations/workers.html", {"view": overview(db, principal.tenant.id)})
