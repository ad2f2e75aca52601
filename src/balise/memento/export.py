"""The memento as files (G14): a standalone HTML page, a Word document (python-docx) and a PDF
(WeasyPrint, from the same HTML), each naming the municipality, the version and its adoption date.

``blocks`` reads a section's plain text once for every output: a blank line starts a paragraph, a
line starting with ``- `` is a list item.
"""

from __future__ import annotations

import io
from html import escape
from typing import Literal, NamedTuple

from docx import Document

from balise.formatting import day
from balise.i18n import current_locale, gettext_
from balise.memento.tables import MementoVersion
from balise.tenancy import Tenant


class Block(NamedTuple):
    kind: Literal["p", "ul"]
    lines: list[str]


def blocks(body: str) -> list[Block]:
    """Paragraphs (their lines kept as line breaks) and lists, in order."""
    found: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        block: Block | None = None
        for line in (raw.strip() for raw in chunk.split("\n")):
            if not line:
                continue
            kind: Literal["p", "ul"] = "ul" if line.startswith("- ") else "p"
            text = line[2:].strip() if kind == "ul" else line
            if block is not None and block.kind == kind:
                block.lines.append(text)
            else:
                block = Block(kind, [text])
                found.append(block)
    return found


def status_line(tenant: Tenant, version: MementoVersion) -> str:
    """« Ville de …, version 3, adoptée le 7 décembre 2026 » (or « not adopted yet »)."""
    adopted = (
        gettext_("adopted on {date}").format(date=day(version.adopted_on))
        if version.adopted_on
        else gettext_("not adopted yet")
    )
    return gettext_("{municipality}, version {number}, {adopted}").format(
        municipality=tenant.name, number=version.number, adopted=adopted
    )


def title() -> str:
    return gettext_("Memento on the use of generative AI")


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; }
body { margin: 2em; color: #1a1a1a; }
h1 { font-size: 20pt; margin-bottom: 0.2em; }
h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #999; }
.status { color: #333; }
"""


def html_document(tenant: Tenant, version: MementoVersion) -> str:
    """A page of its own (its style inside), for the intranet and for the PDF."""
    parts = [
        f'<!doctype html>\n<html lang="{escape(current_locale.get())}"><head><meta charset="utf-8">',
        f"<title>{escape(title())} · {escape(tenant.name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title())}</h1>",
        f'<p class="status">{escape(status_line(tenant, version))}</p>',
    ]
    for section in version.sections:
        parts.append(f"<h2>{escape(section['title'])}</h2>")
        for block in blocks(section["body"]):
            if block.kind == "ul":
                parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in block.lines) + "</ul>")
            else:
                parts.append("<p>" + "<br>".join(escape(line) for line in block.lines) + "</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def docx_document(tenant: Tenant, version: MementoVersion) -> bytes:
    document = Document()
    document.core_properties.title = title()
    document.core_properties.version = str(version.number)
    document.add_heading(title(), level=0)
    document.add_paragraph(status_line(tenant, version))
    for section in version.sections:
        document.add_heading(section["title"], level=1)
        for block in blocks(section["body"]):
            if block.kind == "ul":
                for line in block.lines:
                    document.add_paragraph(line, style="List Bullet")
            else:
                document.add_paragraph("\n".join(block.lines))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_document(tenant: Tenant, version: MementoVersion) -> bytes:
    import weasyprint  # loaded when a PDF is asked for: Pango's start-up costs the other pages nothing

    return bytes(weasyprint.HTML(string=html_document(tenant, version)).write_pdf())
