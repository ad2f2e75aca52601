"""The conformity evidence of the pilot measurement (G15: processes measured before and after, beside
the time saved the authors of results said), of the redesign of processes (G20) and of the interim
review's results told to staff and residents (G19, added to the council's decisions)."""

from __future__ import annotations

from typing import Any

from balise.formatting import number
from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, evidence_text
from balise.governance.evidence import Facts
from balise.i18n import N_, gettext_
from balise.pilot.tables import AUDIENCES, PERIOD_DAYS


def _params(f: Facts) -> dict[str, Any]:
    p = f.pilot
    return {
        "processes": p.processes,
        "measured": p.measured_after,
        "redesigned": p.redesigned,
        "hours": number(p.gain_hours, 1),
        "minutes": p.minutes_said,
        "rated": p.results_rated,
        "days": PERIOD_DAYS,
    }


def g15(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place once a process is measured after as well as before; attention with processes mapped
    but none measured after; missing with none."""
    p, params = f.pilot, _params(f)
    if not p.processes:
        return (
            MISSING,
            N_(
                "Built, but no time-consuming process is mapped yet (« Pilot processes » page); "
                "{minutes} minutes saved said by the authors of {rated} results over {days} days."
            ),
            params,
        )
    return (
        IN_PLACE if p.measured_after else ATTENTION,
        N_(
            "{processes} processes mapped with their time before, {measured} measured after: {hours} hours "
            "saved a month; {minutes} minutes saved said by the authors of {rated} results over {days} "
            "days."
        ),
        params,
    )


def g20(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place once a process has its redesign recorded; missing before."""
    params = _params(f)
    if not f.pilot.redesigned:
        return (
            MISSING,
            N_("Built, but no process has its redesign recorded yet (« Pilot processes » page)."),
            params,
        )
    return (
        IN_PLACE,
        N_("{redesigned} of {processes} mapped processes have their redesign recorded."),
        params,
    )


def with_communications(base: Check) -> Check:
    """``base`` (G19 from the council's decisions and the report to the council), and whether the
    interim review is issued and its results published to staff and residents: in place only then."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        status, evidence, params = base(f)
        p = f.pilot
        told: Evidence = N_("Interim review not issued yet.")
        audiences = ", ".join(gettext_(label).lower() for a, label in AUDIENCES.items() if a in p.published)
        if p.review_issued:
            told = N_("Interim review issued; its results published to: {audiences}.")
        if not (p.review_issued and {"staff", "residents"} <= set(p.published)) and status == IN_PLACE:
            status = ATTENTION
        return (
            status,
            N_("{council} {told}"),
            {
                "council": evidence_text(evidence, params),
                "told": evidence_text(told, {"audiences": audiences or gettext_("nobody yet")}),
            },
        )

    return check
