"""The AI tools page (D0, G8, G9): the sanctioned and forbidden AI services, the blocklists made from
the forbidden ones and their stable addresses, and the consequences of using a forbidden tool.
Managers edit; privacy officers read. The stable address answers without a session, on its key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise.db import Session
from balise.governance import shadow, shadow_feed
from balise.governance.blocklists import FORMATS, Blocklist
from balise.governance.service import public_tenant
from balise.governance.shadow_models import CONSEQUENCES, SERVICE_STATUS_LABELS, AIService
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.web.deps import Principal, get_db, tenant_db
from balise.web.forms import form_of, require_any, saved_or_shown_again
from balise.web.templating import render

router = APIRouter(tags=["governance"])
READERS = require_any(Role.MANAGER, Role.PRIVACY_OFFICER)
EDITORS = require_any(Role.MANAGER)
PAGE = "/gouvernance/outils-ia"
FORMAT_LABELS = {
    "hosts": "hosts",
    "rpz": "DNS RPZ (BIND)",
    "squid": "Squid ACL",
    "chrome": "Chrome / Edge URLBlocklist (JSON)",
}


def _page(
    request: Request,
    db: Session,
    principal: Principal,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    content = shadow_feed.shadow_page(db, principal.tenant.id)
    db.commit()
    base = str(request.base_url).rstrip("/")
    feeds = {
        name: f"{base}/public/{principal.tenant.slug}/liste-de-blocage/{name}?cle={content.key}"
        for name in FORMATS
    }
    response = render(
        request,
        "governance/outils_ia.html",
        {
            "page": content,
            "values": form or {"status": "forbidden"},
            "error": error,
            "notice": notice,
            "can_edit": principal.has(Role.MANAGER),
            "feeds": feeds,
            "format_labels": FORMAT_LABELS,
            "status_labels": SERVICE_STATUS_LABELS,
            "consequences": CONSEQUENCES,
            "suggestions": shadow.SUGGESTIONS,
        },
        status_code=status_code,
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the page shows the feed's key
    return response


@router.get(PAGE, response_class=HTMLResponse)
def tools_page(
    request: Request,
    enregistre: int = 0,
    ajoutes: int = -1,
    cle: int = 0,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    notice = ""
    if enregistre:
        notice = gettext_("The list was saved.")
    elif ajoutes >= 0:
        notice = gettext_("{n} suggested services were added as forbidden.").format(n=ajoutes)
    elif cle:
        notice = gettext_("A new key was made: the previous addresses no longer work; give IT the new ones.")
    return _page(request, db, principal, notice=notice)


@router.post(PAGE, response_model=None)
async def add_service(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: shadow.save_service(db, principal.tenant.id, form, actor=principal.user.id),
        then=f"{PAGE}?enregistre=1",
        again=lambda error, status: _page(request, db, principal, form=form, error=error, status_code=status),
    )


@router.post(f"{PAGE}/suggestions", response_model=None)
def load_suggestions(principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)) -> Response:
    added = shadow.load_suggestions(db, principal.tenant.id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"{PAGE}?ajoutes={added}", status_code=303)


@router.post(f"{PAGE}/cle", response_model=None)
def rotate_key(principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)) -> Response:
    shadow_feed.rotate_key(db, principal.tenant.id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"{PAGE}?cle=1#adresses", status_code=303)


@router.post(f"{PAGE}/consequences", response_model=None)
async def set_consequences(
    request: Request, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: shadow_feed.set_consequences(db, principal.tenant.id, form, actor=principal.user.id),
        then=f"{PAGE}?enregistre=1#consequences",
        again=lambda error, status: _page(request, db, principal, error=error, status_code=status),
    )


def _file(blocklist: Blocklist) -> Response:
    return Response(
        blocklist.text,
        media_type=blocklist.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{blocklist.filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(f"{PAGE}/liste-de-blocage/{{format}}", response_model=None)
def download(
    format: str, principal: Principal = Depends(READERS), db: Session = Depends(tenant_db)
) -> Response:
    blocklist = shadow_feed.download(db, principal.tenant, format, actor=principal.user.id)
    db.commit()
    return _file(blocklist)


def _service_page(
    request: Request,
    principal: Principal,
    service: AIService,
    *,
    form: dict[str, Any] | None = None,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    values = form or {
        "name": service.name,
        "status": service.status,
        "domains": "\n".join(service.domains),
        "note": service.note,
    }
    return render(
        request,
        "governance/outil_ia.html",
        {
            "service": service,
            "values": values,
            "error": error,
            "can_edit": principal.has(Role.MANAGER),
            "status_labels": SERVICE_STATUS_LABELS,
        },
        status_code=status_code,
    )


@router.get(f"{PAGE}/{{service_id}}", response_class=HTMLResponse)
def service_page(
    request: Request,
    service_id: str,
    principal: Principal = Depends(READERS),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _service_page(request, principal, shadow.get_service(db, service_id))


@router.post(f"{PAGE}/{{service_id}}", response_model=None)
async def update_service(
    request: Request,
    service_id: str,
    principal: Principal = Depends(EDITORS),
    db: Session = Depends(tenant_db),
) -> Response:
    service = shadow.get_service(db, service_id)
    form = await form_of(request)
    return saved_or_shown_again(
        db,
        lambda: shadow.save_service(db, principal.tenant.id, form, actor=principal.user.id, service=service),
        then=f"{PAGE}?enregistre=1",
        again=lambda error, status: _service_page(
            request, principal, shadow.get_service(db, service_id), form=form, error=error, status_code=status
        ),
    )


@router.post(f"{PAGE}/{{service_id}}/retirer", response_model=None)
def remove_service(
    service_id: str, principal: Principal = Depends(EDITORS), db: Session = Depends(tenant_db)
) -> Response:
    shadow.remove_service(db, service_id, actor=principal.user.id)
    db.commit()
    return RedirectResponse(f"{PAGE}?enregistre=1", status_code=303)


@router.get("/public/{slug}/liste-de-blocage/{format}", response_model=None)
def feed(slug: str, format: str, cle: str = "", db: Session = Depends(get_db)) -> Response:
    """The stable address a DNS server, proxy or device-management tool refreshes from, on its key."""
    tenant = public_tenant(db, slug)
    blocklist = shadow_feed.fetch(db, tenant, format, cle[:100])
    db.commit()
    return _file(blocklist)
