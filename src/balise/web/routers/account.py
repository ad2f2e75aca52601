"""The person's own account: API tokens for programmatic access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Invalid, NotFound
from balise.i18n import N_
from balise.tenancy import ApiToken, create_api_token
from balise.web import nav
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/compte", tags=["account"])
nav.register(nav.NavItem("/compte/jetons", N_("API tokens"), order=900))


def _tokens(db: Session, principal: Principal) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == principal.user.id).order_by(ApiToken.created_at.desc())
    return list(db.scalars(stmt))


@router.get("/jetons", response_class=HTMLResponse)
def tokens_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return render(request, "account/tokens.html", {"tokens": _tokens(db, principal), "new_token": None})


@router.post("/jetons", response_class=HTMLResponse)
def create_token(
    request: Request,
    name: Annotated[str, Form()] = "",
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    if not name.strip():
        raise Invalid("Give the token a name, for example the tool that will use it.")
    issued = create_api_token(
        db, principal.tenant, principal.user, name.strip()[:120], actor=principal.user.id
    )
    db.commit()
    return render(
        request, "account/tokens.html", {"tokens": _tokens(db, principal), "new_token": issued.token}
    )


@router.post("/jetons/{token_id}/revoquer")
def revoke_token(
    token_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    token = db.scalars(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == principal.user.id)
    ).first()
    if token is None:
        raise NotFound("This token does not exist or is not yours.")
    token.revoked = True
    audit.record(
        db,
        "token.revoked",
        actor=principal.user.id,
        tenant_id=principal.tenant.id,
        target_type="api_token",
        target_id=token.id,
    )
    db.commit()
    return RedirectResponse("/compte/jetons", status_code=303)
