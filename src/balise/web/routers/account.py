"""The person's own account: API tokens for programmatic access (managed from a browser only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from balise.db import Session
from balise.errors import Invalid
from balise.tenancy import create_api_token
from balise.tenancy.people import revoke_api_token, tokens_of
from balise.tenancy.tokens import DEFAULT_DAYS, DEFAULT_SCOPES, EXPIRY_CHOICES, SCOPE_LABELS, is_expired
from balise.web.deps import Principal, current_principal, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/compte", tags=["account"])


@router.get("/jetons", response_class=HTMLResponse)
def tokens_page(
    request: Request, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> HTMLResponse:
    return render(request, "account/tokens.html", _context(db, principal, None))


def _context(db: Session, principal: Principal, new_token: str | None) -> dict[str, object]:
    tokens = tokens_of(db, principal.user.id)
    return {
        "tokens": tokens,
        "expired": {t.id for t in tokens if is_expired(t)},
        "new_token": new_token,
        "scope_labels": SCOPE_LABELS,
        "default_scopes": DEFAULT_SCOPES,
        "expiry_choices": EXPIRY_CHOICES,
        "default_days": DEFAULT_DAYS,
    }


@router.post("/jetons", response_class=HTMLResponse)
def create_token(
    request: Request,
    name: Annotated[str, Form()] = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    scopes_shown: Annotated[bool, Form()] = False,
    days: Annotated[int, Form()] = DEFAULT_DAYS,
    principal: Principal = Depends(current_principal),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    if not name.strip():
        raise Invalid("Give the token a name, for example the tool that will use it.")
    issued = create_api_token(
        db,
        principal.tenant,
        principal.user,
        name.strip()[:120],
        # The page always sends ``scopes_shown``: nothing ticked there is a mistake, not the default.
        scopes=scopes or ([] if scopes_shown else DEFAULT_SCOPES),
        days=days,
        actor=principal.user.id,
    )
    db.commit()
    return render(request, "account/tokens.html", _context(db, principal, issued.token))


@router.post("/jetons/{token_id}/revoquer")
def revoke_token(
    token_id: str, principal: Principal = Depends(current_principal), db: Session = Depends(tenant_db)
) -> RedirectResponse:
    revoke_api_token(db, principal.tenant.id, principal.user.id, token_id)
    db.commit()
    return RedirectResponse("/compte/jetons", status_code=303)
