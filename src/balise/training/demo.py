"""The demo municipality's training: a workshop held a month ago with its attendance, quiz attempts
(one failed then passed), and the learning resources copied, the discussion canvas adapted by the
manager. The employee has taken neither, so signing in as the employee shows the quiz fresh.

Idempotent like ``balise demo``: nothing is added once a session exists.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.i18n import use_locale
from balise.tenancy import Tenant
from balise.tenancy.models import User
from balise.training.quiz import filled_in
from balise.training.resources import ensure_resources, save_resource
from balise.training.service import save_session, sessions, take_quiz

MANAGER = "gestionnaire@demo.balise.ca"
ATTENDED = ("gestionnaire@demo.balise.ca", "vie-privee@demo.balise.ca", "reviseur@demo.balise.ca")
CANVAS_NOTE = (
    "\n\nDans notre municipalité : la discussion a lieu en réunion de service, une fois par trimestre."
)


def ensure_demo_training(session: Session, tenant: Tenant) -> None:
    scope_session(session, tenant.id)
    if sessions(session):
        return
    by_email = {u.email: u for u in session.scalars(select(User).where(User.email.in_(ATTENDED)))}
    actor = by_email[MANAGER].id if MANAGER in by_email else "demo"
    form = {
        "title": "Atelier : l'IA générative au travail et le mémento",
        "audience": "staff",
        "format": "in_person",
        "held_on": (date.today() - timedelta(days=30)).isoformat(),
        "minutes": "90",
        "mandatory": "yes",
        "attended": [u.id for u in by_email.values()],
    }
    save_session(session, tenant.id, form, actor=actor)
    for email, tries in (("gestionnaire@demo.balise.ca", (0,)), ("reviseur@demo.balise.ca", (3, 1))):
        if email in by_email:
            for wrong in tries:
                take_quiz(session, tenant.id, by_email[email].id, filled_in(wrong))
    with use_locale("fr"):
        resources = ensure_resources(session, tenant.id, actor=actor)
    canvas = next(r for r in resources if r.key == "discussion")
    save_resource(
        session,
        tenant.id,
        "discussion",
        {"title": canvas.title, "body": canvas.body + CANVAS_NOTE},
        actor=actor,
    )
    session.flush()
