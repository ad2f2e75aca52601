"""Staff side of the citizen assistant: the requests queue, weekly figures, publishing public
documents to residents (reviewers) and the municipality's public contact and widget settings (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import citizen
from balise.bounds import whole_number
from balise.config import get_settings
from balise.db import Session
from balise.errors import BaliseError, Invalid
from balise.i18n import N_
from balise.tenancy import PublicContact, Role, load_smtp, public_contact, save_smtp, set_public_contact
from balise.web.deps import Principal, require, tenant_db
from balise.web.templating import render as render_page

router = APIRouter(tags=["citizen staff"])

Staff = Annotated[Principal, Depends(require(Role.EMPLOYEE))]
Reviewer = Annotated[Principal, Depends(require(Role.REVIEWER))]
SMTP_SECURITY = {
    "starttls": N_("STARTTLS (port 587)"),
    "tls": N_("TLS from the start (port 465)"),
    "none": N_("None (a relay on this machine or a trusted network only)"),
}
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Db = Annotated[Session, Depends(tenant_db)]


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A staff page, with which of the citizen tabs this person may open."""
    principal: Principal = request.state.principal
    tabs = {"can_review": principal.has(Role.REVIEWER), "can_admin": principal.has(Role.ADMIN)}
    return render_page(request, template, {**tabs, **context}, status_code=status_code)


def _back(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


@router.get("/citoyens", response_class=HTMLResponse)
def queue(request: Request, principal: Staff, db: Db, statut: str = "open") -> HTMLResponse:
    items = citizen.queue(db, statut)
    return render(request, "citizen/staff_queue.html", {"items": items, "status": statut})


def _request_context(principal: Principal, item: citizen.CitizenRequest, **extra: Any) -> dict[str, Any]:
    return {"item": item, "error": "", "may_see_details": principal.has(citizen.DETAILS_ROLE), **extra}


@router.get("/citoyens/demandes/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, principal: Staff, db: Db, request_id: str) -> HTMLResponse:
    item = citizen.get_request(db, request_id)
    return render(request, "citizen/staff_request.html", _request_context(principal, item))


@router.get("/citoyens/demandes/{request_id}/renseignements", response_class=HTMLResponse)
def request_details_page(request: Request, principal: Reviewer, db: Db, request_id: str) -> HTMLResponse:
    """The resident's own details, for the role that acts on them; each reading is audited."""
    item = citizen.get_request(db, request_id)
    details = citizen.read_details(db, item, actor=principal.user.id)
    db.commit()
    context = _request_context(principal, item, details=details)
    return render(request, "citizen/staff_request.html", context)


@router.post("/citoyens/demandes/{request_id}/repondre", response_class=HTMLResponse)
def answer(
    request: Request, principal: Staff, db: Db, request_id: str, text: Annotated[str, Form()] = ""
) -> Response:
    try:
        citizen.answer_request(db, request_id, text, actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        item = citizen.get_request(db, request_id)
        context = _request_context(principal, item, error=exc.localized())
        return render(request, "citizen/staff_request.html", context, status_code=exc.status)
    db.commit()
    return _back("/citoyens?statut=answered")


@router.post("/citoyens/demandes/{request_id}/fermer")
def close(principal: Staff, db: Db, request_id: str) -> RedirectResponse:
    citizen.close_request(db, request_id, actor=principal.user.id)
    db.commit()
    return _back("/citoyens")


@router.get("/citoyens/statistiques", response_class=HTMLResponse)
def stats(request: Request, principal: Staff, db: Db) -> HTMLResponse:
    return render(request, "citizen/staff_stats.html", {"weeks": citizen.weekly_stats(db)})


@router.get("/citoyens/publication", response_class=HTMLResponse)
def publication(request: Request, principal: Reviewer, db: Db) -> HTMLResponse:
    context = {
        "pending": citizen.pending_public_documents(db),
        "approved": citizen.approved_documents(db),
        "error": "",
    }
    return render(request, "citizen/staff_publication.html", context)


@router.post("/citoyens/publication/{document_id}")
def decide_publication(
    principal: Reviewer, db: Db, document_id: str, decision: Annotated[str, Form()]
) -> RedirectResponse:
    """A reviewer publishes a public document to residents, or sends it back to ``internal``."""
    if decision == "approve":
        citizen.approve(db, principal.tenant.id, document_id, actor=principal.user.id)
    else:
        citizen.refuse(db, principal.tenant.id, document_id, actor=principal.user.id)
    db.commit()
    return _back("/citoyens/publication")


def _settings_page(
    request: Request, principal: Principal, *, error: str = "", saved: bool = False, status_code: int = 200
) -> HTMLResponse:
    context = {
        "contact": public_contact(principal.tenant),
        "settings": citizen.load_citizen_settings(principal.tenant),
        "error": error,
        "saved": saved,
        "balise_url": get_settings().base_url.rstrip("/"),
        "smtp": load_smtp(principal.tenant),
        "smtp_security": SMTP_SECURITY,
    }
    return render(request, "citizen/staff_settings.html", context, status_code=status_code)


@router.get("/citoyens/parametres", response_class=HTMLResponse)
def settings_page(request: Request, principal: Admin, saved: int = 0) -> HTMLResponse:
    return _settings_page(request, principal, saved=bool(saved))


@router.post("/citoyens/parametres", response_class=HTMLResponse)
def save_settings(
    request: Request,
    principal: Admin,
    db: Db,
    phone: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    opening_hours: Annotated[str, Form()] = "",
    emergency_phone: Annotated[str, Form()] = "911",
    website: Annotated[str, Form()] = "",
    allowed_origins: Annotated[str, Form()] = "",
    retention_days: Annotated[int, Form()] = 30,
    reply_days: Annotated[int, Form()] = 2,
) -> Response:
    """The human channels shown to residents, and where the widget may be embedded."""
    tenant = db.merge(principal.tenant)
    contact = PublicContact(
        phone=phone.strip()[:100],
        email=email.strip()[:200],
        address=address.strip()[:300],
        opening_hours=opening_hours.strip()[:500],
        emergency_phone=emergency_phone.strip()[:30],
        website=website.strip()[:300],
    )
    try:
        citizen.save_citizen_settings(
            db,
            tenant,
            citizen.CitizenSettings(tuple(allowed_origins.splitlines()), retention_days, reply_days),
            actor=principal.user.id,
        )
        set_public_contact(db, tenant, contact, actor=principal.user.id)
    except BaliseError as exc:
        db.rollback()
        return _settings_page(request, principal, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _back("/citoyens/parametres?saved=1")


@router.post("/citoyens/parametres/courriel", response_class=HTMLResponse)
def save_mail_server(
    request: Request,
    principal: Admin,
    db: Db,
    host: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "587",
    security: Annotated[str, Form()] = "starttls",
    user: Annotated[str, Form()] = "",
    sender: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    password_env: Annotated[str, Form()] = "",
) -> Response:
    """The mail server that e-mails residents the answers to their complaints; an empty password keeps
    the stored one."""
    try:
        number = whole_number(port, minimum=1, maximum=65535)
        if number is None:
            raise Invalid("The mail server's port is a number between 1 and 65535, usually 587 or 465.")
        save_smtp(
            db,
            db.merge(principal.tenant),
            host=host,
            port=number,
            security=security,
            user=user,
            sender=sender,
            password=password or None,
            password_env=password_env,
            actor=principal.user.id,
        )
    except BaliseError as exc:
        db.rollback()
        return _settings_page(request, principal, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _back("/citoyens/parametres?saved=1#courriel")
