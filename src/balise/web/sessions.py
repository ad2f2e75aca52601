"""The answer that starts a browser session, shared by password and single sign-on sign-ins."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from balise.config import get_settings
from balise.i18n import LOCALES
from balise.tenancy import User
from balise.tenancy.signin import FailureNotice
from balise.web.deps import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE
from balise.web.templating import render


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in forms cannot be used to send people elsewhere."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def signed_in_response(
    request: Request, user: User, token: str, next_: str, notice: FailureNotice | None = None
) -> Response:
    """Sets the session cookie and lands on the page asked for, or first on the notice of failed attempts."""
    settings = get_settings()
    response: Response
    if notice is None:
        response = RedirectResponse(next_, status_code=303)
    else:
        response = render(request, "login_notice.html", {"notice": notice, "next": next_})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(CSRF_COOKIE)
    if user.locale in LOCALES:
        response.set_cookie(
            LANG_COOKIE, user.locale, samesite="lax", secure=is_https(request), max_age=31536000
        )
    return response
