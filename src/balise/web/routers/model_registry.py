"""The municipality's approved models (G3, G17, P6): shown to everyone, managed by administrators.

Everyone may read the list, for transparency: where each model runs, which data it may receive,
what it costs and consumes, and what it is used for (writing, reranking search's passages, embedding
for tools). Administrators add, edit and remove models, choose the default and test a connection.
API keys are write-only: the page says how a key is kept, never the key itself. The built-in
extractive backend is always listed: it answers when no model may or can.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from balise.classification import CLASSIFICATION_LABELS, CLASSIFICATION_ORDER
from balise.db import Session
from balise.errors import BaliseError, Invalid, NotFound
from balise.gateway import (
    CAUTION_LABELS,
    Hosting,
    ModelBackend,
    caution_of,
    describe,
    list_backends,
    register_backend,
    remove_backend,
    set_caution,
    set_default,
)
from balise.gateway.connection import ConnectionCheck, check_connection
from balise.gateway.registry import (
    CURRENCIES,
    EMBEDDING_PROVIDERS,
    GENERATIVE_PROVIDERS,
    IMAGE_PROVIDERS,
    RERANK_PROVIDERS,
    TRANSCRIPTION_PROVIDERS,
    replace_backend,
)
from balise.governance.vendors import scores_by_system
from balise.i18n import N_, gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, current_principal, require, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/modeles", tags=["models"])

HOSTING_LABELS: dict[str, str] = {
    Hosting.ON_PREMISES.value: N_("On the municipality's own servers"),
    Hosting.QUEBEC.value: N_("Quebec"),
    Hosting.CANADA.value: N_("Canada"),
    Hosting.SWITZERLAND.value: N_("Switzerland"),
    Hosting.EU.value: N_("European Union"),
    Hosting.ABROAD.value: N_("Elsewhere abroad"),
}
PROVIDER_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Generative models (OpenAI-compatible)"), GENERATIVE_PROVIDERS),
    (N_("Reranking servers, for search (/rerank)"), RERANK_PROVIDERS),
    (N_("Embedding servers, for tools (/v1/embeddings)"), EMBEDDING_PROVIDERS),
    (N_("Transcription servers, for recordings (/v1/audio/transcriptions)"), TRANSCRIPTION_PROVIDERS),
    (N_("Image servers, for visuals (/v1/images/generations)"), IMAGE_PROVIDERS),
)
KIND_LABELS: dict[str, str] = {
    "generative": N_("Writes answers"),
    "rerank": N_("Reranks search's passages"),
    "embeddings": N_("Embeds texts for tools"),
    "transcription": N_("Transcribes recordings"),
    "images": N_("Generates images"),
}


class BackendForm(BaseModel):
    """The add and edit form; numbers stay text so that a wrong one is answered in French, field named."""

    name: str = ""
    provider: str = "openai-compatible"
    endpoint: str = ""
    model: str = ""
    hosting: str = Hosting.ON_PREMISES.value
    max_classification: str = "public"
    allows_masked_personal: bool = False
    price_per_1k_tokens: str = "0"
    currency: str = "CAD"
    wh_per_1k_tokens: str = ""
    is_default: bool = False
    api_key: str = ""
    api_key_env: str = ""
    timeout_s: str = ""
    max_retries: str = "2"

    @classmethod
    def of(cls, backend: ModelBackend) -> BackendForm:
        """A registered backend as the edit form shows it: everything but its key."""
        return cls(
            name=backend.name,
            provider=backend.provider,
            endpoint=backend.endpoint,
            model=backend.model,
            hosting=backend.hosting,
            max_classification=backend.max_classification,
            allows_masked_personal=backend.allows_masked_personal,
            price_per_1k_tokens=f"{backend.price_per_1k_tokens:g}",
            currency=backend.currency,
            wh_per_1k_tokens=f"{backend.wh_per_1k_tokens:g}",
            is_default=backend.is_default,
            api_key_env=backend.api_key_env,
            timeout_s=f"{backend.timeout_s:g}",
            max_retries=str(backend.max_retries),
        )

    def shown(self) -> dict[str, object]:
        """What goes back into the form: the key is write-only, never rendered."""
        return self.model_dump(exclude={"api_key"})

    def registration(self) -> dict[str, Any]:
        """The arguments of ``register_backend``; raises Invalid naming a field that is not a number."""
        return {
            "name": self.name.strip(),
            "endpoint": self.endpoint.strip(),
            "model": self.model,
            "hosting": self.hosting,
            "max_classification": self.max_classification,
            "allows_masked_personal": self.allows_masked_personal,
            "provider": self.provider,
            "price_per_1k_tokens": _number(self.price_per_1k_tokens, N_("Price per 1,000 tokens")),
            "currency": self.currency if self.currency in CURRENCIES else "CAD",
            "wh_per_1k_tokens": _number(self.wh_per_1k_tokens, N_("Energy per 1,000 tokens (Wh)"))
            if self.wh_per_1k_tokens.strip()
            else None,
            "is_default": self.is_default,
            "api_key": self.api_key or None,
            "api_key_env": self.api_key_env.strip() or None,
            "timeout_s": _number(self.timeout_s, N_("Timeout (seconds)")) if self.timeout_s.strip() else None,
            "max_retries": int(_number(self.max_retries, N_("Retries"), integer=True)),
        }


def _backend(db: Session, principal: Principal, backend_id: str) -> ModelBackend:
    for backend in list_backends(db, principal.tenant.id):
        if backend.id == backend_id:
            return backend
    raise NotFound("This model is not registered for this municipality.")


MAX_NUMBER = 1_000_000


def _number(value: str, field: str, *, integer: bool = False) -> float:
    """Accepts French decimal commas ("0,002"); a wrong value names the field to correct. Infinity, NaN,
    negative numbers and absurdly large ones are refused here rather than failing in the database."""
    try:
        number = int(value.strip()) if integer else float(value.strip().replace(",", ".").replace(" ", ""))
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not 0 <= number <= MAX_NUMBER:
        raise Invalid(
            "“{value}” is not a number between 0 and {max}: correct the field {field}.",
            value=value[:40],
            max=MAX_NUMBER,
            field=gettext_(field),
        )
    return number


def _choices() -> dict[str, object]:
    """The options of the form's lists, with their labels."""
    return {
        "provider_groups": PROVIDER_GROUPS,
        "kind_labels": KIND_LABELS,
        "currencies": CURRENCIES,
        "hosting_labels": HOSTING_LABELS,
        "classifications": CLASSIFICATION_ORDER,
        "classification_labels": CLASSIFICATION_LABELS,
    }


def _page(
    request: Request,
    principal: Principal,
    db: Session,
    *,
    form: BackendForm | None = None,
    error: str = "",
    notice: str = "",
    check: ConnectionCheck | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    backends = list_backends(db, principal.tenant.id)
    return render(
        request,
        "model_registry/list.html",
        {
            "backends": [describe(b) for b in backends],
            "vendor_scores": scores_by_system(db),
            "is_admin": principal.has(Role.ADMIN),
            "form": (form or BackendForm()).shown(),
            "error": error,
            "notice": notice,
            "check": check,
            "caution": caution_of(principal.tenant),
            "caution_labels": CAUTION_LABELS,
            **_choices(),
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def models_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _page(request, principal, db)


@router.post("", response_class=HTMLResponse)
def add(
    request: Request,
    form: Annotated[BackendForm, Form()],
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Approves a model; a refused form comes back filled in (except the key) with the reason."""
    try:
        backend = register_backend(db, principal.tenant.id, **form.registration(), actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _page(request, principal, db, form=form, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _page(
        request, principal, db, notice=gettext_("The model {name} was added.").format(name=backend.name)
    )


@router.post("/prudence", response_class=HTMLResponse)
def save_caution(
    request: Request,
    caution: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """How often extracted answers say that the documents do not answer (staff and residents alike)."""
    try:
        set_caution(db, principal.tenant, caution, actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _page(request, principal, db, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _page(request, principal, db, notice=gettext_("The caution of extracted answers was saved."))


def _edit_page(
    request: Request, backend: ModelBackend, form: BackendForm, *, error: str = "", status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "model_registry/edit.html",
        {
            "backend": backend,
            "form": form.shown(),
            "error": error,
            "has_stored_key": bool(backend.api_key_encrypted),
            **_choices(),
        },
        status_code=status_code,
    )


@router.get("/{backend_id}", response_class=HTMLResponse)
def edit_page(
    request: Request,
    backend_id: str,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    backend = _backend(db, principal, backend_id)
    return _edit_page(request, backend, BackendForm.of(backend))


@router.post("/{backend_id}", response_class=HTMLResponse)
def edit(
    request: Request,
    backend_id: str,
    form: Annotated[BackendForm, Form()],
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> Response:
    """Replaces the model's entry in one transaction; the stored key is kept unless replaced."""
    backend = _backend(db, principal, backend_id)
    try:
        replace_backend(db, principal.tenant.id, backend, form.registration(), actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        backend = _backend(db, principal, backend_id)
        return _edit_page(request, backend, form, error=exc.localized(), status_code=exc.status)
    db.commit()
    return RedirectResponse("/modeles", status_code=303)


@router.post("/{backend_id}/defaut")
def make_default(
    backend_id: str, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    backend = _backend(db, principal, backend_id)
    set_default(db, principal.tenant.id, backend.name, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/modeles", status_code=303)


@router.post("/{backend_id}/test", response_class=HTMLResponse)
def test_connection(
    request: Request,
    backend_id: str,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Asks the server for its models with a short timeout; nothing is sent but the API key."""
    check = check_connection(_backend(db, principal, backend_id))
    return _page(request, principal, db, check=check)


@router.get("/{backend_id}/suppression", response_class=HTMLResponse)
def confirm_remove(
    request: Request,
    backend_id: str,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return render(request, "model_registry/remove.html", {"backend": _backend(db, principal, backend_id)})


@router.post("/{backend_id}/suppression")
def remove(
    backend_id: str, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    """Withdraws the model; its usage history stays for reports, and another becomes the default."""
    backend = _backend(db, principal, backend_id)
    remove_backend(db, principal.tenant.id, backend.name, actor=principal.user.id)
    db.commit()
    return RedirectResponse("/modeles", status_code=303)
