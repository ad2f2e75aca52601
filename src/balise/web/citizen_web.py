"""Shared by the residents' pages and the citizen API: the public session, cookies, limits, CSP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from balise import citizen
from balise.config import get_settings
from balise.db import Session
from balise.tenancy import Tenant
from balise.web.deps import get_db

CONSENT_COOKIE = "balise_citizen_consent"
SESSION_COOKIE = "balise_citizen_session"
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def public_db(slug: str, request: Request, db: Session = Depends(get_db)) -> Iterator[Session]:
    """The request's session, scoped to the municipality of the address (tenant in ``request.state``)."""
    request.state.public_tenant = citizen.open_public(db, slug)
    yield db


PublicDb = Annotated[Session, Depends(public_db)]


def tenant_of(request: Request) -> Tenant:
    tenant: Tenant = request.state.public_tenant
    return tenant


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_rate(request: Request, session_id: str, kind: str = "ask") -> None:
    """Every public write counts against the citizen assistant's limits (429 beyond them)."""
    settings = get_settings()
    citizen.check_rate(
        client_address(request),
        session_id,
        per_address=settings.public_rate_limit,
        per_session=settings.public_session_rate_limit,
        kind=kind,
    )
