"""Privacy settings of the municipality (D3, P6): what the guard masks, and a box to see it at work.

The privacy officer (and administrators) choose the labels to mask, the terms always masked
(deny-list) or never masked (allow-list, e.g. the mayor's public name) and how long the placeholder
vault keeps values. The test box runs the guard's ``preview`` with the saved settings, so what it
shows is exactly what a model would receive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from balise.bounds import MAX_PAGE, whole_number
from balise.db import Session
from balise.errors import BaliseError, Invalid
from balise.guard.privacy import (
    LABEL_NAMES,
    LABELS,
    Preview,
    PrivacySettings,
    get_guard,
    load_settings,
    save_settings,
)
from balise.i18n import gettext_
from balise.tenancy import Role
from balise.tenancy.jurisdiction import JURISDICTION_LABELS, jurisdiction_of, save_jurisdiction
from balise.web.deps import Principal, require, tenant_db
from balise.web.templating import render

router = APIRouter(prefix="/confidentialite", tags=["privacy"])

MAX_PREVIEW_CHARS = 5000


@dataclass(frozen=True)
class Segment:
    """A piece of the text as a model would receive it: kept as is, or replaced by a placeholder."""

    text: str
    label: str = ""
    original: str = ""
    public: bool = False


def segments(text: str, preview: Preview) -> list[Segment]:
    """The original text cut at each masked span, so the page can highlight what is replaced."""
    parts: list[Segment] = []
    cursor = 0
    cuts = [(s.start, s.end, Segment(s.placeholder, s.label, text[s.start : s.end])) for s in preview.spans]
    cuts += [(start, end, Segment(text[start:end], public=True)) for start, end in preview.public]
    for start, end, segment in sorted(cuts, key=lambda cut: cut[0]):
        if start > cursor:
            parts.append(Segment(text[cursor:start]))
        parts.append(segment)
        cursor = end
    if cursor < len(text):
        parts.append(Segment(text[cursor:]))
    return parts


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _page(
    request: Request,
    principal: Principal,
    settings: PrivacySettings,
    *,
    form: dict[str, object] | None = None,
    error: str = "",
    notice: str = "",
    sample: str = "",
    preview: Preview | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The settings form (the submitted values when they were refused) and the test box."""
    values: dict[str, object] = {
        "labels": settings.labels,
        "deny_terms": "\n".join(settings.deny_terms),
        "allow_terms": "\n".join(settings.allow_terms),
        "retention_days": str(settings.retention_days),
    }
    values.update(form or {})
    return render(
        request,
        "privacy/settings.html",
        {
            "values": values,
            "all_labels": LABELS,
            "label_names": LABEL_NAMES,
            "unmasked": [label for label in LABELS if label not in settings.labels],
            "error": error,
            "notice": notice,
            "sample": sample,
            "max_preview_chars": MAX_PREVIEW_CHARS,
            "preview": preview,
            "segments": segments(sample, preview) if preview is not None else [],
            "jurisdiction": jurisdiction_of(principal.tenant),
            "jurisdictions": JURISDICTION_LABELS,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def settings_page(
    request: Request,
    principal: Principal = Depends(require(Role.PRIVACY_OFFICER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    return _page(request, principal, load_settings(db, principal.tenant.id))


@router.post("", response_class=HTMLResponse)
def save(
    request: Request,
    labels: Annotated[list[str] | None, Form()] = None,
    deny_terms: Annotated[str, Form()] = "",
    allow_terms: Annotated[str, Form()] = "",
    retention_days: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.PRIVACY_OFFICER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Saves the settings; refused values come back in the form with the reason, nothing is lost."""
    labels = labels or []
    submitted: dict[str, object] = {
        "labels": frozenset(labels),
        "deny_terms": deny_terms,
        "allow_terms": allow_terms,
        "retention_days": retention_days,
    }
    try:
        days = whole_number(retention_days, maximum=MAX_PAGE)
        if days is None:
            raise Invalid("The retention period is a whole number of days, for example 30.")
        settings = PrivacySettings(
            labels=frozenset(labels),
            deny_terms=_lines(deny_terms),
            allow_terms=_lines(allow_terms),
            retention_days=days,
        )
    except BaliseError as exc:
        current = load_settings(db, principal.tenant.id)
        return _page(
            request, principal, current, form=submitted, error=exc.localized(), status_code=exc.status
        )
    save_settings(db, principal.tenant.id, settings, actor=principal.user.id)
    db.commit()
    return _page(request, principal, settings, notice=gettext_("The privacy settings were saved."))


@router.post("/essai", response_class=HTMLResponse)
def try_text(
    request: Request,
    text: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.PRIVACY_OFFICER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """Shows what the guard would send for this text; nothing is sent, stored or logged."""
    settings = load_settings(db, principal.tenant.id)
    try:
        if not text.strip():
            raise Invalid("Type or paste a text to test.")
        if len(text) > MAX_PREVIEW_CHARS:
            raise Invalid(
                "The text has {count} characters; test at most {max} at a time.",
                count=len(text),
                max=MAX_PREVIEW_CHARS,
            )
        preview = get_guard().preview(text, settings)
    except BaliseError as exc:
        return _page(request, principal, settings, sample=text, error=exc.localized(), status_code=exc.status)
    return _page(request, principal, settings, sample=text, preview=preview)


@router.post("/juridiction", response_class=HTMLResponse)
def save_law(
    request: Request,
    jurisdiction: Annotated[str, Form()] = "",
    canton: Annotated[str, Form()] = "",
    cantonal_law: Annotated[str, Form()] = "",
    principal: Principal = Depends(require(Role.PRIVACY_OFFICER)),
    db: Session = Depends(tenant_db),
) -> HTMLResponse:
    """The law that applies (L1, L2): Quebec, or Switzerland with its canton and the canton's law."""
    settings = load_settings(db, principal.tenant.id)
    try:
        save_jurisdiction(
            db,
            principal.tenant,
            jurisdiction,
            canton=canton,
            cantonal_law=cantonal_law,
            actor=principal.user.id,
        )
    except BaliseError as exc:
        db.rollback()
        return _page(request, principal, settings, error=exc.localized(), status_code=exc.status)
    db.commit()
    return _page(request, principal, settings, notice=gettext_("The applicable law was saved."))
