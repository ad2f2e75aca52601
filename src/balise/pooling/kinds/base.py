"""What every kind of pack item is: how a municipality's items are offered for export, how an item's
content is checked before anything is imported, and how it is added.

Adding never overwrites: an item already there with the same content is « already present », an item
whose name is taken by different content is refused with the reason, and the municipality decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from balise.bounds import check_length
from balise.errors import Invalid
from balise.i18n import N_
from balise.tenancy import Tenant

ADDED, PRESENT, REFUSED = "added", "present", "refused"
STATUS_LABELS = {
    ADDED: N_("Added to this municipality"),
    PRESENT: N_("Already present"),
    REFUSED: N_("Refused"),
}


@dataclass(frozen=True)
class Offer:
    """An item a municipality may put in a pack: ``kind:key`` names it in the export form."""

    kind: str
    key: str
    title: str
    content: dict[str, Any]


@dataclass(frozen=True)
class Kind:
    label: str
    offers: Callable[[Session, Tenant], list[Offer]]
    check: Callable[[dict[str, Any]], None]
    """Raises Invalid when the content cannot be this kind (the whole pack is then refused)."""
    add: Callable[[Session, Tenant, dict[str, Any], str], tuple[str, str]]
    """(status, reason in the reader's language) once the item is added or left alone."""


def check_texts(content: Mapping[str, Any], limits: Mapping[str, int], message: str) -> None:
    """Each field of ``limits`` is text no longer than its limit; else ``message`` (a msgid) is raised."""
    for field, limit in limits.items():
        value = content.get(field, "")
        if not isinstance(value, str):
            raise Invalid(message)
        check_length(value, limit, field)
