"""The one CSV writer: every CSV file Balise gives (open-data register, exports) is written here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading tab
or carriage return can hide one), so text a resident or an employee typed — an AI system's name, a
complaint — could open a link or run a command on the reader's machine (CSV injection, OWASP). Such a
text cell is prefixed with an apostrophe, which spreadsheets show as text; numbers are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value a spreadsheet shows as written: ``None`` empty, lists and mappings as JSON, text that
    would start a formula prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A header line, then one line per row (keys outside ``columns`` are left out), every cell safe."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue()
