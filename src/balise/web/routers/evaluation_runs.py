"""The evaluation pages for managers (P4, G7): the dashboard of each metric over time, a set with its
questions (by hand, imported, from residents' feedback, exported), and a run with its failed items."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from balise.assistant.tracing import FIXES
from balise.db import Session
from balise.errors import Invalid
from balise.evaluation.runs import (
    DEFAULTS,
    LABELS,
    METRICS,
    ItemDraft,
    add_from_feedback,
    add_items,
    create_set,
    export_set,
    get_set,
    grow_from_validated,
    import_items,
    set_thresholds,
)
from balise.evaluation.runs.alerts import AT_MOST
from balise.evaluation.runs.jobs import request_run
from balise.evaluation.runs.tracing import item_trace
from balise.evaluation.runs.views import (
    FAILURE_LABELS,
    ORIGIN_LABELS,
    TRIGGER_LABELS,
    dashboard,
    run_view,
    set_view,
)
from balise.i18n import gettext_, ngettext_
from balise.tenancy import Role
from balise.web.deps import Principal, require, tenant_db
from balise.web.forms import saved_or_shown_again
from balise.web.templating import render

router = APIRouter(prefix="/gouvernance/evaluation", tags=["governance"])
MAX_IMPORT_BYTES = 5 * 1024 * 1024
LABELLED = {
    "metric_labels": LABELS,
    "failure_labels": FAILURE_LABELS,
    "trigger_labels": TRIGGER_LABELS,
    "origin_labels": ORIGIN_LABELS,
    "metrics": METRICS,
    "at_most": AT_MOST,
}


def _dashboard(
    request: Request,
    db: Session,
    principal: Principal,
    jeu: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    view = dashboard(db, principal.tenant, jeu)
    return render(
        request,
        "evaluation/dashboard.html",
        {"view": view, "slug": principal.tenant.slug, "error": error, **LABELLED},
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    jeu: str = "",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _dashboard(request, db, principal, jeu)


@router.post("/jeux", response_model=None)
def new_set(
    request: Request,
    name: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "employee",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    return saved_or_shown_again(
        db,
        lambda: create_set(
            db, principal.tenant, name, description=description, role=role, actor=principal.user.id
        ),
        then=lambda eval_set: f"/gouvernance/evaluation/jeux/{eval_set.id}",
        again=lambda error, status: _dashboard(request, db, principal, error=error, status_code=status),
    )


@router.post("/seuils", response_model=None)
async def save_thresholds(
    request: Request, principal: Principal = Depends(require(Role.MANAGER)), db: Session = Depends(tenant_db)
) -> Response:
    form = await request.form()

    def save() -> None:
        values = {}
        for metric in DEFAULTS:
            raw = str(form.get(metric, "")).strip().replace(",", ".").rstrip("%").strip()
            if raw:
                try:
                    value = float(raw)
                except ValueError:
                    raise Invalid(
                        "“{value}” is not a number: write a threshold like 0.8.", value=raw
                    ) from None
                values[metric] = value if metric in AT_MOST or value <= 1 else value / 100
        set_thresholds(db, principal.tenant, values, actor=principal.user.id)

    return saved_or_shown_again(
        db,
        save,
        then="/gouvernance/evaluation#seuils",
        again=lambda error, status: _dashboard(request, db, principal, error=error, status_code=status),
    )


def _set_page(
    request: Request, db: Session, set_id: str, error: str = "", notice: str = "", status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "evaluation/set.html",
        {"view": set_view(db, set_id), "error": error, "notice": notice, **LABELLED},
        status_code=status_code,
    )


def _set_error(request: Request, db: Session, set_id: str) -> Callable[[str, int], Response]:
    """The set's page shown again with a user's error."""
    return lambda error, status: _set_page(request, db, set_id, error=error, status_code=status)


@router.get("/jeux/{set_id}", response_class=HTMLResponse)
def set_page(
    request: Request,
    set_id: str,
    _p: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _set_page(request, db, set_id)


@router.post("/jeux/{set_id}/questions", response_model=None)
def add_question(
    request: Request,
    set_id: str,
    question: Annotated[str, Form()] = "",
    sources: Annotated[str, Form()] = "",
    answer: Annotated[str, Form()] = "",
    abstain: Annotated[bool, Form()] = False,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    draft = ItemDraft(question, tuple(s.strip() for s in sources.split("|") if s.strip()), answer, abstain)
    return saved_or_shown_again(
        db,
        lambda: add_items(db, get_set(db, set_id), [draft], origin="manual", actor=principal.user.id),
        then=lambda _items: _set_page(request, db, set_id, notice=gettext_("The question was added.")),
        again=_set_error(request, db, set_id),
    )


@router.post("/jeux/{set_id}/import", response_model=None)
def import_file(
    request: Request,
    set_id: str,
    file: Annotated[UploadFile | str | None, File()] = None,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:

    def import_upload() -> list[Any]:
        if isinstance(file, str) or file is None or not file.filename:
            raise Invalid("Choose a .jsonl or .csv file of questions to import.")
        data = file.file.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise Invalid("The file is larger than 5 MB; split it into several files.")
        return import_items(db, get_set(db, set_id), data, file.filename, actor=principal.user.id)

    return saved_or_shown_again(
        db,
        import_upload,
        then=lambda items: _set_page(
            request, db, set_id, notice=gettext_("{count} questions imported.").format(count=len(items))
        ),
        again=_set_error(request, db, set_id),
    )


@router.post("/jeux/{set_id}/retours", response_model=None)
def from_feedback(
    request: Request,
    set_id: str,
    exchange_id: Annotated[str, Form()] = "",
    sources: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    names = tuple(s.strip() for s in sources.split("|") if s.strip())
    return saved_or_shown_again(
        db,
        lambda: add_from_feedback(db, get_set(db, set_id), exchange_id, names, actor=principal.user.id),
        then=lambda _item: _set_page(
            request, db, set_id, notice=gettext_("The resident's question was added.")
        ),
        again=_set_error(request, db, set_id),
    )


@router.post("/jeux/{set_id}/validees", response_model=None)
def from_validated(
    request: Request,
    set_id: str,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> Response:
    return saved_or_shown_again(
        db,
        lambda: grow_from_validated(db, get_set(db, set_id), actor=principal.user.id),
        then=lambda added: _set_page(
            request,
            db,
            set_id,
            notice=ngettext_(
                "{count} validated answer was added.", "{count} validated answers were added.", len(added)
            ).format(count=len(added)),
        ),
        again=_set_error(request, db, set_id),
    )


@router.post("/jeux/{set_id}/lancer", response_class=HTMLResponse)
def start_run(
    request: Request,
    set_id: str,
    _p: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    request_run(db, get_set(db, set_id))
    db.commit()
    return _set_page(
        request,
        db,
        set_id,
        notice=gettext_("The run is queued; a worker runs it and it appears here when done."),
    )


@router.get("/jeux/{set_id}/export")
def export(
    set_id: str, _p: Principal = Depends(require(Role.MANAGER)), db: Session = Depends(tenant_db)
) -> Response:
    pack = export_set(db, get_set(db, set_id))
    return Response(
        json.dumps(pack, ensure_ascii=False, indent=2),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="evaluation-{set_id}.json"'},
    )


@router.get("/resultats/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request,
    run_id: str,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return render(
        request, "evaluation/run.html", {"view": run_view(db, principal.tenant, run_id), **LABELLED}
    )


@router.post("/resultats/{run_id}/questions/{item_id}/trace", response_class=HTMLResponse)
def item_trace_page(
    request: Request,
    run_id: str,
    item_id: str,
    principal: Principal = Depends(require(Role.MANAGER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """A failed question asked again now and traced (P4): where the fault lies, and the fix."""
    trace = item_trace(db, db.merge(principal.tenant), run_id, item_id)
    db.commit()  # the audit entries and usage row of the question asked again
    context = {"trace": trace, "fixes": FIXES, **LABELLED}
    return render(request, "evaluation/item_trace.html", context)
