"""Bias probes (P5, P7): do the municipality's generative model and its drafting templates treat women,
men and people of every origin alike?

``names`` and ``measures`` hold the counterfactual probe's material, ``stats`` the tests, ``probes``
the three probes, ``model`` the way they reach the model (privacy guard, then gateway), ``service``
running, storing and reading runs (``tables``), ``example`` the demo's scripted worked example.
"""

from balise.evaluation.bias.service import (
    BIAS_TYPE_LABELS,
    COMPARISON_LABELS,
    GROUP_LABELS,
    METRIC_LABELS,
    PROBE_LABELS,
    PROBES,
    REQUEST_LABELS,
    ensure_demo_runs,
    evidence,
    is_recent,
    latest_runs,
    run_probes,
    shown_runs,
)
from balise.evaluation.bias.tables import BiasRun

__all__ = [
    "BIAS_TYPE_LABELS",
    "COMPARISON_LABELS",
    "GROUP_LABELS",
    "METRIC_LABELS",
    "PROBES",
    "PROBE_LABELS",
    "REQUEST_LABELS",
    "BiasRun",
    "ensure_demo_runs",
    "evidence",
    "is_recent",
    "latest_runs",
    "run_probes",
    "shown_runs",
]
