"""The conformity evidence of the shadow-AI rules: D0 (sanctioned tools only), G8 (rules and
blocking of forbidden platforms) and G9 (consequences of non-compliance).

D0 was read from the register's count alone; a register says which tools exist, not that staff are
kept from the others. It is in place when the municipality lists what it sanctions and what it
forbids, IT received a blocklist made from the current forbidden list, and every person acknowledged
the memento that states the rule.
"""

from __future__ import annotations

from typing import Any

from balise.formatting import day
from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Evidence
from balise.governance.evidence import Facts
from balise.governance.shadow_models import CONSEQUENCES
from balise.i18n import N_, gettext_


def _published(f: Facts) -> str:
    s = f.shadow
    if s.published_at is None:
        return gettext_("no blocklist handed to IT yet")
    if not s.published_current:
        return gettext_("the last blocklist handed to IT ({date}) is older than the forbidden list").format(
            date=day(s.published_at)
        )
    return gettext_(
        "blocklist handed to IT on {date} (fetched {fetches} times at its stable address)"
    ).format(date=day(s.published_at), fetches=s.fetches)


def g8(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    s = f.shadow
    params = {"forbidden": s.forbidden, "domains": s.forbidden_domains, "published": _published(f)}
    if not s.forbidden:
        return (
            MISSING,
            N_(
                "Built, but no forbidden AI service is listed: list them on the « AI tools » page "
                "(a suggested list loads in one click), then give IT a blocklist."
            ),
            params,
        )
    return (
        IN_PLACE if s.published_current else ATTENTION,
        N_("{forbidden} forbidden AI services ({domains} domains); {published}."),
        params,
    )


def g9(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    s = f.shadow
    params = {
        "consequences": ", ".join(gettext_(CONSEQUENCES[c]) for c in s.consequences if c in CONSEQUENCES),
        "incidents": s.tool_incidents,
        "applied": s.tool_incidents_with_consequence,
    }
    if not s.consequences:
        return (
            MISSING,
            N_(
                "Built: the incident type « unsanctioned tool » records the consequence applied, but the "
                "municipality has not set the consequences it applies; set them on the « AI tools » page. "
                "Unsanctioned-tool incidents: {incidents}."
            ),
            params,
        )
    return (
        IN_PLACE,
        N_(
            "Consequences for staff set: {consequences}. Unsanctioned-tool incidents: {incidents}, "
            "{applied} with the consequence applied. Clauses for vendors belong in their contracts and are "
            "not checked here."
        ),
        params,
    )


def d0(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place when both lists exist, IT has the current blocklist, and staff acknowledged the memento
    that states the rule (everyone who must)."""
    s, m = f.shadow, f.memento
    params = {
        "sanctioned": s.sanctioned,
        "forbidden": s.forbidden,
        "live": f.systems_live,
        "published": _published(f),
        "acknowledged": m.acknowledged,
        "staff": m.staff,
    }
    acknowledged = bool(m.number) and m.acknowledged == m.staff
    if s.sanctioned and s.forbidden and s.published_current and acknowledged:
        status = IN_PLACE
    elif s.sanctioned or s.forbidden or f.systems_live:
        status = ATTENTION
    else:
        status = MISSING
    if not m.number:
        return (
            status,
            N_(
                "{sanctioned} sanctioned and {forbidden} forbidden AI services listed; {published}; {live} "
                "AI systems in use in the register. No memento is adopted, so staff have not acknowledged "
                "the rule yet."
            ),
            params,
        )
    return (
        status,
        N_(
            "{sanctioned} sanctioned and {forbidden} forbidden AI services listed; {published}; {live} AI "
            "systems in use in the register; the memento that states the rule is acknowledged by "
            "{acknowledged} of {staff} people."
        ),
        params,
    )
