"""Tenant-B objects for training's path parameters (issue 24)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from balise.db.base import new_id
from balise.tenancy import Tenant, User
from balise.training import LearningResource, QuizAttempt, TrainingSession
from tests.tenancy.isolation import Factory


def _session(session: Session, tenant: Tenant, user: User) -> str:
    row = TrainingSession(
        tenant_id=tenant.id,
        title="Séance secrète de B",
        audience="staff",
        format="online",
        held_on=date(2026, 1, 5),
        minutes=60,
        created_by=user.id,
    )
    session.add(row)
    session.flush()
    return row.id


def _attempt(session: Session, tenant: Tenant, user: User) -> str:
    row = QuizAttempt(tenant_id=tenant.id, user_id=user.id, score=8, total=8, passed=True, choices={})
    session.add(row)
    session.flush()
    return row.id


def _resource(session: Session, tenant: Tenant, user: User) -> str:
    key = f"b_{new_id()[:8]}"
    session.add(LearningResource(tenant_id=tenant.id, key=key, title="Ressource de B", body="Secret de B"))
    session.flush()
    return key


FACTORIES: dict[str, Factory] = {
    "training_session_id": _session,
    "attempt_id": _attempt,
    "resource_key": _resource,
}
