"""Weekly figures of the citizen assistant: questions, answered, redirected, escalated, useful rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.citizen.models import CitizenExchange, CitizenRequest
from balise.db.base import utcnow


@dataclass
class Week:
    """One ISO week (starting Monday); ``useful_rate`` is over answers that got a useful/not-useful vote."""

    start: date
    questions: int = 0
    answered: int = 0
    redirected: int = 0
    escalated: int = 0
    useful: int = 0
    rated: int = 0

    @property
    def useful_rate(self) -> float | None:
        return self.useful / self.rated if self.rated else None


def _monday(at: datetime) -> date:
    day = at.date()
    return day - timedelta(days=day.weekday())


def weekly_stats(session: Session, weeks: int = 8, now: datetime | None = None) -> list[Week]:
    """The last ``weeks`` weeks of the session's municipality, newest first (within the retention period)."""
    now = now or utcnow()
    first = _monday(now) - timedelta(weeks=weeks - 1)
    table = {first + timedelta(weeks=i): Week(first + timedelta(weeks=i)) for i in range(weeks)}
    since = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    for created, outcome, feedback in session.execute(
        select(CitizenExchange.created_at, CitizenExchange.outcome, CitizenExchange.feedback).where(
            CitizenExchange.created_at >= since
        )
    ):
        week = table.get(_monday(created))
        if week is None:
            continue
        week.questions += 1
        if outcome == "answered":
            week.answered += 1
        else:
            week.redirected += 1
        if feedback in ("useful", "not_useful"):
            week.rated += 1
            week.useful += feedback == "useful"
    for (created,) in session.execute(
        select(CitizenRequest.created_at).where(
            CitizenRequest.created_at >= since, CitizenRequest.kind == "escalation"
        )
    ):
        week = table.get(_monday(created))
        if week is not None:
            week.escalated += 1
    return sorted(table.values(), key=lambda w: w.start, reverse=True)
