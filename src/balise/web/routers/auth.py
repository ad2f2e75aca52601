"""Signing in and out, choosing the language and the municipality."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from balise import audit
from balise.config import get_settings
from balise.db import Session
from balise.errors import BaliseError, Forbidden
from balise.i18n import LOCALES, gettext_
from balise.tenancy import (
    User,
    authenticate,
    close_web_session,
    membership_of,
    open_web_session,
    tenant_by_slug,
)
from balise.tenancy.models import Membership
from balise.tenancy.oidc import sign_out_url
from balise.tenancy.signin import LoginThrottled, take_failure_notice
from balise.tenancy.sso import provider_of
from balise.web.deps import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    Principal,
    current_principal,
    get_db,
)
from balise.web.sessions import is_https, safe_next, signed_in_response
from balise.web.templating import render

router = APIRouter(tags=["auth"])


def _login_page(
    request: Request,
    *,
    error: str = "",
    notice: str = "",
    email: str = "",
    next_: str = "/",
    tenant: str = "",
    sso: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = csrf
    response = render(
        request,
        "login.html",
        {"error": error, "notice": notice, "email": email, "next": next_, "tenant": tenant, "sso": sso},
        status_code=status_code,
    )
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=is_https(request))
    return response


@router.get("/connexion", response_class=HTMLResponse)
def login_form(
    request: Request, next: str = "/", expired: int = 0, municipalite: str = "", db: Session = Depends(get_db)
) -> HTMLResponse:
    notice = (
        gettext_("Your session has expired. Please sign in again; nothing you saved was lost.")
        if expired
        else ""
    )
    sso = False
    if municipalite:
        provider = provider_of(db, tenant_by_slug(db, municipalite).id)
        sso = provider is not None and provider.enabled
    return _login_page(request, notice=notice, next_=safe_next(next), tenant=municipalite, sso=sso)


@router.post("/connexion", response_model=None)
def login(
    request: Request,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
    tenant: Annotated[str, Form()] = "",
    db: Session = Depends(get_db),
) -> Response:
    settings = get_settings()
    client = request.client.host if request.client else "unknown"
    try:
        user = authenticate(db, email, password, client=client, limit=settings.login_attempts_per_15_min)
        memberships = _memberships(db, user)
        if tenant:
            chosen = tenant_by_slug(db, tenant)
            if membership_of(db, user.id, chosen.id) is None:
                raise Forbidden("You have no role in this municipality.")
            tenant_id = chosen.id
        elif memberships:
            tenant_id = memberships[0].tenant_id
        else:
            raise Forbidden("Your account has no role in any municipality. Ask your administrator.")
    except BaliseError as exc:
        page = _login_page(
            request,
            error=exc.localized(),
            email=email,
            next_=safe_next(next),
            tenant=tenant,
            status_code=exc.status,
        )
        if isinstance(exc, LoginThrottled):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    token, _ = open_web_session(db, user, tenant_id, settings.session_hours)
    audit.record(
        db, "user.signed_in", actor=user.id, tenant_id=tenant_id, target_type="user", target_id=user.id
    )
    notice = take_failure_notice(user)
    if notice is not None:
        audit.record(
            db,
            "user.told_of_failed_logins",
            actor=user.id,
            tenant_id=tenant_id,
            target_type="user",
            target_id=user.id,
            details={"count": notice.count},
        )
    db.commit()
    return signed_in_response(request, user, token, safe_next(next), notice)


def _memberships(db: Session, user: User) -> list[Membership]:
    return sorted(user.memberships, key=lambda m: m.created_at)


@router.post("/deconnexion")
def logout(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(get_db)
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    audit.record(
        db,
        "user.signed_out",
        actor=principal.user.id,
        tenant_id=principal.tenant.id,
        target_type="user",
        target_id=principal.user.id,
    )
    id_token = principal.web_session.id_token if principal.web_session is not None else ""
    after = str(request.base_url).rstrip("/") + "/connexion"
    at_provider = sign_out_url(db, principal.tenant.id, id_token, after)
    close_web_session(db, cookie)
    db.commit()
    response: Response = RedirectResponse("/connexion", status_code=303)
    if at_provider:  # a page that moves on by itself: the CSP's form-action forbids redirecting the form
        request.state.principal = None
        response = render(request, "signed_out_sso.html", {"url": at_provider})
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/langue/{code}")
def switch_language(
    code: str, request: Request, next: str = "/", db: Session = Depends(get_db)
) -> RedirectResponse:
    """Remember the chosen language in a cookie (and on the account when signed in)."""
    if code not in LOCALES:
        raise BaliseError(
            "This language is not available. Choose French (fr) or English (en).",
            status=404,
            code="unknown_language",
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, code, samesite="lax", secure=is_https(request), max_age=31536000)
    try:
        principal = current_principal(request, db)
    except BaliseError:
        return response
    principal.user.locale = code
    db.commit()
    return response


@router.post("/municipalite")
def switch_tenant(
    slug: Annotated[str, Form()],
    principal: Principal = Depends(current_principal),
    db: Session = Depends(get_db),
) -> RedirectResponse:
    """Move the session to another municipality the person works for."""
    db.info.pop("tenant_id", None)
    target = tenant_by_slug(db, slug)
    if membership_of(db, principal.user.id, target.id) is None:
        raise Forbidden("You have no role in this municipality.")
    assert principal.web_session is not None
    session_row = principal.web_session
    session_row.tenant_id = target.id
    db.add(session_row)
    audit.record(
        db,
        "user.switched_tenant",
        actor=principal.user.id,
        tenant_id=target.id,
        target_type="tenant",
        target_id=target.id,
    )
    db.commit()
    return RedirectResponse("/", status_code=303)
