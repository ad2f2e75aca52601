"""What the evaluation pages show: the dashboard (sets, open alerts, each metric over time), a set
with its questions, and a run with its failed questions first. Built here so that the router only
parses and renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.errors import NotFound
from balise.evaluation.runs.alerts import AT_MOST, open_alerts, thresholds
from balise.evaluation.runs.charts import Chart, metric_chart, shown
from balise.evaluation.runs.runner import METRICS, runs_of
from balise.evaluation.runs.sets import get_set, items_of, list_sets, unhelpful_questions
from balise.evaluation.runs.tables import EvalItem, EvalRun, EvalRunItem, EvalSet
from balise.i18n import N_
from balise.tenancy import Tenant

FAILURE_LABELS = {
    "blocked": N_("The usage policy blocked the question."),
    "answered_unanswerable": N_("It answered although no document answers the question."),
    "abstained": N_("It found no answer although an expected document answers the question."),
    "wrong_source": N_("It answered from a document other than the expected ones."),
    "answer_missing": N_("It cited an expected document but its answer lacks the expected answer."),
}
TRIGGER_LABELS = {
    "cli": N_("command line"),
    "schedule": N_("weekly job"),
    "page": N_("started from this page"),
    "demo": N_("demo example"),
}
ORIGIN_LABELS = {
    "manual": N_("written by hand"),
    "import": N_("imported"),
    "feedback": N_("residents' feedback"),
    "validated": N_("validated answer"),
}
MAX_CHART_RUNS = 26
"""Half a year of weekly runs."""


@dataclass(frozen=True)
class MetricRow:
    metric: str
    value: str
    threshold: str
    below: bool
    at_most: bool


@dataclass
class Dashboard:
    sets: list[tuple[EvalSet, int, EvalRun | None]]
    alerts: list[EvalRun]
    chosen: EvalSet | None
    charts: list[Chart] = field(default_factory=list)
    runs: list[EvalRun] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    unhelpful: int = 0


def dashboard(session: Session, tenant: Tenant, set_id: str = "") -> Dashboard:
    """The sets with their last run, the open alerts, and the chosen set's metrics over time (the
    first set by default)."""
    sets = [(s, count, next(iter(runs_of(session, s, limit=1)), None)) for s, count in list_sets(session)]
    chosen = get_set(session, set_id) if set_id else (sets[0][0] if sets else None)
    view = Dashboard(sets, open_alerts(session), chosen, thresholds=thresholds(tenant))
    view.unhelpful = len(unhelpful_questions(session))
    if chosen is None:
        return view
    view.runs = runs_of(session, chosen, limit=MAX_CHART_RUNS)
    oldest_first = list(reversed(view.runs))
    view.charts = [
        metric_chart(metric, oldest_first, view.thresholds[metric], f"chart-{n}")
        for n, metric in enumerate(METRICS)
    ]
    return view


def metric_rows(run: EvalRun, limits: dict[str, float]) -> list[MetricRow]:
    """Each metric of a run beside its threshold."""
    return [
        MetricRow(m, shown(m, run.metrics.get(m)), shown(m, limits[m]), m in run.below, m in AT_MOST)
        for m in METRICS
    ]


@dataclass(frozen=True)
class RunView:
    run: EvalRun
    rows: list[MetricRow]
    failed: list[EvalRunItem]
    passed: list[EvalRunItem]


def run_view(session: Session, tenant: Tenant, run_id: str) -> RunView:
    run = session.scalar(select(EvalRun).where(EvalRun.id == run_id))
    if run is None:
        raise NotFound("This evaluation run does not exist or was deleted.")
    items = list(
        session.scalars(
            select(EvalRunItem).where(EvalRunItem.run_id == run.id).order_by(EvalRunItem.position)
        )
    )
    return RunView(
        run,
        metric_rows(run, thresholds(tenant)),
        [i for i in items if i.failure],
        [i for i in items if not i.failure],
    )


@dataclass(frozen=True)
class SetView:
    eval_set: EvalSet
    items: list[EvalItem]
    runs: list[EvalRun]
    unhelpful: list[tuple[str, str]]


def set_view(session: Session, set_id: str) -> SetView:
    eval_set = get_set(session, set_id)
    return SetView(
        eval_set,
        items_of(session, eval_set),
        runs_of(session, eval_set, limit=10),
        unhelpful_questions(session),
    )
