"""The conformity view for managers and the council (G12): every requirement, its control, its
status and live evidence, as a page, a printable report, JSON (the CLI's contract) and Word."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from balise.db import Session
from balise.governance import STATUS_LABELS, as_json, service
from balise.governance.report import conformity_docx
from balise.tenancy import Role
from balise.web.deps import Principal, tenant_db
from balise.web.forms import require_any
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])
READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/conformite", response_model=None)
def conformity_page(
    request: Request,
    format: str = "html",
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> Response:
    rows = service.conformity_rows(db, principal.tenant)
    db.commit()
    if format == "json":
        return JSONResponse(as_json(rows))
    if format == "docx":
        return Response(
            conformity_docx(principal.tenant, rows),
            media_type=DOCX,
            headers={
                "Content-Disposition": f'attachment; filename="conformite-{principal.tenant.slug}.docx"'
            },
        )
    template = "governance/conformity_report.html" if format == "rapport" else "governance/conformity.html"
    return render(
        request,
        template,
        {
            "rows": rows,
            "counts": Counter(r.status for r in rows),
            "status_labels": STATUS_LABELS,
            "today": service.today(),
            "usage": service.recent_usage(db),
        },
    )
