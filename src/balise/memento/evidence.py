"""What the conformity view reads of the memento (G6, G14): the version in force and who read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.memento.service import current, readers
from balise.memento.tables import MementoVersion
from balise.tenancy import Tenant


@dataclass
class MementoFacts:
    versions: int = 0
    number: int = 0
    """The current (adopted) version's number; 0 when none is adopted."""
    adopted_on: date | None = None
    staff: int = 0
    acknowledged: int = 0


def memento_facts(session: Session, tenant: Tenant) -> MementoFacts:
    facts = MementoFacts(versions=session.scalar(select(func.count(MementoVersion.id))) or 0)
    version = current(session)
    if version is not None:
        people = readers(session, tenant, version)
        facts.number, facts.adopted_on = version.number, version.adopted_on
        facts.staff = len(people)
        facts.acknowledged = sum(r.acknowledged_at is not None for r in people)
    return facts
