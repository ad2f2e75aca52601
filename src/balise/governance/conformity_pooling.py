"""What pooling gives the conformity view: G16, in place once this municipality shares a pack in the
deployment's library or imported one from another municipality, with the counts as evidence."""

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
    }
    if p.published or p.imported:
        return (
            IN_PLACE,
            N_(
                "{municipalities} municipalities on this deployment; this one shares {published} pack(s) "
                "({items} items) in the shared library and imported {imported} pack(s) from {origins} "
                "municipalities. The register exports in the Eurocities schema. Packs carry usage policy "
                "rules, evaluation sets and drafting templates; use-case cards are not shared yet."
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
