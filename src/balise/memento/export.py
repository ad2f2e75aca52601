"""The memento as files (G14): a standalone HTML page, a Word document (python-docx) and a PDF
(WeasyPrint, from the same HTML), each naming the municipality, the version and its adoption date.

``blocks`` reads a section's plain text once for every output: a blank line starts a paragraph, a
line starting with ``- `` is a list item.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from balise import exports
from balise.formatting import day
from balise.i18n import gettext_
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


def _parts(version: MementoVersion) -> list[exports.Part]:
    parts: list[exports.Part] = []
    for section in version.sections:
        parts.append(exports.Heading(section["title"]))
        for block in blocks(section["body"]):
            parts.append(
                exports.Bullets(block.lines) if block.kind == "ul" else exports.Paragraph(block.lines)
            )
    return parts


def html_document(tenant: Tenant, version: MementoVersion) -> str:
    """A page of its own (its style inside), for the intranet and for the PDF."""
    return exports.html_document(
        title(), status_line(tenant, version), _parts(version), page_title=f"{title()} · {tenant.name}"
    )


def docx_document(tenant: Tenant, version: MementoVersion) -> bytes:
    return exports.docx_document(
        title(), status_line(tenant, version), _parts(version), version=str(version.number)
    )


def pdf_document(tenant: Tenant, version: MementoVersion) -> bytes:
    return exports.pdf_document(html_document(tenant, version))
