"""The walls of docs/architecture.md, checked on the source: a module that breaks one fails here.

* the web layer parses, calls a service and renders: no router queries the database, opens a
  session or a thread, calls a model server, or imports another router;
* ingestion (documents, search, jobs) never sends text to a model;
* the core knows no screen: only ``balise.web`` imports the web framework or the templates.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import balise

SRC = Path(balise.__file__).parent
ROUTERS = SRC / "web" / "routers"

ROUTER_FORBIDDEN_MODULES = (
    "sqlalchemy",
    "httpx",
    "openai",
    "threading",
    "balise.gateway.openai_backend",
    "balise.gateway.gateway",
    "balise.gateway.extractive",
    "balise.web.routers",
)
ROUTER_FORBIDDEN_NAMES = {
    "balise.db": {"SessionFactory", "open_session", "tenant_session", "scope_session"},
    "balise.db.session": {"SessionFactory", "open_session", "tenant_session", "scope_session"},
    "balise.gateway": {"Gateway", "ExtractiveBackend"},
}
# Issue #10 moves the in-process job runner (a thread, an Engine) out of this router; until then
# it is the one router allowed these imports.
RUNNER_UNTIL_ISSUE_10 = {"documents.py": {"sqlalchemy", "threading"}}

MODEL_CLIENTS = ("openai", "httpx", "balise.gateway", "balise.guard.privacy")
INGESTION = ("documents", "search", "jobs")
# Dense vectors may come from the operator's own OpenAI-compatible /v1/embeddings server
# (docs/architecture.md): an embedding model, chosen for indexing, never the generative gateway.
EMBEDDING_SERVER = {"search/embeddings.py": {"openai"}}
SCREEN = ("fastapi", "starlette", "jinja2", "balise.web")


def _imports(path: Path) -> Iterator[tuple[str, set[str]]]:
    """(module, names imported from it) for every import of a source file, relative ones resolved."""
    package = ".".join(("balise", *path.relative_to(SRC).parent.parts))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, set()
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names = {alias.name for alias in node.names}
            yield module, names
            for name in names:  # "from balise.web import nav" imports the module balise.web.nav
                yield f"{module}.{name}", set()


def _within(module: str, prefixes: tuple[str, ...]) -> str | None:
    return next((p for p in prefixes if module == p or module.startswith(p + ".")), None)


def test_routers_only_parse_call_a_service_and_render() -> None:
    broken = []
    for path in sorted(ROUTERS.glob("*.py")):
        allowed = RUNNER_UNTIL_ISSUE_10.get(path.name, set())
        for module, names in _imports(path):
            wall = _within(module, ROUTER_FORBIDDEN_MODULES)
            if wall == "balise.web.routers" and path.name == "__init__.py":
                continue
            if wall is not None and wall not in allowed:
                broken.append(f"{path.name} imports {module}")
            for name in names & ROUTER_FORBIDDEN_NAMES.get(module, set()):
                broken.append(f"{path.name} imports {name} from {module}")
    assert not broken, "routers must call a package's service instead:\n" + "\n".join(broken)


def test_ingestion_never_reaches_a_model() -> None:
    broken = [
        f"{path.relative_to(SRC)} imports {module}"
        for package in INGESTION
        for path in sorted((SRC / package).rglob("*.py"))
        for module, _names in _imports(path)
        if _within(module, MODEL_CLIENTS)
        not in EMBEDDING_SERVER.get(str(path.relative_to(SRC)), set()) | {None}
    ]
    assert not broken, "\n".join(broken)


def test_the_core_knows_no_screen() -> None:
    broken = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in sorted(SRC.rglob("*.py"))
        if "web" not in path.relative_to(SRC).parts[:1]
        for module, _names in _imports(path)
        if _within(module, SCREEN)
    ]
    assert not broken, "\n".join(broken)
