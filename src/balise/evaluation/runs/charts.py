"""The dashboard's charts: one per metric over the runs of a set (:mod:`balise.charts`), each with its
title, a sentence saying what it shows and its data as a table (the picture is never the only way to
the figures)."""

from __future__ import annotations

from dataclasses import dataclass

from balise.charts import accessible, chart
from balise.evaluation.runs.alerts import AT_MOST, LABELS
from balise.evaluation.runs.tables import EvalRun
from balise.formatting import day, number, percent
from balise.i18n import gettext_


@dataclass(frozen=True)
class Chart:
    """One metric over time: ``points`` are (date, value shown, below threshold) oldest first."""

    metric: str
    title: str
    summary: str
    svg: str
    points: list[tuple[str, str, bool]]


def shown(metric: str, value: float | None) -> str:
    """A metric's value in the reader's language: a percentage, or milliseconds for the time."""
    if value is None:
        return "—"
    return f"{number(value, 0)} ms" if metric in AT_MOST else percent(value)


def _summary(metric: str, values: list[float | None], threshold: float) -> str:
    measured = [v for v in values if v is not None]
    if not measured:
        return gettext_("Not measured yet: the set has no question for it.")
    return gettext_(
        "{count} runs; the last {last}, the best {best}, the worst {worst}; threshold {threshold}."
    ).format(
        count=len(measured),
        last=shown(metric, measured[-1]),
        best=shown(metric, min(measured) if metric in AT_MOST else max(measured)),
        worst=shown(metric, max(measured) if metric in AT_MOST else min(measured)),
        threshold=shown(metric, threshold),
    )


def metric_chart(metric: str, runs: list[EvalRun], threshold: float, key: str) -> Chart:
    """The chart of ``metric`` over ``runs`` (oldest first); ``key`` makes its ids unique on the page."""
    values: list[float | None] = [run.metrics.get(metric) for run in runs]
    dates = [day(run.created_at) for run in runs]
    title = gettext_(LABELS[metric])
    summary = _summary(metric, values, threshold)
    drawn = chart(
        "Line",
        dates,
        lambda v: shown(metric, v),
        range=None if metric in AT_MOST else (0, 1),
        no_data_text=gettext_("No run yet"),
    )
    drawn.add(title, values)
    drawn.add(
        gettext_("Threshold"), [threshold] * len(runs), show_dots=False, stroke_style={"dasharray": "6,4"}
    )
    points = [
        (date, shown(metric, value), value is not None and metric in run.below)
        for date, value, run in zip(dates, values, runs, strict=True)
    ]
    svg = accessible(drawn.render(is_unicode=True), key, title, summary)
    return Chart(metric, title, summary, svg, points)
