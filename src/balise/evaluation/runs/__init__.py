"""Evaluation sets and runs of each municipality (P4, G7): sets made by hand, imported or grown from
feedback (``sets``), run through the product and stored (``runner``), thresholds and alerts
(``alerts``), the service the CLI, the weekly job, the pages and the conformity view call
(``service``), the dashboard's charts (``charts``)."""

from balise.evaluation.runs.alerts import DEFAULTS, LABELS, alert, open_alerts, set_thresholds, thresholds
from balise.evaluation.runs.runner import METRICS, as_contract, run_set, runs_of
from balise.evaluation.runs.service import evaluate, evaluate_all, latest_run
from balise.evaluation.runs.sets import (
    ItemDraft,
    add_from_feedback,
    add_items,
    check_drafts,
    create_set,
    export_set,
    get_set,
    grow_from_validated,
    import_items,
    items_of,
    list_sets,
    set_by_name,
    unhelpful_questions,
)
from balise.evaluation.runs.tables import EvalItem, EvalRun, EvalRunItem, EvalSet

__all__ = [
    "DEFAULTS",
    "LABELS",
    "METRICS",
    "EvalItem",
    "EvalRun",
    "EvalRunItem",
    "EvalSet",
    "ItemDraft",
    "add_from_feedback",
    "add_items",
    "alert",
    "as_contract",
    "check_drafts",
    "create_set",
    "evaluate",
    "evaluate_all",
    "export_set",
    "get_set",
    "grow_from_validated",
    "import_items",
    "items_of",
    "latest_run",
    "list_sets",
    "open_alerts",
    "run_set",
    "runs_of",
    "set_by_name",
    "set_thresholds",
    "thresholds",
    "unhelpful_questions",
]
