"""The one charting module: pygal draws server-side SVG, made one accessible image here (its script
removed, named by a title and described by a sentence), so that a chart reads without JavaScript
and a screen reader hears what it shows; pages give its data as a table beside it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_OPENING = re.compile(r"<svg\b[^>]*>")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def accessible(svg: str, key: str, title: str, summary: str) -> str:
    """pygal's SVG without its script, as one image named by ``title`` and described by ``summary``;
    ``key`` makes the ids unique on the page."""
    svg = _SCRIPT.sub("", svg)
    opening = _OPENING.search(svg)
    if opening is None:
        raise ValueError("not an SVG document")
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby="{key}-title {key}-desc">'
    head = f'<title id="{key}-title">{_escape(title)}</title><desc id="{key}-desc">{_escape(summary)}</desc>'
    return svg[: opening.start()] + tag + head + svg[opening.end() :]


def chart(kind: str, labels: Sequence[str], formatter: Callable[[Any], str], **options: Any) -> Any:
    """A pygal chart (``Line`` or ``Bar``) in the pages' colours and fonts, contrasted enough for AA."""
    import pygal
    from pygal.style import Style

    style = Style(
        background="white",
        plot_background="white",
        foreground="#1b1b1b",
        foreground_strong="#1b1b1b",
        foreground_subtle="#4a4a4a",
        colors=("#1f4e8c", "#a4262c", "#2e6b30"),
        font_family="system-ui, sans-serif",
    )
    drawn = getattr(pygal, kind)(
        style=style,
        width=640,
        height=260,
        disable_xml_declaration=True,
        js=[],
        legend_at_bottom=True,
        value_formatter=formatter,
        **options,
    )
    drawn.x_labels = list(labels)
    return drawn
