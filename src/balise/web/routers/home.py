"""The signed-in home page: what the person can do here."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db.session import SessionFactory
from balise.tenancy.models import Membership, Tenant
from balise.web.deps import Principal, current_principal, get_db
from balise.web.templating import render

router = APIRouter(tags=["home"])


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: Principal = Depends(current_principal)) -> HTMLResponse:
    return render(request, "home.html", {"other_tenants": _other_tenants(request, principal)})


def _other_tenants(request: Request, principal: Principal) -> list[Tenant]:
    """Municipalities this person also works for (memberships are read across tenants on purpose)."""
    with SessionFactory(bind=request.app.state.engine) as db:
        ids = select(Membership.tenant_id).where(Membership.user_id == principal.user.id)
        return list(db.scalars(select(Tenant).where(Tenant.id.in_(ids), Tenant.id != principal.tenant.id)))


@router.get("/api/me", tags=["api"])
def me(principal: Principal = Depends(current_principal), db: Session = Depends(get_db)) -> dict[str, object]:
    """Who the credentials belong to: useful to check an API token."""
    return {
        "user": {"id": principal.user.id, "email": principal.user.email, "name": principal.user.display_name},
        "tenant": {"id": principal.tenant.id, "slug": principal.tenant.slug, "name": principal.tenant.name},
        "role": principal.role,
        "classifications": list(principal.classifications),
    }
