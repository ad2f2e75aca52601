"""The demo municipality's memento: generated from its settings, adopted, and acknowledged by every
demo person, so that the demo's conformity view shows D0 and G6 built; a version adopted later asks
each of them again, by the banner at sign-in.

Idempotent like ``balise demo``: nothing is added once a version exists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.db import scope_session
from balise.i18n import use_locale
from balise.memento.service import acknowledge, adopt, generate, versions
from balise.tenancy import Tenant
from balise.tenancy.models import User

MANAGER = "gestionnaire@demo.balise.ca"
ACKNOWLEDGING = (
    "gestionnaire@demo.balise.ca",
    "vie-privee@demo.balise.ca",
    "reviseur@demo.balise.ca",
    "admin@demo.balise.ca",
    "employe@demo.balise.ca",
)


def ensure_demo_memento(session: Session, tenant: Tenant) -> None:
    """Call after the governance demo, so the memento names the register's tools and people."""
    scope_session(session, tenant.id)
    if versions(session):
        return
    manager = session.scalars(select(User).where(User.email == MANAGER)).first()
    actor = manager.id if manager else "demo"
    with use_locale("fr"):
        version = generate(session, tenant, actor=actor)
        adopt(session, tenant, version, date.today().isoformat(), actor=actor)
    for user in session.scalars(select(User).where(User.email.in_(ACKNOWLEDGING))):
        acknowledge(session, tenant, user.id, version.id)
    session.flush()
