"""Minutes saved, as the author of a result says them after the task (G15: the pilot's time before
and after; the usage report's time saved by task).

Said once per result, by its author, and changeable: a guess made at once is often corrected after
the text was used. Only what people said is summed: no figure is invented for results nobody rated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise import audit
from balise.errors import Forbidden, Invalid
from balise.review.models import Output

MAX_MINUTES = 480
"""A working day: more for one result is a typing slip, and would swamp the report."""


def report_minutes_saved(session: Session, output: Output, *, actor_id: str, minutes: str) -> Output:
    """The author's answer to « How much time did this save you? », in whole minutes."""
    if output.author_id != actor_id:
        raise Forbidden("Only the author of a result says how much time it saved them.")
    try:
        value = int(minutes.strip())
    except ValueError:
        raise Invalid(
            "“{value}” is not a number of minutes: write a whole number from 0 to {max}.",
            value=minutes[:20],
            max=MAX_MINUTES,
        ) from None
    if not 0 <= value <= MAX_MINUTES:
        raise Invalid("Write a number of minutes from 0 to {max} (a working day).", max=MAX_MINUTES)
    output.minutes_saved = value
    session.flush()
    audit.record(
        session,
        "review.time_saved",
        actor=actor_id,
        tenant_id=output.tenant_id,
        target_type="output",
        target_id=output.id,
        details={"task": output.task, "minutes": value},
    )
    return output


@dataclass(frozen=True)
class TimeSaved:
    """One task's results over a period: how many, how many were rated, the minutes said."""

    task: str
    results: int
    rated: int
    minutes: int

    @property
    def average(self) -> float:
        return self.minutes / self.rated if self.rated else 0.0


def time_saved_by_task(session: Session, start: date, end: date) -> list[TimeSaved]:
    """The session's municipality's results created from ``start`` to ``end`` (UTC days, both
    included), by task, most minutes first."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    rows = session.execute(
        select(
            Output.task,
            func.count(),
            func.count(Output.minutes_saved),
            func.coalesce(func.sum(Output.minutes_saved), 0),
        )
        .where(Output.created_at >= since, Output.created_at < until)
        .group_by(Output.task)
    ).all()
    found = [
        TimeSaved(task, int(results), int(rated), int(minutes or 0)) for task, results, rated, minutes in rows
    ]
    return sorted(found, key=lambda line: (-line.minutes, line.task))
