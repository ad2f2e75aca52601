"""The demo's worked example: a past session with attendance, quiz attempts (one failed then passed),
the resources copied and one adapted, added once; the demo's conformity view shows G13 and G21 built."""

from __future__ import annotations

from sqlalchemy import select

from balise import training
from balise.db import open_session
from balise.demo import ensure_demo
from balise.governance import service
from balise.tenancy.models import User
from balise.training.demo import ensure_demo_training
from balise.training.tables import QuizAttempt


def test_the_demo_has_a_session_quiz_results_and_resources(engine) -> None:
    with open_session(engine) as session:
        tenant = ensure_demo(session).tenant
        ensure_demo_training(session, tenant)
        ensure_demo_training(session, tenant)  # idempotent
        session.commit()
        [listed] = training.sessions(session)
        assert len(listed.attended) == 3 and listed.session.mandatory
        employee = session.scalars(select(User).where(User.email == "employe@demo.balise.ca")).one()
        assert employee.id not in listed.attended and training.attempts_of(session, employee.id) == []
        assert [a.passed for a in session.scalars(select(QuizAttempt).order_by(QuizAttempt.taken_at))] == [
            True,
            False,
            True,
        ]
        resources = training.ensure_resources(session, tenant.id, actor="test")
        assert [r.edited_at is not None for r in resources] == [False, False, False, True]
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G13"].status == "in_place" and rows["G21"].status == "in_place"
