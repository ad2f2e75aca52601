"""What the conformity view reads of the pilot (G15, G19, G20): processes measured before and after
and redesigned, the interim review issued, its communications published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.pilot.processes import processes, totals
from balise.pilot.tables import Communication


@dataclass
class PilotFacts:
    processes: int = 0
    measured_after: int = 0
    redesigned: int = 0
    gain_hours: float = 0.0
    """Hours saved a month, over the processes measured after."""
    review_issued: bool = False
    published: tuple[str, ...] = ()
    minutes_said: int = 0
    """Minutes saved the authors of results said over the review's period."""
    results_rated: int = 0
    """Audiences whose communication is published (staff, residents)."""


def pilot_facts(session: Session, today: date) -> PilotFacts:
    # Here, not at the top: the report reads the governance package, whose conformity view reads these facts.
    from balise.pilot.report import own_figures, review_of

    t = totals(processes(session))
    said = own_figures(session, today)
    review = review_of(session)
    published = session.scalars(select(Communication.audience).where(Communication.status == "published"))
    return PilotFacts(
        processes=t.processes,
        measured_after=t.measured_after,
        redesigned=t.redesigned,
        gain_hours=t.gain_hours,
        review_issued=review is not None and review.issued_on is not None,
        published=tuple(sorted(published)),
        minutes_said=said.minutes,
        results_rated=said.rated,
    )
