"""The conformity evidence the evaluation runs give (P4), and G7's continuous control: the weekly
evaluation runs together with the monthly bias probes."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from balise.evaluation.runs import LABELS, EvalRun
from balise.evaluation.runs.charts import shown
from balise.formatting import day
from balise.governance.checks import ATTENTION, IN_PLACE, Evidence
from balise.governance.conformity_bias import recent_bias_runs
from balise.governance.evidence import WINDOW_DAYS, Facts
from balise.i18n import N_, gettext_


def _recent_run(f: Facts) -> EvalRun | None:
    run = f.evaluation_run
    if run is None:
        return None
    at = run.created_at if run.created_at.tzinfo else run.created_at.replace(tzinfo=UTC)
    return run if at >= f.since - timedelta(days=WINDOW_DAYS) else None


def _figures(run: EvalRun) -> dict[str, Any]:
    return {
        "date": day(run.created_at),
        "set": run.set_name,
        "items": run.items,
        "cited": shown("cited_rate", run.metrics.get("cited_rate")),
        "hit": shown("hit@5", run.metrics.get("hit@5")),
        "below": ", ".join(gettext_(LABELS[m]) for m in run.below),
    }


def p4(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """No run → attention; none in the last 60 days → attention; the latest below a threshold →
    attention with the metrics; else in place, with the latest run's figures."""
    if f.evaluation_run is None:
        return (
            ATTENTION,
            N_(
                "The evaluation commands exist; no evaluation run is recorded for this municipality: create "
                "an evaluation set (Governance, Evaluation of the answers), the workers then run it weekly."
            ),
            {},
        )
    run = _recent_run(f)
    if run is None:
        return (
            ATTENTION,
            N_("The last evaluation run was on {date}, more than 60 days ago."),
            _figures(f.evaluation_run),
        )
    if run.below:
        return (
            ATTENTION,
            N_(
                "Evaluation run of {date} on “{set}” ({items} questions): below the threshold — {below}; the "
                "managers were alerted."
            ),
            _figures(run),
        )
    return (
        IN_PLACE,
        N_(
            "Evaluation run of {date} on “{set}” ({items} questions): expected document in search's first "
            "five {hit}, answers citing it {cited}; no metric below its threshold."
        ),
        _figures(run),
    )


def g7(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
    """In place when both the answers (evaluation runs) and bias (probes) were measured recently."""
    run, bias = _recent_run(f), recent_bias_runs(f)
    bias_date = day(max(r.created_at for r in bias.values())) if bias else ""
    if run is not None and bias:
        return (
            IN_PLACE,
            N_(
                "Audit log, evaluation runs of the answers (the last on {date}) and bias probes (the last "
                "on {bias})."
            ),
            {"date": day(run.created_at), "bias": bias_date},
        )
    if run is not None:
        return (
            ATTENTION,
            N_("Evaluation runs of the answers (the last on {date}); bias is not evaluated yet."),
            {"date": day(run.created_at)},
        )
    if bias:
        return (
            ATTENTION,
            N_(
                "Audit log and bias probes (the last on {bias}); the quality of the answers is not "
                "evaluated yet."
            ),
            {"bias": bias_date},
        )
    return ATTENTION, N_("Audit log and evaluation commands exist; nothing is evaluated regularly yet."), {}
