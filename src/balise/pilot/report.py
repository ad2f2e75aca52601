"""The interim review (Valais guide, step 6; G15, G19): the pilot's improvements against the resources
invested, the challenges the manager writes, staff sentiment from the survey and what could be
pooled, assembled live from the platform's own records for one municipality.

Staff sentiment comes from the newest survey campaign answered by at least ``THRESHOLD`` people, and
only its groups the survey itself shows (same threshold, profile and free texts left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise import audit
from balise.bounds import check_length, optional_date
from balise.db.base import utcnow
from balise.formatting import day
from balise.gateway.consumption import consumption
from balise.governance.adoption_models import AdoptionCase
from balise.governance.models import AISystem
from balise.i18n import gettext_
from balise.pilot.processes import Measured, Totals, processes, totals
from balise.pilot.tables import PERIOD_DAYS, InterimReview
from balise.pooling.cards import cards
from balise.pooling.service import published_packs
from balise.review.time_saved import time_saved_by_task
from balise.survey.questionnaire import PROFILE, TEXT
from balise.survey.results import THRESHOLD, campaign_results
from balise.survey.service import list_campaigns
from balise.tenancy import Tenant

MAX_TEXT = 8000


@dataclass(frozen=True)
class Budget:
    """One adoption case's budget: staff hours, licences a year and training (amounts as written)."""

    system: str
    hours: float
    licences: float
    training: float


@dataclass(frozen=True)
class Sentiment:
    """One question of the survey as its results page summarises it."""

    group: str
    question: str
    summary: str


@dataclass(frozen=True)
class OwnFigures:
    """Balise's own figures over the review's period: requests to the AI tools, and the minutes saved
    the authors of results said (``review/time_saved.py``) over how many results."""

    start: date
    end: date
    requests: int
    minutes: int
    rated: int


def own_figures(session: Session, today: date | None = None) -> OwnFigures:
    """The last ``PERIOD_DAYS`` days up to ``today`` (UTC) of the session's municipality."""
    end = today or utcnow().date()
    start = end - timedelta(days=PERIOD_DAYS - 1)
    said = time_saved_by_task(session, start, end)
    return OwnFigures(
        start,
        end,
        consumption(session, start, end).total.requests,
        sum(line.minutes for line in said),
        sum(line.rated for line in said),
    )


@dataclass
class Report:
    tenant: Tenant
    figures: OwnFigures
    review: InterimReview | None
    processes: list[Measured]
    totals: Totals
    budgets: list[Budget] = field(default_factory=list)
    campaign: str = ""
    answers: int = 0
    sentiment: list[Sentiment] = field(default_factory=list)
    cards: list[tuple[str, str]] = field(default_factory=list)
    """Use-case cards this municipality publishes: (title, time saved as written)."""
    packs: list[str] = field(default_factory=list)

    @property
    def start(self) -> date:
        return self.figures.start

    @property
    def end(self) -> date:
        return self.figures.end

    @property
    def requests(self) -> int:
        return self.figures.requests

    @property
    def minutes_said(self) -> int:
        return self.figures.minutes

    @property
    def results_rated(self) -> int:
        return self.figures.rated

    @property
    def budget_hours(self) -> float:
        return sum(b.hours for b in self.budgets)

    @property
    def months_to_recover(self) -> float | None:
        """Months of the measured gain it takes to give back the staff hours invested."""
        gain = self.totals.gain_hours
        return self.budget_hours / gain if gain > 0 and self.budget_hours else None


def review_of(session: Session) -> InterimReview | None:
    return session.scalars(select(InterimReview)).first()


def save_review(session: Session, tenant_id: str, form: Mapping[str, str], *, actor: str) -> InterimReview:
    """The challenges the manager writes and the day the review is issued."""
    challenges = form.get("challenges", "").strip()
    check_length(challenges, MAX_TEXT, gettext_("Challenges"))
    issued = optional_date(form.get("issued_on", ""), gettext_("date of issue"))
    review = review_of(session)
    if review is None:
        review = InterimReview(tenant_id=tenant_id)
        session.add(review)
    review.challenges, review.issued_on = challenges, issued
    session.flush()
    audit.record(
        session,
        "pilot.review_saved",
        actor=actor,
        tenant_id=tenant_id,
        target_type="interim_review",
        target_id=review.id,
        details={"status": "issued" if issued else "draft"},
    )
    return review


def _budgets(session: Session) -> list[Budget]:
    rows = session.execute(
        select(AdoptionCase, AISystem.name).join(AISystem, AISystem.id == AdoptionCase.system_id)
    )
    found = [
        Budget(name, case.budget_hours or 0.0, case.budget_licences or 0.0, case.budget_training or 0.0)
        for case, name in rows
        if case.budget_hours or case.budget_licences or case.budget_training
    ]
    return sorted(found, key=lambda b: b.system.casefold())


def _sentiment(session: Session, report: Report) -> None:
    answered = [(c, n) for c, n in list_campaigns(session) if n >= THRESHOLD]
    if not answered:
        return
    campaign, report.answers = answered[0]
    report.campaign = campaign.name
    _count, groups = campaign_results(session, campaign)
    report.sentiment = [
        Sentiment(group.label, result.title, result.summary)
        for group in groups
        if group.shown and group.topic != PROFILE
        for result in group.results
        if result.question.kind != TEXT
    ]


def interim_report(session: Session, tenant: Tenant, *, today: date | None = None) -> Report:
    """Everything the review shows, for the session's municipality, over the last ``PERIOD_DAYS``."""
    measured = processes(session)
    report = Report(
        tenant,
        own_figures(session, today),
        review_of(session),
        measured,
        totals(measured),
        budgets=_budgets(session),
    )
    _sentiment(session, report)
    report.cards = [(c.card.title, c.card.time_saved) for c in cards(session, tenant) if c.mine]
    report.packs = [p.name for p in published_packs(session, tenant) if p.published]
    return report


def review_evidence(session: Session) -> str:
    """The roadmap's evidence for step 6 once the review is issued ("" before)."""
    review = review_of(session)
    if review is None or review.issued_on is None:
        return ""
    return gettext_("Interim review issued on {date} (« Interim review » page).").format(
        date=day(review.issued_on)
    )
