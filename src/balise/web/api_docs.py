"""The API's description: the whole schema and its interactive page for signed-in people only (they
list every staff operation), and a public description of the operations anyone may call.

``/docs`` and ``/openapi.json`` need a signed-in person; ``/api/public/docs`` and
``/api/public/openapi.json`` describe only the residents' pages and the citizen API, with the
components those operations use and nothing else.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from balise.web.deps import Principal, current_principal

PUBLIC_PREFIXES = ("/api/public/", "/public/")
# Swagger UI started by a static file (static/swagger-init.js, which reads the schema address from
# the page), so that no inline script is needed.
API_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg">
</head>
<body>
<div id="swagger-ui" data-url="{url}"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def _refs(node: Any) -> set[str]:
    """The component names a part of the schema points to (``#/components/schemas/Name``)."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


def public_schema(full: dict[str, Any]) -> dict[str, Any]:
    """The schema reduced to the public operations and the components they reach, transitively."""
    paths = {path: item for path, item in full.get("paths", {}).items() if path.startswith(PUBLIC_PREFIXES)}
    schemas = full.get("components", {}).get("schemas", {})
    needed: set[str] = set()
    pending = _refs(paths)
    while pending:
        name = pending.pop()
        if name in needed or name not in schemas:
            continue
        needed.add(name)
        pending |= _refs(schemas[name])
    described = {key: value for key, value in full.items() if key not in ("paths", "components")}
    info = full.get("info", {})
    described["info"] = {**info, "title": f"{info.get('title', 'Balise')} public API"}
    described["paths"] = paths
    if needed:
        described["components"] = {"schemas": {name: schemas[name] for name in sorted(needed)}}
    return described


def _page(title: str, url: str) -> HTMLResponse:
    return HTMLResponse(API_DOCS_PAGE.format(title=html.escape(title), url=html.escape(url)))


def add_api_docs(app: FastAPI) -> None:
    """Adds the four routes; the app is created with ``openapi_url=None`` so that these replace
    FastAPI's own, public, ones."""

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(principal: Principal = Depends(current_principal)) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(principal: Principal = Depends(current_principal)) -> HTMLResponse:
        return _page("Balise API", "/openapi.json")

    @app.get("/api/public/openapi.json", include_in_schema=False)
    def public_openapi() -> JSONResponse:
        return JSONResponse(public_schema(app.openapi()))

    @app.get("/api/public/docs", include_in_schema=False)
    def public_docs() -> HTMLResponse:
        return _page("Balise public API", "/api/public/openapi.json")
