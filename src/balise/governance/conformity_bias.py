"""The conformity evidence the bias probes give (P5, P7; G7 with the evaluation runs, in
:mod:`balise.governance.conformity_evaluation`), from their stored runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from balise.evaluation.bias import BiasRun, is_recent
from balise.evaluation.bias import evidence as bias_evidence
from balise.formatting import day
from balise.governance.checks import ATTENTION, IN_PLACE, MISSING, Check, Evidence
from balise.governance.evidence import WINDOW_DAYS, Facts
from balise.i18n import N_


def recent_bias_runs(f: Facts) -> dict[str, BiasRun]:
    now = f.since + timedelta(days=WINDOW_DAYS)
    return {probe: run for probe, run in f.bias_runs.items() if is_recent(run, now)}


def bias(in_place: str) -> Check:
    """P5 and P7 from the bias probes: none run → missing; none recent → attention; a gap flagged
    by a recent run → attention with its figures; else in place, with ``in_place`` as the evidence."""

    def check(f: Facts) -> tuple[str, Evidence, dict[str, Any]]:
        if not f.bias_runs:
            return (
                MISSING,
                N_(
                    "No bias probe has run for this municipality: run `balise eval bias`, or let the "
                    "workers run it each month."
                ),
                {},
            )
        recent = recent_bias_runs(f)
        if not recent:
            last = max(run.created_at for run in f.bias_runs.values())
            return (
                ATTENTION,
                N_("The last bias probe ran on {date}, more than 90 days ago."),
                {"date": day(last)},
            )
        if any(run.flagged for run in recent.values()):
            return ATTENTION, N_("Gaps to act on. {found}"), {"found": bias_evidence(recent)}
        return IN_PLACE, in_place, {"found": bias_evidence(recent)}

    return check
