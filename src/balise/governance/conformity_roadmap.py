"""The conformity evidence of the roadmap (G14: the six steps of the Valais guide, each led, dated and
shown done, and the memento adopted) and of the resource persons (G18: the pilot service's, then
every service's)."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Evidence
from balise.governance.conformity_memento import memento_params
from balise.governance.evidence import Facts
from balise.governance.roadmap import STEPS
from balise.i18n import N_

TOTAL = len(STEPS)


def g14(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place once every step has an owner and a due date and a memento is adopted; attention while
    only some of it is there; missing with neither."""
    r, adopted = f.roadmap, bool(f.memento.number)
    params = {"done": r.done, "planned": r.planned, "total": TOTAL, **memento_params(f)}
    if r.planned == 0 and not adopted:
        return (
            MISSING,
            N_(
                "Built, but no step of the roadmap has an owner and a due date yet (« Roadmap » page) "
                "and no memento is adopted."
            ),
            params,
        )
    status = IN_PLACE if r.planned == TOTAL and adopted else ATTENTION
    if not adopted:
        return (
            status,
            N_("Roadmap: {planned} of {total} steps led and dated, {done} done; no memento adopted."),
            params,
        )
    return (
        status,
        N_(
            "Roadmap: {planned} of {total} steps led and dated, {done} done; memento version {number} "
            "adopted on {date}, acknowledged by {acknowledged} of {staff} people."
        ),
        params,
    )


def g18(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place with a pilot service and its resource persons; attention with persons but no pilot."""
    r = f.roadmap
    params = {
        "pilot": ", ".join(r.pilot_services),
        "pilot_persons": r.pilot_persons,
        "persons": r.persons,
        "services": r.services,
    }
    if not r.persons:
        return (MISSING, N_("Built, but no resource person is named yet (« Roadmap » page)."), params)
    if not r.pilot_services:
        return (
            ATTENTION,
            N_("{persons} resource persons in {services} services, but no pilot service is chosen yet."),
            params,
        )
    return (
        IN_PLACE,
        N_(
            "Pilot service: {pilot} ({pilot_persons} resource persons); {persons} resource persons in "
            "{services} services in all."
        ),
        params,
    )
