"""What training gives the conformity view (G13, G21, G6): counts only, never a person's score."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from balise.training.resources import SHIPPED
from balise.training.service import passed_people, people, sessions
from balise.training.tables import LearningResource


@dataclass(frozen=True)
class TrainingFacts:
    sessions: int = 0
    sessions_attended: int = 0
    """Sessions with at least one person marked present."""
    trained: int = 0
    """People of the municipality present at one session at least."""
    staff: int = 0
    passed: int = 0
    """People of the municipality who passed the quiz."""
    resources: int = 0
    """Shipped resources the municipality has (copied on first view)."""
    resources_shipped: int = len(SHIPPED)
    resources_edited: int = 0
    reads: int = 0


def training_facts(session: Session, tenant_id: str) -> TrainingFacts:
    staff = {u.id for u in people(session, tenant_id)}
    listed = sessions(session)
    present = set().union(*(s.attended for s in listed)) & staff if listed else set()
    resources = list(session.scalars(select(LearningResource).where(LearningResource.key.in_(list(SHIPPED)))))
    return TrainingFacts(
        sessions=len(listed),
        sessions_attended=sum(1 for s in listed if s.attended),
        trained=len(present),
        staff=len(staff),
        passed=len(passed_people(session) & staff),
        resources=len(resources),
        resources_edited=sum(1 for r in resources if r.edited_at is not None),
        reads=session.scalar(select(func.coalesce(func.sum(LearningResource.reads), 0))) or 0,
    )
