"""Where a system or a vendor keeps the data, and whether that takes it out of Quebec (A-2.1 s. 70.1).

Its own module because the register, the impact assessment, the vendor assessment and the gates all
ask, and the gates are called by the register.
"""

from __future__ import annotations

from balise.i18n import N_

HOSTING_LABELS = {
    "on_premises": N_("On the municipality's own servers"),
    "quebec": N_("Quebec"),
    "canada": N_("Canada"),
    "switzerland": N_("Switzerland"),
    "eu": N_("European Union"),
    "abroad": N_("Elsewhere abroad"),
}
HOSTINGS = tuple(HOSTING_LABELS)
QUEBEC_HOSTINGS = frozenset({"on_premises", "quebec"})


def leaves_quebec(hosting: str) -> bool:
    """Whether data sent to this hosting leaves Quebec (A-2.1 s. 70.1 then requires an assessment)."""
    return bool(hosting) and hosting not in QUEBEC_HOSTINGS
