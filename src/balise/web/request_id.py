"""Every request gets an id: bound to its log lines, echoed in ``X-Request-ID``, logged once on access.

The id a client sends is believed only from a trusted reverse proxy (``BALISE_TRUSTED_PROXIES``),
which may have given it to the request in its own log; anyone else gets a fresh one, so that nobody
can make their requests look like someone else's in the logs.
"""

from __future__ import annotations

import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from balise.logs import REQUEST_ID_HEADER, accepted_request_id, bound, get_logger
from balise.operations.network import AddressList

access = get_logger("balise.access")
MAX_LOGGED_PATH = 200


class RequestId:
    """ASGI middleware, outermost but for the model wait: it sees the peer before the proxy headers
    are applied, so the trust decision is about the proxy itself."""

    def __init__(self, app: ASGIApp, trusted: AddressList) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope["client"][0] if scope.get("client") else None
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER) if peer in self.trusted else None
        request_id = accepted_request_id(incoming)
        # Also on the request: the 500 page is written outside this middleware, after the id is unbound.
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with bound(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                route = scope.get("route")
                # The route's pattern, never the query string (citizens' questions) nor the client address.
                path = getattr(route, "path", None) or scope["path"][:MAX_LOGGED_PATH]
                access.info(
                    "request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                )
