"""The memento (G14, G6): managers generate, edit, adopt and export it; every employee reads the
version in force and acknowledges it, asked by a banner on every page until they do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import exports, memento
from balise.db import Session
from balise.errors import Invalid
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(tags=["memento"])
READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)
FORMATS = exports.FORMATS


def page_context(request: Request) -> dict[str, Any]:
    """The version a signed-in person has still to acknowledge, for the banner of every page. API
    tokens never see a page, so they are never held up by it."""
    principal = getattr(request.state, "principal", None)
    db: Session | None = getattr(request.state, "db", None)
    if principal is None or principal.web_session is None or db is None or not db.is_active:
        return {}
    return {"memento_pending": memento.pending_for(db, principal.user.id)}


@router.get("/gouvernance/memento", response_class=HTMLResponse)
def manage_page(
    request: Request,
    adopte: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    in_force = memento.current(db)
    notice = gettext_("Version {number} is adopted: staff will be asked to acknowledge it.").format(
        number=adopte
    )
    return render(
        request,
        "memento/manage.html",
        {
            "in_force": in_force,
            "readers": memento.readers(db, principal.tenant, in_force) if in_force else [],
            "versions": memento.versions(db),
            "status": memento.status_line(principal.tenant, in_force) if in_force else "",
            "notice": notice if adopte else "",
            "can_edit": principal.has(Role.MANAGER),
        },
    )


@router.post("/gouvernance/memento/generer")
def generate(principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)) -> RedirectResponse:
    version = memento.generate(db, principal.tenant, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"/gouvernance/memento/{version.id}?enregistre=1", status_code=303)


def _version_page(
    request: Request,
    principal: Principal,
    version: memento.MementoVersion,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "memento/version.html",
        {
            "version": version,
            "status": memento.status_line(principal.tenant, version),
            "form": form,
            "error": error,
            "notice": notice,
            "can_edit": principal.has(Role.MANAGER),
            "blocks": memento.blocks,
        },
        status_code=status_code,
    )


@router.get("/gouvernance/memento/{version_id}", response_class=HTMLResponse)
def version_page(
    request: Request,
    version_id: str,
    enregistre: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = (
        gettext_("This version was saved. Review it, then adopt it when it is approved.")
        if enregistre
        else ""
    )
    return _version_page(request, principal, memento.get_version(db, version_id), notice=notice)


@router.post("/gouvernance/memento/{version_id}", response_model=None)
async def save_version(
    request: Request,
    version_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    based_on = memento.get_version(db, version_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: memento.save_version(db, principal.tenant, based_on, form, actor=principal.user.id),
        then=lambda version: f"/gouvernance/memento/{version.id}?enregistre=1",
        again=lambda error, status: _version_page(
            request,
            principal,
            memento.get_version(db, version_id),
            form=form,
            error=error,
            status_code=status,
        ),
    )


@router.post("/gouvernance/memento/{version_id}/adopter", response_model=None)
async def adopt(
    request: Request,
    version_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    version = memento.get_version(db, version_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: memento.adopt(
            db, principal.tenant, version, str(form.get("adopted_on", "")), actor=principal.user.id
        ),
        then=lambda adopted: f"/gouvernance/memento?adopte={adopted.number}",
        again=lambda error, status: _version_page(
            request, principal, memento.get_version(db, version_id), error=error, status_code=status
        ),
    )


@router.get("/gouvernance/memento/{version_id}/export", response_model=None)
def export(
    version_id: str,
    format: str = "html",
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> Response:
    if format not in FORMATS:
        raise Invalid("Choose an export format: html, docx or pdf.")
    version = memento.get_version(db, version_id)
    writers = {"html": memento.html_document, "docx": memento.docx_document, "pdf": memento.pdf_document}
    media_type, extension = FORMATS[format]
    name = f"memento-{principal.tenant.slug}-v{version.number}.{extension}"
    return Response(
        writers[format](principal.tenant, version),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _read_page(
    request: Request,
    principal: Principal,
    db: Session,
    *,
    thanks: bool = False,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    in_force = memento.current(db)
    return render(
        request,
        "memento/read.html",
        {
            "in_force": in_force,
            "status": memento.status_line(principal.tenant, in_force) if in_force else "",
            "pending": memento.pending_for(db, principal.user.id),
            "thanks": thanks,
            "error": error,
            "blocks": memento.blocks,
        },
        status_code=status_code,
    )


@router.get("/memento", response_class=HTMLResponse)
def read_page(
    request: Request,
    merci: int = 0,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _read_page(request, principal, db, thanks=bool(merci))


@router.post("/memento/prise-de-connaissance", response_model=None)
async def acknowledge(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: memento.acknowledge(db, principal.tenant, principal.user.id, str(form.get("version_id", ""))),
        then="/memento?merci=1",
        again=lambda error, status: _read_page(request, principal, db, error=error, status_code=status),
    )
