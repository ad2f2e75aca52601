"""The person's own account: API tokens for programmatic access."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from balise.db import Session
from balise.errors import Invalid
from balise.tenancy import create_api_token
from balise.tenancy.people import revoke_api_token, tokens_of
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/compte", tags=["account"])


@router.get("/jetons", response_class=HTMLResponse)
def tokens_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return render(
        request, "account/tokens.html", {"tokens": tokens_of(db, principal.user.id), "new_token": None}
    )


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
        request,
        "account/tokens.html",
        {"tokens": tokens_of(db, principal.user.id), "new_token": issued.token},
    )


@router.post("/jetons/{token_id}/revoquer")
def revoke_token(
    token_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    revoke_api_token(db, principal.tenant.id, principal.user.id, token_id)
    db.commit()
    return RedirectResponse("/compte/jetons", status_code=303)
