"""Request dependencies: database session, who is calling, their tenant scope and role, CSRF.

The person is resolved from the session cookie or an ``Authorization: Bearer`` API token; the
request's database session is then scoped to their municipality, so every query in a route is.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from balise.bounds import MAX_FIELD_CHARS, MAX_PAGE, FieldTooLong
from balise.db.session import SessionFactory, scope_session
from balise.errors import BaliseError, Forbidden
from balise.tenancy import (
    Membership,
    Role,
    Tenant,
    User,
    WebSession,
    find_web_session,
    has_role,
    membership_of,
    resolve_api_token,
    visible_classifications,
)
from balise.tenancy.tokens import Scope, scopes_of

SESSION_COOKIE = "balise_session"
CSRF_COOKIE = "balise_csrf"
LANG_COOKIE = "balise_lang"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
TOKENLESS_PREFIXES = ("/compte", "/deconnexion", "/municipalite", "/sso")
"""A person's own credentials and session: only a signed-in browser manages them, never a token."""
ASK_PREFIXES = ("/api/assistant/", "/assistant/")
OPENAI_PREFIX = "/v1/"
"""The OpenAI-compatible door: every call, listing models too, needs the ask scope."""


class NotSignedIn(BaliseError):
    status = 401
    code = "not_signed_in"


@dataclass
class Principal:
    user: User
    tenant: Tenant
    role: str
    web_session: WebSession | None

    @property
    def classifications(self) -> tuple[str, ...]:
        return visible_classifications(self.role)

    def has(self, role: Role) -> bool:
        return has_role(self.role, role)


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_db(request: Request) -> Iterator[Session]:
    """The request's one session; pages read from it too (``request.state.db``) until it closes."""
    with SessionFactory(bind=engine_of(request)) as session:
        request.state.db = session
        try:
            yield session
        finally:
            request.state.db = None


class TokenScopeMissing(BaliseError):
    status = 403
    code = "token_scope"


def _needs_admin(dependant: Any) -> bool:
    """Whether a route's dependencies include ``require(Role.ADMIN)``."""
    return any(
        getattr(d.call, "balise_role", None) == Role.ADMIN or _needs_admin(d) for d in dependant.dependencies
    )


def required_scope(request: Request) -> Scope | None:
    """The token scope a request needs; ``None``: no token may make it (its person's own credentials).

    Administer for admin routes and every other change, ask for the assistant's tasks, read for the rest.
    """
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    if path.startswith(TOKENLESS_PREFIXES):
        return None
    dependant = getattr(route, "dependant", None)
    if dependant is not None and _needs_admin(dependant):
        return Scope.ADMINISTER
    if path.startswith(OPENAI_PREFIX):
        return Scope.ASK
    if request.method not in UNSAFE_METHODS:
        return Scope.READ
    if path.startswith(ASK_PREFIXES):
        return Scope.ASK
    return Scope.ADMINISTER


def _token_principal(request: Request, db: Session, bearer: str) -> Principal:
    token = resolve_api_token(db, bearer)
    user = db.get(User, token.user_id)
    tenant = db.get(Tenant, token.tenant_id)
    membership = membership_of(db, token.user_id, token.tenant_id)
    if user is None or tenant is None or membership is None or not user.active:
        raise NotSignedIn("This API token no longer gives access. Create a new one.")
    db.commit()
    needed = required_scope(request)
    if needed is None:
        raise TokenScopeMissing(
            "An API token cannot manage tokens or sessions. Sign in with your browser to do it."
        )
    if needed not in scopes_of(token):
        raise TokenScopeMissing(
            "This API token lacks the “{scope}” permission this request needs. "
            "Create a token with it on the “API tokens” page.",
            scope=needed.value,
        )
    return Principal(user, tenant, membership.role, None)


def _principal(request: Request, db: Session) -> Principal:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return _token_principal(request, db, auth[7:].strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotSignedIn("Please sign in to continue.")
    web_session = find_web_session(db, cookie)
    if web_session is None:
        raise NotSignedIn(
            "Your session has expired. Please sign in again; nothing you saved was lost.",
            code="session_expired",
        )
    user = db.get(User, web_session.user_id)
    tenant = db.get(Tenant, web_session.tenant_id)
    member: Membership | None = membership_of(db, web_session.user_id, web_session.tenant_id)
    if user is None or tenant is None or member is None or not user.active:
        raise NotSignedIn("Your access to this municipality has changed. Please sign in again.")
    return Principal(user, tenant, member.role, web_session)


def current_principal(request: Request, db: Session = Depends(get_db)) -> Principal:
    """The signed-in person, with the request's database session scoped to their municipality and
    to the classifications their role may read."""
    principal = _principal(request, db)
    scope_session(db, principal.tenant.id, principal.classifications)
    request.state.principal = principal
    if principal.web_session is not None:
        request.state.csrf_token = principal.web_session.csrf_token
    return principal


def require(role: Role) -> Callable[..., Principal]:
    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.has(role):
            raise Forbidden(
                "Your role does not give access to this page. Ask your administrator if you need it."
            )
        return principal

    check.balise_role = role  # type: ignore[attr-defined]  # read by required_scope
    return check


def tenant_db(principal: Principal = Depends(current_principal), db: Session = Depends(get_db)) -> Session:
    """The request's session, already limited to the caller's municipality and read clearance."""
    return db


class CsrfFailed(BaliseError):
    status = 403
    code = "csrf"


async def csrf_protect(request: Request) -> None:
    """Every state-changing request from a browser must echo its CSRF token.

    Requests with an API token carry no ambient authority and are exempt, as are the anonymous
    public JSON APIs. Signed-in browsers use the token of their session; anonymous forms (login)
    use a double-submit cookie.
    """
    if request.method not in UNSAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    if request.url.path.startswith("/api/public/"):
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if "form" in content_type:
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    expected = await _expected_csrf(request)
    if not sent or not any(secrets.compare_digest(sent, token) for token in expected):
        raise CsrfFailed(
            "This form has expired or did not come from Balise. Reload the page and submit it "
            "again; your text is still in the form."
        )


async def limit_form_fields(request: Request) -> None:
    """No field of any form is longer than :data:`~balise.bounds.MAX_FIELD_CHARS` (422 beyond): each
    form has its own tighter limits, this one holds for every field nobody thought of."""
    if request.method not in UNSAFE_METHODS or "form" not in request.headers.get("content-type", ""):
        return
    form = await request.form()
    for name, value in form.multi_items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            raise FieldTooLong(
                "The field “{field}” has {count} characters; shorten it to {max} at most.",
                field=name,
                count=len(value),
                max=MAX_FIELD_CHARS,
            )


# A page number of a list: 1 to MAX_PAGE (a larger one is a 422, not an overflow in the database).
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]


async def _expected_csrf(request: Request) -> list[str]:
    """The session's token when signed in, and the double-submit cookie of anonymous forms."""
    expected = []
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with SessionFactory(bind=engine_of(request)) as db:
            web_session = find_web_session(db, cookie)
            if web_session is not None:
                expected.append(web_session.csrf_token)
    if request.cookies.get(CSRF_COOKIE):
        expected.append(request.cookies[CSRF_COOKIE])
    return expected
