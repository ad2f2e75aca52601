"""A municipality's staff survey campaigns (G2): the questionnaire of each campaign and its answers.

Answers are anonymous by construction: a response row holds the answers and the campaign, never a
person, a session, an address or the time it was given (the time could be matched with the access
log). Each campaign keeps its own copy of its questions, so editing one campaign's questionnaire
never changes what another campaign asked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from balise.db.base import Base, TenantScoped, Timestamped, new_id


class SurveyCampaign(TenantScoped, Timestamped, Base):
    """One campaign: ``token`` is the unguessable part of its public link; ``status`` is draft (the
    questionnaire can be edited), open (answers accepted) or closed."""

    __tablename__ = "survey_campaigns"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    example: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyQuestion(TenantScoped, Base):
    """A question of a campaign: ``topic`` is its group (results are shown per group), ``kind`` is
    single, multiple or text, ``key`` names a default question across campaigns (for comparing)."""

    __tablename__ = "survey_questions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(40), default="")
    topic: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)


class SurveyResponse(TenantScoped, Base):
    """One person's answers, by question id: a choice, a list of choices, or a text."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    campaign_id: Mapped[str] = mapped_column(
        ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MaturityAssessment(TenantScoped, Timestamped, Base):
    """One self-assessment (G5): a level from 1 to 5 per dimension, kept so history shows progress."""

    __tablename__ = "maturity_assessments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    levels: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[bool] = mapped_column(Boolean, default=False)
