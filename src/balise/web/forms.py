"""The form layer the routers share: role checks for several roles, reading a form, and the one way a
form is saved — commit and go on, or roll back and show the form again with the French message.

Not a router, so no router imports another.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from balise.db import Session
from balise.errors import BaliseError, Forbidden
from balise.tenancy import Role
from balise.web.deps import CSRF_COOKIE, Principal, current_principal
from balise.web.templating import render


def require_any(*roles: Role) -> Callable[..., Principal]:
    """Any one of ``roles`` (administrators have them all)."""

    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if not any(principal.has(role) for role in roles):
            raise Forbidden(
                "Your role does not give access to this page. Ask your administrator if you need it."
            )
        return principal

    return check


async def form_of(request: Request) -> dict[str, Any]:
    """The form's fields; repeated names (checkboxes) become lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        data[key] = values if len(values) > 1 else (values[0] if values else "")
    return data


Saved = TypeVar("Saved")


def saved_or_shown_again(
    db: Session,
    save: Callable[[], Saved],
    *,
    then: str | Callable[[Saved], str | Response],
    again: Callable[[str, int], Response],
) -> Response:
    """Run ``save``; on success commit and answer ``then`` (a URL is a 303 redirect, or a page), on a
    user's error roll back and answer ``again(message, status)``: the form shown again with the
    message, nothing half-saved."""
    try:
        saved = save()
    except BaliseError as exc:
        db.rollback()
        return again(exc.localized(), exc.status)
    db.commit()
    after = then if isinstance(then, str) else then(saved)
    return RedirectResponse(after, status_code=303) if isinstance(after, str) else after

    return RedirectResponse(then if isinstance(then, str) else then(saved), status_code=303)


def anonymous_form_page(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A public page whose form is sent without signing in: the double-submit CSRF token is put in
    the page and in its cookie (the one the browser already has, or a new one)."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    request.state.csrf_token = csrf
    response = render(request, template, context, status_code=status_code)
    response.set_cookie(
        CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )
    return response
