"""The register of processing activities as a standalone HTML page (nLPD art. 12 al. 1: the register is
kept in writing), to file, print or hand to the FDPIC or the cantonal authority. Its style is inside, as
the memento's export, since the page is read outside Balise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from balise.governance.processing import FIELDS
from balise.governance.swiss_models import ProcessingActivity
from balise.i18n import current_locale, gettext_
from balise.tenancy import Tenant
from balise.tenancy.jurisdiction import jurisdiction_of

_CSS = (
    'body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; line-height: 1.45; } '
    "dt { font-weight: bold; margin-top: 0.6em; } dd { margin-left: 0; white-space: pre-line; }"
)


def register_html(
    tenant: Tenant, activities: Sequence[ProcessingActivity], systems: Mapping[str, str]
) -> str:
    """Each entry under its name, every point of art. 12 al. 2 with its answer ("—" when empty)."""
    title = gettext_("Register of processing activities")
    law = jurisdiction_of(tenant).cantonal_law
    heading = gettext_("nLPD art. 12") + (f" · {law}" if law else "")
    parts = [
        f'<!doctype html>\n<html lang="{escape(current_locale.get())}"><head><meta charset="utf-8">',
        f"<title>{escape(title)} · {escape(tenant.name)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(tenant.name)} — {escape(heading)}</p>",
    ]
    for activity in activities:
        parts.append(f"<h2>{escape(activity.name)}</h2><dl>")
        if activity.system_id:
            system = systems.get(activity.system_id, "—")
            parts.append(f"<dt>{escape(gettext_('AI system'))}</dt><dd>{escape(system)}</dd>")
        for name, label in FIELDS.items():
            if name != "name":
                value = getattr(activity, name) or "—"
                parts.append(f"<dt>{escape(gettext_(label))}</dt><dd>{escape(value)}</dd>")
        parts.append("</dl>")
    if not activities:
        parts.append(f"<p>{escape(gettext_('No processing activity recorded yet.'))}</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts)
