"""What the staff survey and the maturity self-assessment show for the conformity view (G2, G5, P7):
counts only, never an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from balise.survey.maturity import history, weakest
from balise.survey.results import THRESHOLD, participation
from balise.survey.service import list_campaigns


@dataclass(frozen=True)
class SurveyFacts:
    campaigns: int = 0
    shown: int = 0
    """Campaigns answered by at least THRESHOLD people (their results can be read)."""
    best: str = ""
    best_answers: int = 0
    groups: tuple[tuple[str, str, int], ...] = field(default_factory=tuple)
    """Participation of the best campaign by profile group, where people chose to say (P7)."""
    assessments: int = 0
    assessed_at: datetime | None = None
    weakest: tuple[str, ...] = ()
    """The English msgids of the latest assessment's two weakest dimensions."""


def survey_facts(session: Session) -> SurveyFacts:
    """The campaigns of the session's municipality, the one with most answers, and the latest
    maturity assessment."""
    assessments = history(session)
    maturity: dict[str, object] = {}
    if assessments:
        latest = assessments[-1]
        maturity = {
            "assessments": len(assessments),
            "assessed_at": latest.created_at,
            "weakest": tuple(d.name for d in weakest(latest)),
        }
    campaigns = list_campaigns(session)
    if not campaigns:
        return SurveyFacts(**maturity)  # type: ignore[arg-type]
    best, answers = max(campaigns, key=lambda pair: pair[1])
    return SurveyFacts(
        **maturity,  # type: ignore[arg-type]
        campaigns=len(campaigns),
        shown=sum(1 for _c, n in campaigns if n >= THRESHOLD),
        best=best.name,
        best_answers=answers,
        groups=tuple(participation(session, best)) if answers else (),
    )
