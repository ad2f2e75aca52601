"""The demo's worked example: a memento adopted and acknowledged by every demo person, added once;
the demo's conformity view shows G6 and G14 built."""

from __future__ import annotations

import re

from sqlalchemy import select

from balise import memento
from balise.db import open_session
from balise.demo import ensure_demo
from balise.governance import service
from balise.governance.demo import ensure_governance_demo
from balise.memento.demo import ensure_demo_memento
from balise.tenancy.models import User


def test_the_demo_has_an_adopted_memento_every_demo_person_acknowledged(engine) -> None:
    with open_session(engine) as session:
        tenant = ensure_demo(session).tenant
        ensure_governance_demo(session, tenant)
        ensure_demo_memento(session, tenant)
        ensure_demo_memento(session, tenant)  # idempotent
        session.commit()
        version = memento.current(session)
        assert version is not None and [v.number for v in memento.versions(session)] == [version.number]
        employee = session.scalars(select(User).where(User.email == "employe@demo.balise.ca")).one()
        assert memento.pending_for(session, employee.id) is None
        officer = session.scalars(select(User).where(User.email == "vie-privee@demo.balise.ca")).one()
        assert memento.pending_for(session, officer.id) is None
        contacts = next(s["body"] for s in version.sections if s["key"] == "contacts")
        assert "Paul Protection" in contacts and "Geneviève Gestionnaire" in contacts
        rows = {row.id: row for row in service.conformity_rows(session, tenant)}
        assert rows["G6"].status == "in_place" and re.search(
            r"les \d+ personnes en ont pris connaissance", rows["G6"].evidence
        )
        assert rows["G14"].status == "in_place"  # with the demo roadmap's six steps led and dated
