"""The demo's worked example: a pilot process measured before and after with its redesign, one
measured before only, the interim review issued, reported to the council and its communications
published, added once; the demo's conformity view shows G15, G19 and G20 built."""

from __future__ import annotations

from balise.db import open_session
from balise.demo import ensure_demo
from balise.governance import service
from balise.governance.demo import ensure_governance_demo
from balise.i18n import use_locale
from balise.pilot import communications
from balise.pilot.demo import ensure_pilot_demo
from balise.pilot.processes import processes
from balise.pilot.report import review_of


def test_the_demo_pilot_is_measured_reviewed_and_told(engine) -> None:  # type: ignore[no-untyped-def]
    with open_session(engine) as session, use_locale("fr"):
        tenant = ensure_demo(session).tenant
        ensure_governance_demo(session, tenant)
        ensure_pilot_demo(session, tenant)  # idempotent
        session.commit()
        measured = processes(session)
        assert len(measured) == 2 and sum(m.after is not None for m in measured) == 1
        assert all(m.redesigned for m in measured if m.after is not None)
        review = review_of(session)
        assert review is not None and review.issued_on is not None and review.challenges
        told = communications.communications(session)
        assert all(c is not None and c.status == "published" and c.approved_by for c in told.values())
        published = communications.published_for_residents(session)
        assert published is not None and "20 heures par mois" in published[0]
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G15"].status == "in_place" and rows["G20"].status == "in_place"
        assert "publiés pour : conseil, personnel, population" in rows["G19"].evidence
        assert "a été présenté au conseil" in rows["G19"].evidence and rows["G19"].status == "in_place"
