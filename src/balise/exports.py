"""Documents written once and given as a standalone HTML page, a Word document (python-docx) and a
PDF (WeasyPrint, from the same HTML): the memento (G14) and the interim review (G15, G19) share it.

A document is a title, a status line and parts: headings, paragraphs (their lines kept as line
breaks), bulleted lists and tables with a header row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from docx import Document

from balise.i18n import current_locale


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    lines: Sequence[str]


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


Part = Heading | Paragraph | Bullets | Table
FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}
"""Each export format's media type and file extension."""

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; }
body { margin: 2em; color: #1a1a1a; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; margin-top: 1em; }
.status { color: #333; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
"""


def _html_part(part: Part) -> str:
    if isinstance(part, Heading):
        level = min(part.level + 1, 6)
        return f"<h{level}>{escape(part.text)}</h{level}>"
    if isinstance(part, Paragraph):
        return "<p>" + "<br>".join(escape(line) for line in part.lines) + "</p>"
    if isinstance(part, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in part.items) + "</ul>"
    head = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in part.header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in part.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_document(title: str, status: str, parts: Sequence[Part], *, page_title: str = "") -> str:
    """A page of its own (its style inside), for the intranet and for the PDF."""
    return "\n".join(
        [
            f'<!doctype html>\n<html lang="{escape(current_locale.get())}"><head><meta charset="utf-8">',
            f"<title>{escape(page_title or title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="status">{escape(status)}</p>',
            *(_html_part(part) for part in parts),
            "</body></html>",
        ]
    )


def docx_document(title: str, status: str, parts: Sequence[Part], *, version: str = "") -> bytes:
    document = Document()
    document.core_properties.title = title
    if version:
        document.core_properties.version = version
    document.add_heading(title, level=0)
    document.add_paragraph(status)
    for part in parts:
        if isinstance(part, Heading):
            document.add_heading(part.text, level=part.level)
        elif isinstance(part, Paragraph):
            document.add_paragraph("\n".join(part.lines))
        elif isinstance(part, Bullets):
            for item in part.items:
                document.add_paragraph(item, style="List Bullet")
        else:
            table = document.add_table(rows=1, cols=len(part.header), style="Table Grid")
            for cell, text in zip(table.rows[0].cells, part.header, strict=True):
                cell.text = text
            for row in part.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_document(html: str) -> bytes:
    import weasyprint  # loaded when a PDF is asked for: Pango's start-up costs the other pages nothing

    return bytes(weasyprint.HTML(string=html).write_pdf())
