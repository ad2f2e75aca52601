"""The progress bar of long ``balise eval`` runs: on standard error, only on a terminal, never with
``--json`` (a script reading the JSON wants nothing else, and a log file no bar redrawn 300 times)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def eval_progress(json_output: bool, console: Console | None = None) -> Progress:
    """A transient bar with counts and time left; disabled off a terminal or with ``--json``."""
    console = console or Console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=json_output or not console.is_terminal,
    )
