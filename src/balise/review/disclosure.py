"""The AI-use mention (D2) and machine-readable provenance (L3) that travel with every output.

The mention is written in the municipality's language, not the reader's interface language, because it
becomes part of the document. The provenance borrows the IPTC "digital source type" vocabulary used by
C2PA manifests, so that tools that understand those standards recognise AI-generated content
(EU AI Act art. 50 asks for a machine-readable marking).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

import balise
from balise.errors import Invalid
from balise.i18n import _, use_locale
from balise.review.models import Output, Status
from balise.review.origin import BACKEND_KIND, Origin, origin_of, stored_origin
from balise.tenancy import Tenant, store_setting

TEMPLATE_KEY = "disclosure_template"
PLACEHOLDERS = frozenset({"model", "backend", "date", "tenant"})
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
# Extracts picked by an algorithm from human-written documents, with no generative model.
ALGORITHMIC_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
MAX_TEMPLATE_LENGTH = 500


@dataclass(frozen=True)
class Disclosure:
    """``text`` is the mention shown to readers; ``provenance`` is the same fact for machines."""

    text: str
    provenance: dict[str, Any] = field(default_factory=dict)


def default_template(locale: str) -> str:
    """The built-in mention, in ``locale``."""
    with use_locale(locale):
        return _("Text produced with the help of generative AI (model {model}, on {date}).")


def extractive_template(locale: str) -> str:
    """The built-in mention when no model wrote anything: sentences picked from the documents (D2)."""
    with use_locale(locale):
        return _(
            "Text assembled by Balise from extracts of the municipality's documents, without a "
            "generative model (on {date})."
        )


def fill_in_template(locale: str) -> str:
    """The built-in mention of a municipal template filled with the request, no model and no extract."""
    with use_locale(locale):
        return _(
            "Template to complete: the municipality's model filled in by Balise with your request, without "
            "a generative model (on {date})."
        )


def text_extract_template(locale: str) -> str:
    """The built-in mention of a summary made of sentences of a pasted text, no model (D2)."""
    with use_locale(locale):
        return _(
            "Text assembled by Balise from sentences of the text provided, without a generative model "
            "(on {date})."
        )


def revision_rules_template(locale: str) -> str:
    """The built-in mention of a text revised by Balise's writing rules, no model and no document."""
    with use_locale(locale):
        return _("Text revised by Balise with writing rules, without a generative model (on {date}).")


def template_of(tenant: Tenant, origin: Origin = Origin.GENERATIVE) -> str:
    """The mention of ``origin``; the municipality's own wording replaces only the generative one, since
    it speaks of AI and the others say exactly how Balise made the text without a model."""
    if origin is not Origin.GENERATIVE:
        return {
            Origin.EXTRACT: extractive_template,
            Origin.TEXT_EXTRACT: text_extract_template,
            Origin.TEMPLATE: fill_in_template,  # never "extracts" nor "AI": a form to complete
            Origin.REVISION_RULES: revision_rules_template,
        }[origin](tenant.locale)
    custom = (tenant.settings or {}).get(TEMPLATE_KEY)
    if isinstance(custom, str) and custom.strip():
        return custom
    return default_template(tenant.locale)


def check_template(template: str) -> str:
    """Refuse a template a reader could not understand or that would fail when filled."""
    template = template.strip()
    if not template:
        raise Invalid("The AI-use mention cannot be empty. Write a sentence, or restore the default one.")
    if len(template) > MAX_TEMPLATE_LENGTH:
        raise Invalid("The AI-use mention is too long: keep it under {n} characters.", n=MAX_TEMPLATE_LENGTH)
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise Invalid(
            "The AI-use mention has an unmatched brace. Use braces only around {fields}.",
            fields=", ".join(sorted(PLACEHOLDERS)),
        ) from exc
    unknown = names - PLACEHOLDERS
    if unknown:
        raise Invalid(
            "The AI-use mention uses unknown fields: {unknown}. Use only {fields}.",
            unknown=", ".join(sorted(unknown)),
            fields=", ".join(sorted(PLACEHOLDERS)),
        )
    return template


def set_template(session: Session, tenant: Tenant, template: str | None, *, actor: str) -> None:
    """Store the municipality's own mention; ``None`` restores the default one."""
    store_setting(
        session,
        tenant,
        TEMPLATE_KEY,
        None if template is None else check_template(template),
        action="review.disclosure_template_changed",
        actor=actor,
        details={"custom": template is not None},
    )


def build_disclosure(
    tenant: Tenant,
    *,
    model: str,
    backend_kind: str,
    at: datetime,
    origin: Origin | None = None,
    backend_name: str | None = None,
    reviewed_by: str | None = None,
    output_id: str | None = None,
    review_status: str | None = None,
) -> Disclosure:
    """The mention and provenance of one output; ``reviewed_by`` adds the reviewer's responsibility (L3).

    ``origin`` says how the text was made (see :mod:`balise.review.origin`); without it, the backend kind
    alone decides.
    """
    origin = origin or origin_of("", backend_kind)
    generated = origin is Origin.GENERATIVE
    backend_kind = backend_kind if generated else BACKEND_KIND[origin]
    with use_locale(tenant.locale):
        text = template_of(tenant, origin).format(
            model=model,
            backend=backend_kind,
            date=format_date(at, format="long", locale=tenant.locale),
            tenant=tenant.name,
        )
        if reviewed_by:
            text += " " + _("Reviewed and approved by {name}.").format(name=reviewed_by)
    provenance: dict[str, Any] = {
        "ai_generated": generated,
        "digital_source_type": DIGITAL_SOURCE_TYPE if generated else ALGORITHMIC_SOURCE_TYPE,
        "generator": f"Balise {balise.__version__}",
        "origin": origin.value,
        "model": model if generated else None,
        "backend": backend_kind,
        "backend_name": (backend_name or model) if generated else None,
        "date": at.isoformat(),
        "reviewed_by": reviewed_by,
        "review_status": review_status,
        "tenant": tenant.slug,
        "output_id": output_id,
        "disclosure": text,
    }
    return Disclosure(text, provenance)


def disclosure_for(tenant: Tenant, output: Output) -> Disclosure:
    """The disclosure of a saved output, from its provenance and where it stands in review."""
    provenance = output.provenance or {}
    created = provenance.get("date") or provenance.get("created_at")
    at = datetime.fromisoformat(created) if isinstance(created, str) else output.created_at
    origin = stored_origin(provenance)
    name = provenance.get("backend_name")
    return build_disclosure(
        tenant,
        model=str(provenance.get("model") or "?"),
        backend_kind=BACKEND_KIND[origin],
        at=at,
        origin=origin,
        backend_name=str(name) if name else None,
        reviewed_by=output.approved_by if output.status == Status.APPROVED else None,
        output_id=output.id,
        review_status=output.status,
    )
