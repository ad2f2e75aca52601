"""The residents' pages: the citizen assistant, « Parler à une personne », follow-up and sources.

No login and no JavaScript: every page is a plain form that posts and redirects (the embeddable
widget calls the JSON API of ``citizen_api`` instead). Pages carry a strict Content-Security-Policy
(no inline script or style, nothing from another site). Consent and the resident's session id live
in cookies limited to the municipality's ``/public/{slug}`` path.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import citizen
from balise.citizen.service import MAX_QUESTION_CHARS
from balise.db import Session
from balise.errors import BaliseError
from balise.tenancy import public_contact
from balise.web.citizen_web import (
    CONSENT_COOKIE,
    SESSION_COOKIE,
    STRICT_CSP,
    PublicDb,
    check_rate,
    tenant_of,
)
from balise.web.deps import CSRF_COOKIE
from balise.web.templating import render

router = APIRouter(tags=["citizen"])


def _page(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """A public page: the municipality's contact on every screen, a form token, the strict CSP."""
    tenant = tenant_of(request)
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = csrf
    page = {
        "tenant": tenant,
        "contact": public_contact(tenant),
        "base": f"/public/{tenant.slug}",
        **(context or {}),
    }
    response = render(request, template, page, status_code=status_code)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=_https(request))
    response.headers["Content-Security-Policy"] = STRICT_CSP
    return response


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


def _redirect(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


def _session_id(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and len(value) <= 100 else None


def _assistant_page(
    request: Request, db: Session, *, error: str = "", question: str = "", status_code: int = 200
) -> HTMLResponse:
    consent = request.cookies.get(CONSENT_COOKIE)
    session_id = _session_id(request)
    exchanges = citizen.session_exchanges(db, session_id) if consent == "yes" and session_id else []
    return _page(
        request,
        "citizen/assistant.html",
        {
            "consent": consent if consent in ("yes", "no") else "",
            "exchanges": exchanges,
            "error": error,
            "question": question,
            "max_chars": MAX_QUESTION_CHARS,
            "retention_days": citizen.load_citizen_settings(tenant_of(request)).retention_days,
            "notice": request.query_params.get("merci", ""),
        },
        status_code=status_code,
    )


@router.get("/public/{slug}/assistant", response_class=HTMLResponse)
def assistant_page(request: Request, db: PublicDb) -> HTMLResponse:
    return _assistant_page(request, db)


@router.post("/public/{slug}/assistant/consentement")
def consent(request: Request, db: PublicDb, choice: Annotated[str, Form()]) -> Response:
    """The resident's choice, remembered for the browser session; declining shows only people."""
    base = f"/public/{tenant_of(request).slug}"
    response = _redirect(base + "/assistant")
    value = "yes" if choice == "yes" else "no" if choice == "no" else ""
    if not value:
        response.delete_cookie(CONSENT_COOKIE, path=base)
        return response
    response.set_cookie(
        CONSENT_COOKIE, value, path=base, httponly=True, samesite="lax", secure=_https(request)
    )
    if value == "yes" and not _session_id(request):
        response.set_cookie(
            SESSION_COOKIE,
            secrets.token_urlsafe(24),
            path=base,
            httponly=True,
            samesite="lax",
            secure=_https(request),
        )
    return response


@router.post("/public/{slug}/assistant", response_class=HTMLResponse)
def ask_form(request: Request, db: PublicDb, question: Annotated[str, Form()] = "") -> Response:
    """The no-JavaScript form: same service as the API; answers are shown by the page's GET."""
    session_id = _session_id(request)
    if request.cookies.get(CONSENT_COOKIE) != "yes" or session_id is None:
        return _redirect(f"/public/{tenant_of(request).slug}/assistant")
    try:
        check_rate(request, session_id)
        citizen.answer(db, tenant_of(request), question, session_id)
    except BaliseError as exc:
        db.rollback()
        return _assistant_page(request, db, error=exc.localized(), question=question, status_code=exc.status)
    db.commit()
    return _redirect(f"/public/{tenant_of(request).slug}/assistant#derniere-reponse")


@router.post("/public/{slug}/assistant/avis")
def feedback_form(
    request: Request,
    db: PublicDb,
    exchange_id: Annotated[str, Form()],
    value: Annotated[str, Form()],
) -> Response:
    base = f"/public/{tenant_of(request).slug}"
    session_id = _session_id(request)
    if session_id is None:
        return _redirect(base + "/assistant")
    if value == "problem":
        return _redirect(f"{base}/assistant/signaler/{exchange_id}")
    try:
        check_rate(request, session_id, "feedback")
        citizen.give_feedback(db, tenant_of(request), session_id, exchange_id, value)
    except BaliseError as exc:
        db.rollback()
        return _assistant_page(request, db, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _redirect(base + "/assistant?merci=1#derniere-reponse")


@router.get("/public/{slug}/assistant/signaler/{exchange_id}", response_class=HTMLResponse)
def problem_form(request: Request, db: PublicDb, exchange_id: str) -> HTMLResponse:
    return _page(request, "citizen/problem.html", {"exchange_id": exchange_id, "error": ""})


@router.post("/public/{slug}/assistant/signaler/{exchange_id}", response_class=HTMLResponse)
def report_problem(
    request: Request, db: PublicDb, exchange_id: str, message: Annotated[str, Form()] = ""
) -> Response:
    session_id = _session_id(request)
    if session_id is None:
        return _redirect(f"/public/{tenant_of(request).slug}/assistant")
    try:
        check_rate(request, session_id, "feedback")
        created = citizen.give_feedback(db, tenant_of(request), session_id, exchange_id, "problem", message)
    except BaliseError as exc:
        db.rollback()
        context = {"exchange_id": exchange_id, "error": exc.localized()}
        return _page(request, "citizen/problem.html", context, status_code=exc.status)
    db.commit()
    assert created is not None
    return _page(request, "citizen/created.html", {"created": created, "kind": "problem"})


@router.get("/public/{slug}/personne", response_class=HTMLResponse)
def person_form(request: Request, db: PublicDb) -> HTMLResponse:
    return _page(
        request, "citizen/person.html", {"error": "", "has_conversation": bool(_session_id(request))}
    )


@router.post("/public/{slug}/personne", response_class=HTMLResponse)
def escalate(
    request: Request,
    db: PublicDb,
    message: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """A request for a person, with the conversation of this browser (pseudonymised) if any."""
    session_id = _session_id(request) or secrets.token_urlsafe(24)
    try:
        check_rate(request, session_id)
        created = citizen.escalate(db, tenant_of(request), session_id, message=message, contact=contact)
    except BaliseError as exc:
        db.rollback()
        context = {"error": exc.localized(), "has_conversation": bool(_session_id(request))}
        return _page(request, "citizen/person.html", context, status_code=exc.status)
    db.commit()
    return _page(request, "citizen/created.html", {"created": created, "kind": "escalation"})


@router.get("/public/{slug}/suivi/{token}", response_class=HTMLResponse)
def follow_up(request: Request, db: PublicDb, token: str) -> HTMLResponse:
    return _page(request, "citizen/follow_up.html", {"item": citizen.follow_up(db, token)})


@router.get("/public/{slug}/sources/{chunk_id}", response_class=HTMLResponse)
def source(request: Request, db: PublicDb, chunk_id: str, q: str = "") -> HTMLResponse:
    return _page(request, "citizen/source.html", {"source": citizen.public_source(db, chunk_id, q[:500])})
