"""Tasks open after training (G13, issue 24): a municipality may keep the assistant's tasks (ask,
summarise, draft, revise — on the pages, the JSON API and the OpenAI-compatible door alike) closed
to each person until they passed the self-check quiz. Off by default; switching it is audited.

An API token acts for its person, so the same rule holds for it: a script cannot do what its owner
may not do yet. The rule is applied in one place, :func:`balise.web.training_gate.trained_principal`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.errors import BaliseError
from balise.i18n import gettext_
from balise.tenancy.models import Tenant
from balise.tenancy.settings import store_setting
from balise.training.tables import QuizAttempt

GATE_KEY = "training_gate"
QUIZ_PAGE = "/formation/quiz"


class TrainingRequired(BaliseError):
    """The person has not passed the quiz yet and their municipality requires it."""

    status = 403
    code = "training_required"

    def link(self) -> tuple[str, str] | None:
        return QUIZ_PAGE, gettext_("Take the self-check quiz")


def gate_on(tenant: Tenant) -> bool:
    return bool((tenant.settings or {}).get(GATE_KEY))


def set_gate(session: Session, tenant: Tenant, on: bool, *, actor: str) -> None:
    """Switches the rule on or off (off removes the key: the default)."""
    store_setting(
        session,
        tenant,
        GATE_KEY,
        True if on else None,
        action="training.gate_set",
        actor=actor,
        details={"on": on},
    )


def check_trained(session: Session, tenant: Tenant, user_id: str) -> None:
    """Raises :class:`TrainingRequired` when the rule is on and the person never passed the quiz."""
    if not gate_on(tenant):
        return
    passed = session.scalar(
        select(QuizAttempt.id).where(QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True)).limit(1)
    )
    if passed is None:
        raise TrainingRequired(
            "Your municipality opens the assistant's tasks once the self-check quiz is passed. Take the "
            "quiz (a few minutes), then come back: the tasks will be open."
        )
