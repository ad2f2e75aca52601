"""The conformity report for the council, as a Word document (python-docx) with the same rows as the
page and the JSON export."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from docx import Document

from balise.formatting import day
from balise.governance.checks import STATUS_LABELS
from balise.governance.conformity import Row
from balise.governance.requirements_text import emphasis
from balise.i18n import gettext_
from balise.tenancy import Tenant


def conformity_docx(tenant: Tenant, rows: list[Row], *, today: date | None = None) -> bytes:
    document = Document()
    document.core_properties.title = gettext_("Conformity report")
    document.add_heading(gettext_("Conformity report"), level=0)
    document.add_paragraph(
        gettext_("{municipality}, {date}. Computed by Balise from the platform's own records.").format(
            municipality=tenant.name, date=day(today or date.today())
        )
    )
    counts = Counter(row.status for row in rows)
    document.add_paragraph(
        ", ".join(f"{gettext_(label)} : {counts[status]}" for status, label in STATUS_LABELS.items())
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        (gettext_("Requirement"), gettext_("Status"), gettext_("Control"), gettext_("Evidence")),
        strict=True,
    ):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        paragraph = cells[0].paragraphs[0]
        paragraph.add_run(f"{row.id} — ").bold = True
        for span in emphasis(row.requirement):
            run = paragraph.add_run(span.text)
            run.bold, run.italic = span.bold or None, span.italic or None
        cells[1].text = gettext_(STATUS_LABELS[row.status])
        cells[2].text = row.control
        cells[3].text = row.evidence
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
