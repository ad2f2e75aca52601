"""What a conformity check answers: a status and evidence whose words may follow a count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from balise.governance.evidence import Facts
from balise.i18n import N_, gettext_, ngettext_

IN_PLACE, ATTENTION, MISSING = "in_place", "attention", "missing"
STATUS_LABELS = {IN_PLACE: N_("In place"), ATTENTION: N_("Needs attention"), MISSING: N_("Missing")}


class Plural(NamedTuple):
    """Evidence whose grammar follows one count (``params[by]``): « 1 utilisation », « 2 utilisations »."""

    singular: str
    plural: str
    by: str


Evidence = str | Plural
Check = Callable[[Facts], tuple[str, Evidence, dict[str, Any]]]


def evidence_text(evidence: Evidence, params: dict[str, Any]) -> str:
    """The evidence in the current language, its figures put in."""
    if isinstance(evidence, Plural):
        return ngettext_(evidence.singular, evidence.plural, int(params[evidence.by])).format(**params)
    return gettext_(evidence).format(**params) if evidence else ""
