"""The conformity evidence of the staff survey (G2) and what it adds to P7: who took part, by group,
where people chose to say."""

from __future__ import annotations

from typing import Any

from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, evidence_text
from balise.governance.evidence import Facts
from balise.i18n import N_
from balise.survey import THRESHOLD


def g2(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place once a campaign has THRESHOLD answers (its results can be read); attention before."""
    s = f.survey
    params = {"campaigns": s.campaigns, "shown": s.shown, "best": s.best, "answers": s.best_answers}
    if s.shown:
        return (
            IN_PLACE,
            N_(
                "Survey campaigns: {campaigns}, of which {shown} answered by 5 people or more; "
                "“{best}” has {answers} anonymous answers."
            ),
            params,
        )
    if s.campaigns:
        return (
            ATTENTION,
            N_(
                "Survey campaigns: {campaigns}; the most answered, “{best}”, has {answers} answers: "
                "results show from 5 people up."
            ),
            params,
        )
    return (
        MISSING,
        N_("Built, but no survey campaign yet: create one on the staff survey page and share its link."),
        params,
    )


def _groups(f: Facts) -> tuple[Evidence, dict[str, Any]]:
    s = f.survey
    if not s.groups:
        return (
            N_(
                "Staff survey: no group is counted yet (a group shows from {n} people who chose to say it)."
            ),
            {"n": THRESHOLD},
        )
    listed = "; ".join(f"{choice}: {count}" for _question, choice, count in s.groups)
    return (
        N_("Staff survey “{best}”, participation by group where people chose to say: {groups}."),
        {"best": s.best, "groups": listed},
    )


def with_participation(base: Check) -> Check:
    """``base`` (P7 from the bias probes), its status kept, and the survey's participation by group."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        status, evidence, params = base(f)
        extra, extra_params = _groups(f)
        return (
            status,
            N_("{probes} {survey}"),
            {"probes": evidence_text(evidence, params), "survey": evidence_text(extra, extra_params)},
        )

    return check
