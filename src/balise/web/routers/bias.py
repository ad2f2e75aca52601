"""The bias probes' runs for managers (P5, P7): what each probe found, with its figures as tables."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise.assistant import DEFAULTS as TEMPLATES
from balise.db import Session
from balise.evaluation.bias import (
    BIAS_TYPE_LABELS,
    COMPARISON_LABELS,
    GROUP_LABELS,
    METRIC_LABELS,
    PROBE_LABELS,
    REQUEST_LABELS,
    shown_runs,
)
from balise.tenancy import Role
from balise.web.deps import Principal, require, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance", tags=["governance"])


@router.get("/biais", response_class=HTMLResponse)
def bias_page(
    request: Request,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return render(
        request,
        "governance/bias.html",
        {
            "shown": shown_runs(db),
            "slug": principal.tenant.slug,
            "probe_labels": PROBE_LABELS,
            "comparison_labels": COMPARISON_LABELS,
            "group_labels": GROUP_LABELS,
            "metric_labels": METRIC_LABELS,
            "request_labels": REQUEST_LABELS,
            "bias_type_labels": BIAS_TYPE_LABELS,
            "template_labels": {kind: template.label for kind, template in TEMPLATES.items()},
        },
    )
