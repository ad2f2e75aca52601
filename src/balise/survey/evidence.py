"""What the staff survey shows for the conformity view (G2, P7): counts only, never an answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

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


def survey_facts(session: Session) -> SurveyFacts:
    """The campaigns of the session's municipality and the one with most answers."""
    campaigns = list_campaigns(session)
    if not campaigns:
        return SurveyFacts()
    best, answers = max(campaigns, key=lambda pair: pair[1])
    return SurveyFacts(
        campaigns=len(campaigns),
        shown=sum(1 for _c, n in campaigns if n >= THRESHOLD),
        best=best.name,
        best_answers=answers,
        groups=tuple(participation(session, best)) if answers else (),
    )
