"""What pooling gives the conformity view: G16, in place once this municipality shares a pack or a
use-case card with its peers, or imported a pack from another municipality; the counts are the
evidence."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, Evidence
from balise.governance.evidence import Facts
from balise.i18n import N_


def g16(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    p = f.pooling
    params = {
        "municipalities": p.municipalities,
        "published": p.published,
        "items": p.published_items,
        "imported": p.imported,
        "origins": p.origins,
        "cards": p.cards,
        "kinds": p.kinds or "—",
    }
    if p.published or p.imported or p.cards:
        return (
            IN_PLACE,
            N_(
                "{municipalities} municipalities on this deployment; this one shares {published} pack(s) "
                "({items} items) and {cards} use-case card(s) with its peers and imported {imported} "
                "pack(s) from {origins} municipalities. The register exports in the Eurocities schema. "
                "Packs (JSON or .zip, also between deployments) carry usage policy rules, evaluation sets, "
                "drafting templates, vendor assessments, register entries, the memento text and learning "
                "resources; items shared or imported by kind: {kinds}."
            ),
            params,
        )
    return (
        ATTENTION,
        N_(
            "{municipalities} municipalities on this deployment and the register exports in the Eurocities "
            "schema, but this municipality has neither published nor imported a pack: share its rules or "
            "evaluation sets on the pooling page."
        ),
        params,
    )
