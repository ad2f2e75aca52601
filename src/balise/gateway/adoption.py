"""Adoption over time (P1, G19), read from the usage ledger: week by week, how many requests the AI
tools served and how many people made them, with its accessible chart (:mod:`balise.charts`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.charts import accessible, chart
from balise.formatting import day, number
from balise.gateway.tables import ModelUsage
from balise.i18n import gettext_


@dataclass(frozen=True)
class Week:
    """A week (its Monday) with its requests and the distinct people who made them."""

    start: date
    requests: int
    people: int


@dataclass(frozen=True)
class Adoption:
    weeks: list[Week]
    summary: str
    svg: str


def weekly(session: Session, start: date, end: date) -> list[Week]:
    """Every week from ``start``'s Monday to ``end``'s, those without a request included."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    monday = start - timedelta(days=start.weekday())
    counts: dict[date, tuple[int, set[str]]] = {}
    rows = session.execute(
        select(ModelUsage.created_at, ModelUsage.user_id).where(
            ModelUsage.created_at >= since, ModelUsage.created_at < until
        )
    )
    for created, user_id in rows:
        at = created.date()
        week = at - timedelta(days=at.weekday())
        requests, people = counts.get(week, (0, set()))
        counts[week] = (requests + 1, people | ({user_id} if user_id else set()))
    weeks = []
    while monday <= end:
        requests, people = counts.get(monday, (0, set()))
        weeks.append(Week(monday, requests, len(people)))
        monday += timedelta(days=7)
    return weeks


def adoption(session: Session, start: date, end: date) -> Adoption:
    """The weeks of the period and their chart, titled and described for screen readers."""
    weeks = weekly(session, start, end)
    title = gettext_("Adoption over time")
    busiest = max(weeks, key=lambda w: w.requests)
    summary = gettext_(
        "{weeks} weeks; {requests} requests in all; the busiest week, from {busiest}, had {most} requests "
        "by {people} people."
    ).format(
        weeks=len(weeks),
        requests=number(sum(w.requests for w in weeks)),
        busiest=day(busiest.start),
        most=number(busiest.requests),
        people=number(busiest.people),
    )
    drawn = chart("Bar", [day(w.start) for w in weeks], lambda v: number(v), show_minor_x_labels=False)
    drawn.x_labels_major_every = max(1, len(weeks) // 8)
    drawn.add(gettext_("Requests"), [w.requests for w in weeks])
    drawn.add(gettext_("People"), [w.people for w in weeks])
    return Adoption(weeks, summary, accessible(drawn.render(is_unicode=True), "adoption", title, summary))
