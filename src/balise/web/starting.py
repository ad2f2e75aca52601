"""Requests that arrive while ``balise serve`` still loads its models.

The port opens at once (a closed port made nginx answer 502 for a minute at every restart): the
probes answer straight away, every other request waits for the models (at most
:data:`balise.warmup.WAIT_SECONDS`) and, if they are still loading, gets a 503 asking to try again.
"""

from __future__ import annotations

import anyio
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from balise.i18n import _
from balise.warmup import WAIT_SECONDS, models_loading, wait_for_models, warm_in_background

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
RETRY_AFTER_SECONDS = 5


class WaitForModels:
    """ASGI middleware: starts loading the models with the server, and holds requests (not the probes)
    until they are loaded."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # uvicorn binds its socket right after the lifespan starts
            warm_in_background()
        if scope["type"] == "http" and scope["path"] not in PROBES and models_loading():
            await anyio.to_thread.run_sync(wait_for_models, WAIT_SECONDS)
            if models_loading():
                response = PlainTextResponse(
                    _("Balise is starting, try again in a few seconds."),
                    status_code=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
