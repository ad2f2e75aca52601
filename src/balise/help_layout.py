"""Help pages that stay readable in an 80-column terminal.

Typer lays an option out in one table row: its names, its negative names, its type and its help.
When the row is too wide, Rich shrinks every column alike and cuts option names (``--max-classific…``),
which then cannot be typed from the page. Names never wrap here: the type and the help wrap instead.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

NAME_AND_TYPE_CELLS = 6
"""An options row: the long names, short names, negative long and short names, the type, the help
(and first, when some option is required, its asterisk)."""


class WholeOptionNames(Table):
    """Typer's options table (``typer.rich_utils.Table`` while a help page is shown)."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        cells = list(renderables)
        first = len(cells) - NAME_AND_TYPE_CELLS
        negative = cells[first + 2] if first >= 0 else None
        if isinstance(negative, Text) and negative.plain and isinstance(cells[first], Text):
            cells[first] = Text.assemble(cells[first], "\n", negative)  # --flag above --no-flag
            cells[first + 2] = Text()
        super().add_row(*cells, **kwargs)
        if first >= 0:
            for column in self.columns[:-2]:  # all but the type and the help
                column.no_wrap = True
