"""What the memento gives the conformity view: G6 (staff know the rules of use), and the parameters
G14 reads for its part of the roadmap (``conformity_roadmap``)."""

from __future__ import annotations

from typing import Any

from balise.formatting import day
from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Evidence
from balise.governance.evidence import Facts, share
from balise.i18n import N_


def memento_params(f: Facts) -> dict[str, Any]:
    m = f.memento
    return {
        "number": m.number,
        "date": day(m.adopted_on),
        "acknowledged": m.acknowledged,
        "staff": m.staff,
        "missing": m.staff - m.acknowledged,
        "share": share(m.staff - m.acknowledged, m.staff),
        "versions": m.versions,
    }


def g6(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place when the memento in force is acknowledged by everyone; attention while some have not."""
    m = f.memento
    if not m.number:
        return (
            MISSING,
            N_(
                "Human contact details are shown to residents. No memento is adopted yet: generate it on "
                "the memento page, adopt it, and staff will be asked to acknowledge it."
            ),
            memento_params(f),
        )
    if m.acknowledged < m.staff:
        return (
            ATTENTION,
            N_(
                "Human contact details are shown to residents. Memento version {number} adopted on {date}: "
                "{acknowledged} of {staff} people acknowledged it; {missing} ({share}) have not yet."
            ),
            memento_params(f),
        )
    return (
        IN_PLACE,
        N_(
            "Human contact details are shown to residents. Memento version {number} adopted on {date}, "
            "acknowledged by all {staff} people."
        ),
        memento_params(f),
    )
