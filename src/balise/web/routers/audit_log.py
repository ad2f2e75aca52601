"""The audit journal of the municipality, for administrators and the privacy officer."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise import audit
from balise.db import Session
from balise.documents.library import readable_documents
from balise.tenancy import Role, member_names
from balise.web.deps import PageNumber, Principal, get_db, require
from balise.web.templating import render

router = APIRouter(prefix="/journal", tags=["audit"])


@router.get("", response_class=HTMLResponse)
def audit_page(
    request: Request,
    page: PageNumber = 1,
    principal: Principal = Depends(require(Role.PRIVACY_OFFICER)),
    db: Session = Depends(get_db),
) -> HTMLResponse:
    """The tenant's latest events, and whether the whole chain is intact."""
    page = max(page, 1)
    entries = audit.latest_entries(db, principal.tenant.id, page=page, per_page=50)
    people, documents = audit.ids_to_name(entries)
    names = member_names(db, principal.tenant.id, people)
    names.update({d.id: d.title for d in readable_documents(db, sorted(documents))})
    breaks = audit.verify(db)
    return render(
        request,
        "audit/list.html",
        {"entries": [audit.shown(e, names) for e in entries], "intact": not breaks, "page": page},
    )
