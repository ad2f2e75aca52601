"""The conformity evidence of the staff survey (G2), of the maturity self-assessment (G5), and what
the survey adds to P7: who took part, by group, where people chose to say."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from balise.formatting import day
from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence, evidence_text
from balise.governance.evidence import WINDOW_DAYS, Facts
from balise.i18n import N_, gettext_
from balise.survey import THRESHOLD

REASSESS_DAYS = 365


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
            N_("Staff survey: no group is counted yet (a group shows from {n} people who chose to say it)."),
            {"n": THRESHOLD},
        )
    listed = "; ".join(
        gettext_("{group}: {count}").format(group=choice, count=count) for _q, choice, count in s.groups
    )
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


def g5(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place with an assessment of the last year; attention when older; missing without one."""
    s = f.survey
    if s.assessed_at is None:
        return (
            MISSING,
            N_("Built, but no maturity self-assessment yet: fill one in on the AI maturity page."),
            {},
        )
    params = {
        "count": s.assessments,
        "date": day(s.assessed_at),
        "weakest": ", ".join(gettext_(name) for name in s.weakest),
    }
    at = s.assessed_at if s.assessed_at.tzinfo else s.assessed_at.replace(tzinfo=UTC)  # SQLite: no zone
    fresh = f.since + timedelta(days=WINDOW_DAYS) - at <= timedelta(days=REASSESS_DAYS)
    return (
        IN_PLACE if fresh else ATTENTION,
        N_("Maturity self-assessments: {count}; the latest on {date}; weakest dimensions: {weakest}.")
        if fresh
        else N_(
            "Maturity self-assessments: {count}; the latest on {date}, more than a year ago: assess again. "
            "Weakest dimensions: {weakest}."
        ),
        params,
    )
