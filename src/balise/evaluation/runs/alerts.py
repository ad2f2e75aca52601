"""Each metric's threshold per municipality, and the alert a run below it raises (P4, G7).

A run whose figures fall below a threshold notifies the managers in the app and, when the
municipality has a mail server, by e-mail; the next run of the same set back above it clears the
alert and says so the same way. What is open is read from each set's latest run, so the alert and
the figures can never disagree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.errors import Invalid
from balise.evaluation.runs.tables import EvalRun
from balise.i18n import N_, gettext_
from balise.review import members_with, notify_people, register_notification
from balise.tenancy import MailFailed, Role, Tenant, send_mail, store_setting
from balise.tenancy.mail import load_smtp

log = logging.getLogger(__name__)

KEY = "evaluation_thresholds"
DEFAULTS: dict[str, float] = {
    "hit@5": 0.6,
    "mrr@10": 0.4,
    "cited_rate": 0.5,
    "answer_rate": 0.3,
    "abstain_rate": 0.4,
    "citation_validity": 0.9,
    "supported_rate": 0.8,
    "p95_ms": 5000.0,
}
AT_MOST = frozenset({"p95_ms"})
"""Metrics where lower is better: the threshold is a ceiling."""
LABELS = {
    "hit@5": N_("Expected document in search's first five"),
    "mrr@10": N_("Mean reciprocal rank of the expected document"),
    "cited_rate": N_("Answers citing an expected document"),
    "answer_rate": N_("Answers containing the expected answer"),
    "abstain_rate": N_("Correct abstentions"),
    "citation_validity": N_("Quotes found word for word in their source"),
    "supported_rate": N_("Sentences their sources support"),
    "p95_ms": N_("Time to answer, 95th percentile (ms)"),
}
RAISED, CLEARED = "evaluation_alert", "evaluation_cleared"
register_notification(RAISED, N_("An evaluation run fell below a threshold."))
register_notification(CLEARED, N_("An evaluation run is back above its thresholds."))


def thresholds(tenant: Tenant) -> dict[str, float]:
    """The municipality's thresholds, the defaults filling what it never set."""
    stored = (tenant.settings or {}).get(KEY) or {}
    return {metric: float(stored.get(metric, default)) for metric, default in DEFAULTS.items()}


def set_thresholds(
    session: Session, tenant: Tenant, values: dict[str, float], *, actor: str
) -> dict[str, float]:
    """A manager's thresholds: rates between 0 and 1, the time in milliseconds."""
    for metric, value in values.items():
        if metric not in DEFAULTS:
            raise Invalid("Unknown metric “{metric}”.", metric=metric)
        if metric in AT_MOST and not 0 < value <= 600_000:
            raise Invalid("The time threshold is a number of milliseconds between 1 and 600000.")
        if metric not in AT_MOST and not 0 <= value <= 1:
            raise Invalid("A rate's threshold is between 0 and 1 (for example 0.8 for 80 %).")
    merged = {**thresholds(tenant), **values}
    store_setting(
        session, tenant, KEY, merged, action="evaluation.thresholds_set", actor=actor, details=merged
    )
    return merged


def below_thresholds(tenant: Tenant, measured: dict[str, float | None]) -> list[str]:
    """The metrics of a run that miss their threshold (a metric not measured misses nothing)."""
    limits = thresholds(tenant)
    return [
        metric
        for metric, value in measured.items()
        if value is not None
        and metric in limits
        and (value > limits[metric] if metric in AT_MOST else value < limits[metric])
    ]


def _previous(session: Session, run: EvalRun) -> EvalRun | None:
    return session.scalar(
        select(EvalRun)
        .where(EvalRun.set_id == run.set_id, EvalRun.id != run.id, EvalRun.example.is_(False))
        .order_by(EvalRun.created_at.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Alerted:
    """What :func:`alert` did: ``raised`` and ``cleared`` metrics, e-mails sent, and why none was."""

    raised: list[str]
    cleared: list[str]
    mailed: int = 0
    mail_error: str = ""


def alert(session: Session, tenant: Tenant, run: EvalRun) -> Alerted:
    """Notifies the managers of what this run newly put below a threshold, or cleared (the caller
    commits). An e-mail that cannot be sent leaves the in-app notification and is logged."""
    before = _previous(session, run)
    was = set(before.below) if before is not None else set()
    raised = [m for m in run.below if m not in was]
    cleared = sorted(was - set(run.below))
    if run.example or not (raised or cleared):
        return Alerted(raised, cleared)
    managers = members_with(session, tenant.id, Role.MANAGER)
    kind = RAISED if raised else CLEARED
    notify_people(
        session, tenant.id, [m.id for m in managers], kind, link=f"/gouvernance/evaluation/resultats/{run.id}"
    )
    if not load_smtp(tenant).configured:
        return Alerted(raised, cleared)
    subject, body = _message(tenant, run, raised, cleared)
    mailed, error = 0, ""
    for manager in managers:
        try:
            send_mail(tenant, manager.email, subject, body)
            mailed += 1
        except MailFailed as failed:
            error = failed.localized()
            log.warning("evaluation alert not e-mailed: %s", error)
            break
    return Alerted(raised, cleared, mailed, error)


def _message(tenant: Tenant, run: EvalRun, raised: list[str], cleared: list[str]) -> tuple[str, str]:
    limits = thresholds(tenant)
    lines = [
        gettext_("{label}: {value} (threshold {threshold})").format(
            label=gettext_(LABELS[m]), value=run.metrics.get(m), threshold=limits[m]
        )
        for m in (raised or cleared)
    ]
    if raised:
        subject = gettext_("Balise: the evaluation “{name}” fell below a threshold").format(name=run.set_name)
        intro = gettext_("The run of {count} questions fell below these thresholds:").format(count=run.items)
    else:
        subject = gettext_("Balise: the evaluation “{name}” is back above its thresholds").format(
            name=run.set_name
        )
        intro = gettext_("The run of {count} questions is back above these thresholds:").format(
            count=run.items
        )
    outro = gettext_(
        "The run, its failed questions and their causes: /gouvernance/evaluation/resultats/{id}"
    ).format(id=run.id)
    return subject, "\n".join([intro, *lines, "", outro])


def open_alerts(session: Session) -> list[EvalRun]:
    """The latest measured run of each set, when it is below a threshold: the open alerts."""
    latest: dict[str | None, EvalRun] = {}
    for run in session.scalars(
        select(EvalRun).where(EvalRun.example.is_(False)).order_by(EvalRun.created_at.desc())
    ):
        latest.setdefault(run.set_id, run)
    return [run for run in latest.values() if run.below]
