"""Tenant-B objects for the validated-answer routes."""

from datetime import timedelta

from sqlalchemy.orm import Session

from balise.answers import ValidatedAnswer
from balise.db import utcnow
from balise.tenancy import Tenant, User
from tests.tenancy.isolation import Factory


def _answer(session: Session, tenant: Tenant, user: User) -> str:
    answer = ValidatedAnswer(
        tenant_id=tenant.id,
        question="Question secrète de B",
        answer="Réponse secrète de B",
        sources=[],
        vector=b"",
        embedder="none",
        validated_by=user.id,
        expires_at=utcnow() + timedelta(days=30),
    )
    session.add(answer)
    session.flush()
    return answer.id


FACTORIES: dict[str, Factory] = {"answer_id": _answer}
