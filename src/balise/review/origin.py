"""How a text was produced, decided in one place so that its mention, badge and provenance agree (D2, L3).

A text is made by one of five means: sentences picked from the municipality's documents (ask, summarise
of documents) or from a pasted text (summarise of a text), the municipality's template filled in (draft),
Balise's writing rules (revise), or a named generative model. Only the last one is AI-generated; saying
« extracts of the documents » of a revised letter, or « AI » of a filled template, misleads the reader.
Outputs saved before the origin was recorded are read from their task and backend kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from balise.i18n import _


class Origin(StrEnum):
    EXTRACT = "extract"
    TEXT_EXTRACT = "text_extract"
    TEMPLATE = "template"
    REVISION_RULES = "revision_rules"
    GENERATIVE = "generative"


NOT_GENERATED = frozenset({"extractive", "template", "rules"})
"""Backend kinds whose output no generative model wrote."""

BACKEND_KIND: dict[Origin, str] = {
    Origin.EXTRACT: "extractive",
    Origin.TEXT_EXTRACT: "extractive",
    Origin.TEMPLATE: "template",
    Origin.REVISION_RULES: "rules",
    Origin.GENERATIVE: "generative",
}
"""The backend kind recorded in the provenance for each origin."""


def origin_of(task: str, backend_kind: str, *, from_documents: bool = True) -> Origin:
    """The origin of a text ``task`` produced with a backend of ``backend_kind``.

    ``from_documents`` is false for a summary of a pasted text: its extracts are not the municipality's.
    """
    if backend_kind not in NOT_GENERATED:
        return Origin.GENERATIVE
    if task == "draft" or backend_kind == "template":
        return Origin.TEMPLATE
    if task == "revise" or backend_kind == "rules":
        return Origin.REVISION_RULES
    if task == "summarise" and not from_documents:
        return Origin.TEXT_EXTRACT
    return Origin.EXTRACT


def stored_origin(provenance: Mapping[str, Any]) -> Origin:
    """The origin a saved output records, or, for older outputs, the one its task and backend imply."""
    recorded = provenance.get("origin")
    if recorded in {origin.value for origin in Origin}:
        return Origin(recorded)
    return origin_of(
        str(provenance.get("task", "")),
        str(provenance.get("backend", "")),
        from_documents=bool(provenance.get("sources")),
    )


def origin_badge(origin: Origin, model: str | None = None) -> str:
    """The short label shown beside the text, in the reader's language."""
    if origin is Origin.GENERATIVE:
        return _("Generative model {model}").format(model=model or "?")
    return {
        Origin.EXTRACT: _("Extract from the documents"),
        Origin.TEXT_EXTRACT: _("Extract from the text provided"),
        Origin.TEMPLATE: _("Template to complete"),
        Origin.REVISION_RULES: _("Revised with writing rules"),
    }[origin]


def origin_description(origin: Origin, model: str | None = None, backend_name: str | None = None) -> str:
    """What produced the text, for the provenance shown to people (the « Produced by » line)."""
    if origin is Origin.GENERATIVE:
        if backend_name and backend_name != model:
            return _("Generative model {model} ({backend})").format(model=model or "?", backend=backend_name)
        return _("Generative model {model}").format(model=model or "?")
    return {
        Origin.EXTRACT: _("No generative model: sentences taken by Balise from the municipality's documents"),
        Origin.TEXT_EXTRACT: _("No generative model: sentences taken by Balise from the text provided"),
        Origin.TEMPLATE: _("No generative model: the municipality's template filled in with the request"),
        Origin.REVISION_RULES: _("No generative model: text revised with Balise's writing rules"),
    }[origin]


def describe_provenance(provenance: Mapping[str, Any]) -> str:
    """``origin_description`` of a stored provenance (template filter)."""
    origin = stored_origin(provenance)
    model = provenance.get("model")
    name = provenance.get("backend_name")
    return origin_description(origin, str(model) if model else None, str(name) if name else None)


def provenance_badge(provenance: Mapping[str, Any]) -> str:
    """``origin_badge`` of a stored provenance (template filter)."""
    model = provenance.get("model")
    return origin_badge(stored_origin(provenance), str(model) if model else None)
