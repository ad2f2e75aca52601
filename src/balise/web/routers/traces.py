"""The trace page of a resident's answer, for reviewers (P4): why it went wrong, what to fix, and
the same question asked again once fixed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise.assistant.tracing import FIXES
from balise.citizen.tracing import Trace, exchange_trace, rerun
from balise.db import Session
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import require_any
from balise.web.templating import render

router = APIRouter(prefix="/citoyens/echanges", tags=["citizen staff"])

Reviewer = Annotated[Principal, Depends(require_any(Role.REVIEWER, Role.MANAGER))]
"""Reviewers, who keep the validated answers, and managers, who curate the library."""
Db = Annotated[Session, Depends(tenant_db)]


def _page(request: Request, trace: Trace, again: Trace | None = None, answer: str = "") -> HTMLResponse:
    context = {"trace": trace, "again": again, "again_answer": answer, "fixes": FIXES}
    return render(request, "citizen/trace.html", context)


@router.get("/{exchange_id}/trace", response_class=HTMLResponse)
def trace_page(request: Request, principal: Reviewer, db: Db, exchange_id: str) -> HTMLResponse:
    return _page(request, exchange_trace(db, exchange_id))


@router.post("/{exchange_id}/relancer", response_class=HTMLResponse)
def rerun_page(request: Request, principal: Reviewer, db: Db, exchange_id: str) -> HTMLResponse:
    """Asks the masked question again as a resident would today, beside the original trace."""
    again, answer = rerun(db, db.merge(principal.tenant), exchange_id)
    db.commit()  # the audit entries of the new ask
    return _page(request, exchange_trace(db, exchange_id), again, answer)
