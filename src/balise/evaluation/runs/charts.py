"""The dashboard's charts: one per metric over the runs of a set, drawn server-side as SVG by pygal,
readable without JavaScript, each with its title, a sentence saying what it shows and its data as a
table (WCAG 2.1 AA: the picture is never the only way to the figures)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from balise.evaluation.runs.alerts import AT_MOST, LABELS
from balise.evaluation.runs.tables import EvalRun
from balise.formatting import day, number, percent
from balise.i18n import gettext_

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_OPENING = re.compile(r"<svg\b[^>]*>")


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


def _accessible(svg: str, key: str, title: str, summary: str) -> str:
    """pygal's SVG without its script, as one image named by its title and described by its summary."""
    svg = _SCRIPT.sub("", svg)
    opening = _OPENING.search(svg)
    assert opening is not None
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby="{key}-title {key}-desc">'
    head = f'<title id="{key}-title">{_escape(title)}</title><desc id="{key}-desc">{_escape(summary)}</desc>'
    return svg[: opening.start()] + tag + head + svg[opening.end() :]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _summary(metric: str, values: list[float | None], threshold: float) -> str:
    measured = [v for v in values if v is not None]
    if not measured:
        return gettext_("Not measured yet: the set has no question for it.")
    return gettext_("{count} runs; the last {last}, the best {best}, the worst {worst}; threshold {threshold}.").format(
        count=len(measured),
        last=shown(metric, measured[-1]),
        best=shown(metric, min(measured) if metric in AT_MOST else max(measured)),
        worst=shown(metric, max(measured) if metric in AT_MOST else min(measured)),
        threshold=shown(metric, threshold),
    )


def metric_chart(metric: str, runs: list[EvalRun], threshold: float, key: str) -> Chart:
    """The chart of ``metric`` over ``runs`` (oldest first); ``key`` makes its ids unique on the page."""
    import pygal
    from pygal.style import Style

    values: list[float | None] = [run.metrics.get(metric) for run in runs]
    dates = [day(run.created_at) for run in runs]
    title = gettext_(LABELS[metric])
    summary = _summary(metric, values, threshold)
    style = Style(
        background="white",
        plot_background="white",
        foreground="#1b1b1b",
        foreground_strong="#1b1b1b",
        foreground_subtle="#4a4a4a",
        colors=("#1f4e8c", "#a4262c"),
        font_family="system-ui, sans-serif",
    )
    chart = pygal.Line(
        style=style,
        width=640,
        height=260,
        explicit_size=False,
        disable_xml_declaration=True,
        js=[],
        show_legend=True,
        legend_at_bottom=True,
        x_label_rotation=0,
        range=None if metric in AT_MOST else (0, 1),
        value_formatter=lambda v: shown(metric, v),
        no_data_text=gettext_("No run yet"),
    )
    chart.x_labels = dates
    chart.add(title, values)
    chart.add(gettext_("Threshold"), [threshold] * len(runs), show_dots=False, stroke_style={"dasharray": "6,4"})
    points = [
        (date, shown(metric, value), value is not None and metric in run.below)
        for date, value, run in zip(dates, values, runs, strict=True)
    ]
    svg = _accessible(chart.render(is_unicode=True), key, title, summary)
    return Chart(metric, title, summary, svg, points)
