"""Jinja2 rendering with gettext, the signed-in person, the navigation and each capability's page
context (``balise.capabilities``) in every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

import balise
from balise.capabilities import CAPABILITIES, NAV_GROUPS, load, navigation
from balise.classification import CLASSIFICATION_LABELS
from balise.formatting import FILTERS
from balise.governance.requirements_text import emphasis
from balise.guard.privacy.labels import LABEL_NAMES
from balise.i18n import LOCALES, current_locale, gettext_, ngettext_
from balise.review.origin import describe_provenance, provenance_badge
from balise.tenancy.jurisdiction import is_swiss
from balise.tenancy.roles import ROLE_LABELS, Role, has_role

TEMPLATE_DIRS = [Path(__file__).parent / "templates"]

env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIRS),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(gettext_, ngettext_, newstyle=True)  # type: ignore[attr-defined]
env.globals["balise_version"] = balise.__version__  # in the footer: what a bug report must name


def role_label(role: str) -> str:
    return gettext_(ROLE_LABELS[Role(role)])


def pii_label(label: str) -> str:
    """A personal-information label (``CA_SIN``) as the person reading the page calls it."""
    return gettext_(LABEL_NAMES[label]) if label in LABEL_NAMES else label


def classification_label(classification: str) -> str:
    """« Public », « Interne »…: a classification as the library names it."""
    label = CLASSIFICATION_LABELS.get(classification)
    return gettext_(label) if label else classification


def emphasised(text: str) -> Markup:
    """The requirements' light markdown (``*…*``, ``**…**``) as ``<em>`` and ``<strong>``, escaped."""
    parts = []
    for span in emphasis(text):
        part = escape(span.text)
        if span.italic:
            part = Markup("<em>%s</em>") % part
        if span.bold:
            part = Markup("<strong>%s</strong>") % part
        parts.append(part)
    return Markup("").join(parts)


env.filters.update(FILTERS)  # numbers, sizes, dates in the reader's language (balise.formatting)
env.filters["role_label"] = role_label
env.filters["emphasised"] = emphasised
env.filters["classification_label"] = classification_label
env.filters["pii_label"] = pii_label
env.filters["origin_badge"] = provenance_badge  # how a saved text was made, from its provenance
env.filters["produced_by"] = describe_provenance
env.tests["swiss"] = is_swiss  # {% if principal.tenant is swiss %}: the nLPD's instruments apply (L2)


@cache
def _page_contexts() -> list[Callable[[Request], dict[str, Any]]]:
    return [load(reference) for capability in CAPABILITIES for reference in capability.page_context]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    visible_nav = [
        item for item in navigation() if principal is not None and has_role(principal.role, Role(item.role))
    ]
    nav_groups = []  # (group, label, items, open: the group holds the current page)
    for group, label in NAV_GROUPS.items():
        items = [item for item in visible_nav if item.group == group]
        if items:
            here = any(request.url.path.startswith(item.path) for item in items)
            nav_groups.append((group, label, items, here))
    page = {
        "request": request,
        "principal": principal,
        "nav": visible_nav,
        "nav_groups": nav_groups,
        "locale": current_locale.get(),
        "locales": LOCALES,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "current_path": request.url.path,
    }
    for page_context in _page_contexts():
        page.update(page_context(request))
    page.update(context or {})
    return HTMLResponse(env.get_template(template).render(page), status_code=status_code)
