"""Single sign-on through the municipality's OpenID provider: start, come back, and its settings page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise import audit
from balise.config import get_settings
from balise.db import Session
from balise.errors import BaliseError
from balise.tenancy import Role, open_web_session, tenant_by_slug
from balise.tenancy.oidc import PendingLogin, begin, finish
from balise.tenancy.sso import (
    configure_sso,
    enabled_provider,
    parse_role_map,
    person_from_claims,
    provider_of,
)
from balise.web.deps import Principal, get_db, require, tenant_db
from balise.web.sessions import is_https, safe_next, signed_in_response
from balise.web.templating import render

router = APIRouter(tags=["sso"])
PENDING_COOKIE = "balise_sso"


def _callback(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/sso/retour"


@router.get("/connexion/sso/{slug}")
def start(slug: str, request: Request, next: str = "/", db: Session = Depends(get_db)) -> RedirectResponse:
    """Sends the browser to the municipality's provider, remembering this attempt in a sealed cookie."""
    tenant = tenant_by_slug(db, slug)
    url, pending = begin(enabled_provider(db, tenant), tenant.slug, _callback(request), safe_next(next))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE, pending.seal(), httponly=True, samesite="lax", secure=is_https(request), max_age=600
    )
    return response


@router.get("/sso/retour", response_model=None)
def come_back(request: Request, db: Session = Depends(get_db)) -> Response:
    """The provider's answer: verified, mapped to a role, and a session opened; or a clear refusal."""
    try:
        pending = PendingLogin.unseal(request.cookies.get(PENDING_COOKIE, ""))
        tenant = tenant_by_slug(db, pending.tenant)
        provider = enabled_provider(db, tenant)
        verified = finish(provider, pending, _callback(request), dict(request.query_params))
        user = person_from_claims(db, tenant, provider, verified.claims)
    except BaliseError as exc:
        db.rollback()
        page = render(
            request,
            "sso_refused.html",
            {"message": exc.localized()},
            status_code=exc.status,
        )
        page.delete_cookie(PENDING_COOKIE)
        return page
    token, _ = open_web_session(db, user, tenant.id, get_settings().session_hours, id_token=verified.id_token)
    audit.record(
        db,
        "user.signed_in",
        actor=user.id,
        tenant_id=tenant.id,
        target_type="user",
        target_id=user.id,
        details={"method": "sso"},
    )
    db.commit()
    response = signed_in_response(request, user, token, pending.next)
    response.delete_cookie(PENDING_COOKIE)
    return response


def _settings_page(
    request: Request, db: Session, principal: Principal, *, error: str = "", saved: bool = False
) -> HTMLResponse:
    provider = provider_of(db, principal.tenant.id)
    base = str(request.base_url).rstrip("/")
    context = {
        "provider": provider,
        "role_map": "\n".join(f"{g} = {r}" for g, r in (provider.role_map if provider else {}).items()),
        "roles": [r.value for r in Role],
        "callback": _callback(request),
        "after_logout": base + "/connexion",
        "start": f"{base}/connexion/sso/{principal.tenant.slug}",
        "error": error,
        "saved": saved,
    }
    return render(request, "account/sso.html", context, status_code=422 if error else 200)


@router.get("/sso/parametres", response_class=HTMLResponse)
def settings_page(
    request: Request, principal: Principal = Depends(require(Role.ADMIN)), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return _settings_page(request, db, principal)


@router.post("/sso/parametres", response_class=HTMLResponse)
def save_settings(
    request: Request,
    issuer: Annotated[str, Form()] = "",
    client_id: Annotated[str, Form()] = "",
    client_secret: Annotated[str, Form()] = "",
    scopes: Annotated[str, Form()] = "openid email profile",
    group_claim: Annotated[str, Form()] = "groups",
    role_map: Annotated[str, Form()] = "",
    enabled: Annotated[bool, Form()] = False,
    principal: Principal = Depends(require(Role.ADMIN)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Saves the provider; an empty secret keeps the stored one (it is never shown back)."""
    try:
        configure_sso(
            db,
            principal.tenant,
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret or None,
            scopes=scopes,
            group_claim=group_claim,
            role_map=parse_role_map(role_map.splitlines()),
            enabled=enabled,
            actor=principal.user.id,
        )
    except BaliseError as exc:
        db.rollback()
        return _settings_page(request, db, principal, error=exc.localized())
    db.commit()
    return _settings_page(request, db, principal, saved=True)
