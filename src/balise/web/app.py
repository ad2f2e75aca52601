"""The FastAPI application: middleware, error pages and the routers ``balise.capabilities`` lists."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import Counter, Histogram
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import balise
from balise.capabilities import CAPABILITIES, load
from balise.config import get_settings
from balise.db import CrossTenantWrite, default_engine
from balise.db.failures import storage_failure
from balise.errors import BaliseError
from balise.gateway.door_sse import error_body
from balise.i18n import N_, current_locale, gettext_, negotiate
from balise.logs import REQUEST_ID_HEADER, bound
from balise.operations.maintenance import maintenance_state
from balise.operations.network import AddressList, strict_transport_security, trusted_proxies
from balise.web.admission import BUSY, RETRY_AFTER_SECONDS, Admission, needs_turn
from balise.web.api_docs import add_api_docs
from balise.web.deps import LANG_COOKIE, OPENAI_PREFIX, csrf_protect, limit_form_fields
from balise.web.request_id import RequestId
from balise.web.templating import render

log = logging.getLogger("balise.web")
STATIC_DIR = Path(__file__).parent / "static"

REQUESTS = Counter("balise_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("balise_http_request_seconds", "HTTP request latency", ["route"])

# Scripts and styles only from files of this server (no inline script or style, no eval: htmx's own
# indicator style is switched off in base.html and lives in balise.css). Features no page uses are
# switched off for the page and anything it embeds.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "display-capture=(), browsing-topics=()"
)
STATUS_TITLES = {
    400: N_("The request could not be understood"),
    401: N_("Sign-in required"),
    403: N_("Access refused"),
    404: N_("Page not found"),
    405: N_("Action not allowed here"),
    413: N_("File too large"),
    422: N_("Some information is missing or invalid"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
    503: N_("Service temporarily unavailable"),
}
STATUS_HINTS = {
    404: N_("The address may be mistyped, or the item was deleted or belongs to another municipality."),
    500: N_("The error was recorded. Try again in a moment; if it persists, tell your administrator."),
}


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_DURING_MAINTENANCE = frozenset({"/connexion", "/deconnexion", "/municipalite"})
"""Signing in and out (and choosing one's municipality) stay possible: they change no data."""
MAINTENANCE_REFUSAL = N_(
    "Balise is under maintenance: changes are paused. Try again in a few minutes;"
    " what you typed is not saved."
)


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", OPENAI_PREFIX)) and "text/html" in request.headers.get(
        "accept", "text/html"
    )


def error_response(
    request: Request, status: int, message: str, code: str, link: tuple[str, str] | None = None
) -> Response:
    response = _error_response(request, status, message, code, link)
    request_id = getattr(request.state, "request_id", None)
    if request_id:  # a 500 is sent past the request-id middleware: it names the id itself
        response.headers[REQUEST_ID_HEADER] = request_id
    return response


def _error_response(
    request: Request, status: int, message: str, code: str, link: tuple[str, str] | None
) -> Response:
    if status == 401 and wants_html(request) and request.method == "GET":
        target = "/connexion?next=" + quote(str(request.url.path))
        if code == "session_expired":
            target += "&expired=1"
        return RedirectResponse(target, status_code=303)
    if request.url.path.startswith(OPENAI_PREFIX):  # what the OpenAI clients read and raise
        return JSONResponse(error_body(message, status, code), status_code=status)
    if wants_html(request):
        title = gettext_(STATUS_TITLES.get(status, N_("Error")))
        hint = gettext_(STATUS_HINTS[status]) if status in STATUS_HINTS else ""
        # A server error names the request's id: the person quotes it, the logs and audit hold it.
        reference = getattr(request.state, "request_id", "") if status >= 500 else ""
        context = {
            "status": status,
            "title": title,
            "message": message,
            "hint": hint,
            "reference": reference,
            "link": link,
        }
        try:
            return render(request, "error.html", context, status_code=status)
        except Exception:  # the failure broke what the header reads (a session in a failed transaction)
            log.warning("error page shown without the signed-in header", exc_info=True)
            request.state.principal = None
            return render(request, "error.html", context, status_code=status)
    body = {"error": code, "message": message} | ({"link": link[0]} if link else {})
    return JSONResponse(body, status_code=status)


def create_app(engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="Balise",
        version=balise.__version__,
        description="Responsible generative AI for municipalities.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by web/api_docs.py: the whole schema to signed-in people only
        dependencies=[Depends(limit_form_fields), Depends(csrf_protect)],
    )
    app.state.engine = engine or default_engine()
    settings = get_settings()
    hsts = strict_transport_security(settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    admission = Admission(settings.concurrent_requests, settings.queue_seconds)

    @app.middleware("http")  # added first, so it runs inside the locale, the headers and the request id
    async def in_turn(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not needs_turn(request.url.path):
            return await call_next(request)
        async with admission.turn() as admitted:
            if admitted:  # a streamed answer gives its turn back once it starts
                return await call_next(request)
        log.warning(
            "request waited %s s for its turn on %s: refused", admission.wait_seconds, request.url.path
        )
        busy = error_response(request, 503, gettext_(BUSY), "busy")
        busy.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return busy

    @app.middleware("http")
    async def maintenance_refuses_writes(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if (
            request.method in WRITE_METHODS
            and request.url.path not in OPEN_DURING_MAINTENANCE
            and maintenance_state(get_settings().data_dir) is not None
        ):
            return error_response(request, 503, gettext_(MAINTENANCE_REFUSAL), "maintenance")
        return await call_next(request)

    @app.middleware("http")
    async def locale_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = current_locale.set(
            negotiate(request.headers.get("accept-language"), request.cookies.get(LANG_COOKIE))
        )
        started = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            current_locale.reset(token)
        route = request.scope.get("route")
        route_path = getattr(route, "path", "unmatched")
        REQUESTS.labels(request.method, route_path, str(response.status_code)).inc()
        LATENCY.labels(route_path).observe(time.perf_counter() - started)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.url.scheme == "https" and hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response

    @app.exception_handler(BaliseError)
    async def balise_error(request: Request, exc: BaliseError) -> Response:
        response = error_response(request, exc.status, exc.localized(), exc.code, exc.link())
        response.headers.update(exc.headers())
        return response

    @app.exception_handler(CrossTenantWrite)
    def cross_tenant(request: Request, exc: CrossTenantWrite) -> Response:
        """Refused, and recorded as a signal for the confidentiality-incident register."""
        from balise.governance.signals import record_refused_write

        log.error("cross-tenant write refused on %s", request.url.path)
        principal = getattr(request.state, "principal", None)
        if principal is not None:
            record_refused_write(app.state.engine, principal.tenant.id, principal.user.id, request.url.path)
        return error_response(request, 403, gettext_(STATUS_TITLES[403]), "cross_tenant")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = gettext_(STATUS_TITLES.get(exc.status_code, N_("Error")))
        return error_response(request, exc.status_code, message, "http_" + str(exc.status_code))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        broken = next((err for err in exc.errors() if err.get("type") == "json_invalid"), None)
        if broken is not None:  # say where the JSON breaks, not that "field 13" is missing
            location = broken.get("loc", ())
            message = gettext_(
                "The request body is not valid JSON ({error}, at character {position}). "
                "Check its syntax and send it again."
            ).format(
                error=(broken.get("ctx") or {}).get("error", "?"),
                position=location[1] if len(location) > 1 else "?",
            )
            return error_response(request, 400, message, "invalid_json")
        fields = ", ".join(".".join(str(p) for p in err.get("loc", [])[1:]) for err in exc.errors())
        message = gettext_(
            "Some fields are missing or invalid: {fields}. Correct them and try again."
        ).format(fields=fields or "?")
        return error_response(request, 422, message, "invalid")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        failure = storage_failure(exc)
        if failure is not None:  # a full disk or a database away: the operator's to mend, said plainly
            log.error("%s on %s: %s", failure.code, request.url.path, exc)
            return error_response(request, failure.status, failure.localized(), failure.code)
        with bound(request_id=getattr(request.state, "request_id", None)):  # unbound by now: bind again
            log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, gettext_(STATUS_HINTS[500]), "server_error")

    # Registered for these classes too, so that the answer is sent from inside the routing and the
    # error is not raised again to the server (which dropped the connection on a full disk).
    app.add_exception_handler(DBAPIError, unexpected)
    app.add_exception_handler(OSError, unexpected)

    add_api_docs(app)
    for capability in CAPABILITIES:
        for module in capability.routers:
            app.include_router(load(module).router)
    # Added last, so it runs first: the client address and scheme every later step sees (login limit,
    # Secure cookies, metrics allow-list, HSTS) are the forwarded ones only when a trusted proxy sent them.
    proxies = trusted_proxies(get_settings())
    if proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    app.add_middleware(RequestId, trusted=AddressList.parse(",".join(proxies), "BALISE_TRUSTED_PROXIES"))
    return app


def serve_app() -> FastAPI:
    """The app as ``balise serve`` runs it: it listens at once while its models load in the background;
    pages asked for meanwhile wait for them (balise.web.starting), /readyz says « starting »."""
    from balise.warmup import expect_warming
    from balise.web.starting import WaitForModels

    expect_warming()  # the loading starts with the server (WaitForModels), not before the port opens
    app = create_app()
    app.add_middleware(WaitForModels)
    return app
