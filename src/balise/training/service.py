"""Training sessions with their attendance, and the self-check quiz's attempts (G13).

Every function takes a session scoped to the municipality; attendance can only name its own people
(anyone else is refused, not silently dropped), and every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length, optional_date, whole_number
from balise.errors import Invalid, NotFound
from balise.i18n import N_, gettext_
from balise.review import members_with
from balise.tenancy import Role, User
from balise.training.quiz import QUESTIONS, Marked, mark, passes
from balise.training.tables import QuizAttempt, TrainingAttendance, TrainingSession

AUDIENCES = {
    "council": N_("Council members"),
    "pilot": N_("Pilot testers"),
    "staff": N_("All staff"),
}
FORMATS = {"in_person": N_("In person"), "online": N_("Online")}
MAX_TITLE = 200
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Listed:
    """A session and the ids of the people who attended it."""

    session: TrainingSession
    attended: frozenset[str]


def people(session: Session, tenant_id: str) -> list[User]:
    """The municipality's active people: whom attendance may name."""
    return members_with(session, tenant_id, Role.EMPLOYEE)


def sessions(session: Session) -> list[Listed]:
    """Every session, most recent first, with its attendance."""
    attended: dict[str, set[str]] = {}
    for row in session.scalars(select(TrainingAttendance)):
        attended.setdefault(row.session_id, set()).add(row.user_id)
    rows = session.scalars(
        select(TrainingSession).order_by(TrainingSession.held_on.desc(), TrainingSession.created_at.desc())
    )
    return [Listed(s, frozenset(attended.get(s.id, ()))) for s in rows]


def get_session(session: Session, session_id: str) -> TrainingSession:
    found = session.get(TrainingSession, session_id)
    if found is None:
        raise NotFound("This training session does not exist. Go back to the list of sessions.")
    return found


def _choice(form: Mapping[str, Any], field: str, allowed: Mapping[str, str], label: str) -> str:
    value = str(form.get(field, "")).strip()
    if value not in allowed:
        raise Invalid("Choose the {field} from the list.", field=label)
    return value


def _attendees(form: Mapping[str, Any], allowed: set[str]) -> set[str]:
    raw = form.get("attended", [])
    chosen = {str(v) for v in (raw if isinstance(raw, list) else [raw]) if v}
    if chosen - allowed:
        raise Invalid("Only people of the municipality can be marked as present. Reload the page.")
    return chosen


def save_session(
    session: Session, tenant_id: str, form: Mapping[str, Any], *, actor: str, session_id: str = ""
) -> TrainingSession:
    """A new session, or an existing one (``session_id``) changed, with the people ticked as present."""
    title = str(form.get("title", "")).strip()
    if not title:
        raise Invalid("Give the session a title.")
    check_length(title, MAX_TITLE, gettext_("Title"))
    audience = _choice(form, "audience", AUDIENCES, gettext_("audience"))
    kind = _choice(form, "format", FORMATS, gettext_("format"))
    held_on = optional_date(str(form.get("held_on", "")), gettext_("date"))
    if held_on is None:
        raise Invalid("Give the date of the session, such as 2026-03-31.")
    minutes = whole_number(str(form.get("minutes", "")), minimum=1, maximum=MAX_MINUTES)
    if minutes is None:
        raise Invalid("The duration is a whole number of minutes between 1 and {max}.", max=MAX_MINUTES)
    present = _attendees(form, {u.id for u in people(session, tenant_id)})
    row = (
        get_session(session, session_id)
        if session_id
        else TrainingSession(tenant_id=tenant_id, created_by=actor)
    )
    row.title, row.audience, row.format, row.held_on, row.minutes = title, audience, kind, held_on, minutes
    row.mandatory = str(form.get("mandatory", "")) == "yes"
    session.add(row)
    session.flush()
    before = {
        a.user_id: a
        for a in session.scalars(select(TrainingAttendance).where(TrainingAttendance.session_id == row.id))
    }
    for user_id in set(before) - present:
        session.delete(before[user_id])
    for user_id in present - set(before):
        session.add(TrainingAttendance(tenant_id=tenant_id, session_id=row.id, user_id=user_id))
    audit.record(
        session,
        "training.session_updated" if session_id else "training.session_created",
        actor=actor,
        tenant_id=tenant_id,
        target_type="training_session",
        target_id=row.id,
        details={"audience": audience, "format": kind, "mandatory": row.mandatory, "attended": len(present)},
    )
    session.flush()
    return row


def delete_session(session: Session, tenant_id: str, session_id: str, *, actor: str) -> None:
    row = get_session(session, session_id)
    session.delete(row)
    audit.record(
        session,
        "training.session_deleted",
        actor=actor,
        tenant_id=tenant_id,
        target_type="training_session",
        target_id=session_id,
    )
    session.flush()


def take_quiz(
    session: Session, tenant_id: str, user_id: str, form: Mapping[str, Any]
) -> tuple[QuizAttempt, list[Marked]]:
    """Marks one attempt and keeps it; every question must be answered."""
    marked = mark(form)
    if any(m.chosen is None for m in marked):
        raise Invalid("Answer every question before submitting the quiz.")
    score = sum(m.right for m in marked)
    attempt = QuizAttempt(
        tenant_id=tenant_id,
        user_id=user_id,
        score=score,
        total=len(QUESTIONS),
        passed=passes(score, len(QUESTIONS)),
        choices={m.question.key: m.chosen for m in marked},
    )
    session.add(attempt)
    session.flush()
    audit.record(
        session,
        "training.quiz_taken",
        actor=user_id,
        tenant_id=tenant_id,
        target_type="quiz_attempt",
        target_id=attempt.id,
        details={"score": score, "total": attempt.total, "passed": attempt.passed},
    )
    return attempt, marked


def attempts_of(session: Session, user_id: str) -> list[QuizAttempt]:
    """A person's attempts, newest first."""
    return list(
        session.scalars(
            select(QuizAttempt).where(QuizAttempt.user_id == user_id).order_by(QuizAttempt.taken_at.desc())
        )
    )


def get_attempt(session: Session, user_id: str, attempt_id: str) -> tuple[QuizAttempt, list[Marked]]:
    """One of the person's own attempts with its marking (another person's is not found)."""
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NotFound("This quiz attempt does not exist. Take the quiz again from the quiz page.")
    return attempt, mark(attempt.choices)


def passed_people(session: Session) -> set[str]:
    """Ids of the people who passed the quiz at least once."""
    return set(session.scalars(select(QuizAttempt.user_id).where(QuizAttempt.passed.is_(True))))
