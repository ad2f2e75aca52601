"""The conformity evidence of the adoption step: adoption cases and impact assessments (G1, P1),
vendor assessments (G3, G17), effects on staff and on the service (P8), the council's decision and
the transparency page (G19)."""

from __future__ import annotations

from typing import Any

from balise.formatting import quantity
from balise.governance.checks import ATTENTION, IN_PLACE, Evidence, Plural
from balise.governance.evidence import Facts
from balise.i18n import N_, ngettext_


def _all(part: int, whole: int) -> bool:
    return bool(whole) and part == whole


def _prepared(f: Facts) -> str:
    """In place when every system in use is assessed and has a complete adoption case (G1 and P1)."""
    done = _all(f.systems_live_assessed, f.systems_live) and _all(f.adoption.cases_complete, f.adoption.live)
    return IN_PLACE if done else ATTENTION


def g1(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    return (
        _prepared(f),
        N_(
            "{systems}; {assessments}; of {live} in use, {assessed} assessed and {cases} with a complete "
            "adoption case (objectives, need, budget, acceptability)."
        ),
        {
            "systems": ngettext_(
                "{n} system in the register", "{n} systems in the register", f.systems
            ).format(n=f.systems),
            "assessments": ngettext_(
                "{n} assessment version", "{n} assessment versions", f.assessments
            ).format(n=f.assessments),
            "assessed": f.systems_live_assessed,
            "cases": f.adoption.cases_complete,
            "live": f.systems_live,
        },
    )


def p1(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    return (
        _prepared(f),
        N_(
            "{assessed} of {live} systems in use have an impact assessment and {cases} a complete adoption "
            "case (need, alternatives, success measures, environmental cost); {wh} Wh used in the last "
            "30 days."
        ),
        {
            "assessed": f.systems_live_assessed,
            "cases": f.adoption.cases_complete,
            "live": f.systems_live,
            "wh": quantity(f.wh),
        },
    )


def p8(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    a = f.adoption
    return (
        IN_PLACE if _all(a.effects_recorded, a.live) else ATTENTION,
        N_(
            "{effects} of {live} systems in use record their effects on staff (autonomy, workload, "
            "dehumanisation) and on the public service in their adoption case."
        ),
        {"effects": a.effects_recorded, "live": a.live},
    )


def g3(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    a = f.adoption
    done = a.vendors > 0 and a.supplier_assessed == a.with_supplier
    return (
        IN_PLACE if done else ATTENTION,
        Plural(
            N_(
                "{vendors} supplier assessed ({complete} complete, weighted score); {assessed} of "
                "{suppliers} systems in use with a supplier name a complete assessment."
            ),
            N_(
                "{vendors} suppliers assessed ({complete} complete, weighted score); {assessed} of "
                "{suppliers} systems in use with a supplier name a complete assessment."
            ),
            "vendors",
        ),
        {
            "vendors": a.vendors,
            "complete": a.vendors_complete,
            "assessed": a.supplier_assessed,
            "suppliers": a.with_supplier,
        },
    )


def g17(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    a = f.adoption
    return (
        IN_PLACE if a.vendors and a.vendors_exit == a.vendors else ATTENTION,
        N_(
            "{models} approved through the OpenAI-compatible protocol; register in open formats (JSON, "
            "CSV, Eurocities); {exit} of {vendors} suppliers assessed record export formats and an exit "
            "clause."
        ),
        {
            "models": ngettext_("{n} model", "{n} models", sum(f.backends.values())).format(
                n=sum(f.backends.values())
            ),
            "exit": a.vendors_exit,
            "vendors": a.vendors,
        },
    )


def g19(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place once every system in production has the council's decision and is listed, and the
    pilot's interim review was presented to the council; attention otherwise."""
    a = f.adoption
    params = {"decided": a.council_decided, "production": a.production, "published": a.production_published}
    if "council" not in f.pilot.published:
        return (
            ATTENTION,
            N_(
                "{decided} of {production} systems in production have the council's decision recorded "
                "(date, resolution) and {published} are listed on the transparency page; the pilot's "
                "results reported to the council are not recorded yet."
            ),
            params,
        )
    listed = a.council_decided == a.production_published == a.production
    return (
        IN_PLACE if listed else ATTENTION,
        N_(
            "{decided} of {production} systems in production have the council's decision recorded "
            "(date, resolution) and {published} are listed on the transparency page; the pilot's interim "
            "review was reported to the council."
        ),
        params,
    )
