"""The signed-in home page: what the person can do here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from balise.db import Session
from balise.tenancy.people import other_tenants
from balise.web.deps import Principal, current_principal, engine_of, get_db
from balise.web.templating import render

router = APIRouter(tags=["home"])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: Principal = Depends(current_principal)) -> HTMLResponse:
    others = other_tenants(engine_of(request), principal.user.id, principal.tenant.id)
    return render(request, "home.html", {"other_tenants": others})


@router.get("/api/me", tags=["api"])
def me(principal: Principal = Depends(current_principal), db: Session = Depends(get_db)) -> dict[str, object]:
    """Who the credentials belong to: useful to check an API token."""
    return {
        "user": {"id": principal.user.id, "email": principal.user.email, "name": principal.user.display_name},
        "tenant": {"id": principal.tenant.id, "slug": principal.tenant.slug, "name": principal.tenant.name},
        "role": principal.role,
        "classifications": list(principal.classifications),
    }
