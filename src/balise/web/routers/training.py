"""Training (G13, G21): managers record sessions and who attended (privacy officers read); every
employee takes the self-check quiz and reads the learning resources, which managers edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import training
from balise.db import Session
from balise.memento import blocks
from balise.tenancy import Role
from balise.training.gate import gate_on, set_gate
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(tags=["training"])
READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)


def _sessions_page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    editing: training.TrainingSession | None = None,
    form: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    listed = training.sessions(db)
    attended = next(
        (s.attended for s in listed if editing is not None and s.session.id == editing.id), frozenset()
    )
    return render(
        request,
        "training/sessions.html",
        {
            "listed": listed,
            "editing": editing,
            "attended": attended,
            "people": training.people(db, principal.tenant.id),
            "audiences": training.AUDIENCES,
            "formats": training.FORMATS,
            "can_edit": principal.has(Role.MANAGER),
            "gate_on": gate_on(principal.tenant),
            "form": form or {},
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/gouvernance/formations", response_class=HTMLResponse)
def sessions_page(
    request: Request, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _sessions_page(request, db, principal)


@router.post("/gouvernance/formations", response_model=None)
async def create_session(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: training.save_session(db, principal.tenant.id, form, actor=principal.user.id),
        then="/gouvernance/formations#seances",
        again=lambda error, status: _sessions_page(
            request, db, principal, form=form, error=error, status_code=status
        ),
    )


@router.post("/gouvernance/formation-avant-assistant", response_model=None)
async def save_gate(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: set_gate(db, principal.tenant, form.get("on") == "1", actor=principal.user.id),
        then="/gouvernance/formations#verrou",
        again=lambda error, status: _sessions_page(request, db, principal, error=error, status_code=status),
    )


@router.get("/gouvernance/formations/{training_session_id}", response_class=HTMLResponse)
def session_page(
    request: Request,
    training_session_id: str,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _sessions_page(request, db, principal, editing=training.get_session(db, training_session_id))


@router.post("/gouvernance/formations/{training_session_id}", response_model=None)
async def update_session(
    request: Request,
    training_session_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    editing = training.get_session(db, training_session_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: training.save_session(
            db, principal.tenant.id, form, actor=principal.user.id, session_id=training_session_id
        ),
        then="/gouvernance/formations#seances",
        again=lambda error, status: _sessions_page(
            request, db, principal, editing=editing, form=form, error=error, status_code=status
        ),
    )


@router.post("/gouvernance/formations/{training_session_id}/supprimer")
def delete_session(
    training_session_id: str, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    training.delete_session(db, principal.tenant.id, training_session_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/gouvernance/formations#seances", status_code=303)


def _quiz_page(
    request: Request, db: Session, principal: Principal, *, error: str = "", status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "training/quiz.html",
        {
            "questions": training.QUESTIONS,
            "attempts": training.attempts_of(db, principal.user.id),
            "pass_mark": training.PASS_MARK,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/formation/quiz", response_class=HTMLResponse)
def quiz_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _quiz_page(request, db, principal)


@router.post("/formation/quiz", response_model=None)
async def submit_quiz(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: training.take_quiz(db, principal.tenant.id, principal.user.id, form)[0],
        then=lambda attempt: f"/formation/quiz/{attempt.id}",
        again=lambda error, status: _quiz_page(request, db, principal, error=error, status_code=status),
    )


@router.get("/formation/quiz/{attempt_id}", response_class=HTMLResponse)
def attempt_page(
    request: Request,
    attempt_id: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    attempt, marked = training.get_attempt(db, principal.user.id, attempt_id)
    return render(
        request,
        "training/attempt.html",
        {"attempt": attempt, "marked": marked, "pass_mark": training.PASS_MARK},
    )


@router.get("/formation/ressources", response_class=HTMLResponse)
def resources_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    resources = training.ensure_resources(db, principal.tenant.id, actor=principal.user.id)
    db.commit()
    return render(request, "training/resources.html", {"resources": resources})


def _resource_page(
    request: Request,
    principal: Principal,
    resource: training.LearningResource,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "training/resource.html",
        {
            "resource": resource,
            "blocks": blocks,
            "can_edit": principal.has(Role.MANAGER),
            "form": form or {},
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/formation/ressources/{resource_key}", response_class=HTMLResponse)
def resource_page(
    request: Request,
    resource_key: str,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    training.ensure_resources(db, principal.tenant.id, actor=principal.user.id)
    resource = training.open_resource(db, resource_key)
    db.commit()
    return _resource_page(request, principal, resource)


@router.post("/formation/ressources/{resource_key}", response_model=None)
async def save_resource(
    request: Request,
    resource_key: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    resource = training.get_resource(db, resource_key)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: training.save_resource(db, principal.tenant.id, resource_key, form, actor=principal.user.id),
        then=f"/formation/ressources/{resource_key}",
        again=lambda error, status: _resource_page(
            request, principal, resource, form=form, error=error, status_code=status
        ),
    )
