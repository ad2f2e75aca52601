"""What training keeps (G13, G21): sessions and who attended, each person's quiz attempts, and the
municipality's learning resources.

A quiz attempt keeps the person, the score and the choices made (so a failed attempt can show what was
wrong); it is the person's own record, shown to them and counted, never ranked, on the conformity view.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, new_id, utcnow


class TrainingSession(TenantScoped, Base):
    """A session held (or planned) for one audience: ``audience`` is council, pilot or staff,
    ``format`` in_person or online."""

    __tablename__ = "training_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrainingAttendance(TenantScoped, Base):
    """One person of the municipality present at one session."""

    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_training_attendance_session_user"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class QuizAttempt(TenantScoped, Base):
    """One try of the self-check quiz: ``choices`` maps each question's key to the option chosen."""

    __tablename__ = "quiz_attempts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    choices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)


class LearningResource(TenantScoped, Base):
    """A learning page (G21) seeded from a shipped text, then the municipality's own: ``key`` names the
    shipped text it came from, ``reads`` counts the times staff opened it."""

    __tablename__ = "learning_resources"
    __table_args__ = (UniqueConstraint("tenant_id", "key", name="uq_learning_resources_tenant_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    reads: Mapped[int] = mapped_column(Integer, default=0)
    edited_by: Mapped[str] = mapped_column(String(32), default="")
    edited_at: Mapped[datetime | None] = mapped_column(default=None)
