"""A resident's text is masked once, on arrival, before anything else reads it (D3, P6).

Everything downstream (scope rules, policy, retrieval, the model, the stored transcript, the staff
queue) sees the masked text only; a transcript keeps no values, so it is pseudonymised for good. The
one exception is the message of a request for a person: its values go to the privacy vault, encrypted,
for the staff allowed to act on them (``details.py``). When the guard cannot check the text it fails
closed: the text is neither used nor kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from balise.guard.privacy import GuardUnavailable, get_guard, load_settings
from balise.guard.privacy.engine import count_masks
from balise.tenancy import Tenant, public_contact


@dataclass(frozen=True)
class Masked:
    """The masked text, how many values of each label, and placeholder → value (for the vault only)."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict, repr=False)


def mask_resident_text(session: Session, tenant: Tenant, text: str) -> Masked | None:
    """The text with personal information replaced by placeholders; None when the guard failed.

    The municipality's own public contact details are not personal information and stay readable.
    """
    settings = load_settings(session, tenant.id)
    try:
        preview = get_guard().preview(text, settings)
    except GuardUnavailable:
        return None
    public = set(public_contact(tenant).values())
    pieces: list[str] = []
    counts: dict[str, int] = {}
    values: dict[str, str] = {}
    cursor = 0
    for span in preview.spans:
        pieces.append(text[cursor : span.start])
        value = text[span.start : span.end]
        if value in public:
            pieces.append(value)
        else:
            pieces.append(span.placeholder)
            values[span.placeholder] = value
            counts[span.label] = counts.get(span.label, 0) + 1
        cursor = span.end
    pieces.append(text[cursor:])
    count_masks(counts)
    return Masked("".join(pieces), counts, values)
