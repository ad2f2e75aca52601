"""Helpers that build real files of each format, broken ones included."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pypdf
from odf import text as odf_text
from odf.opendocument import OpenDocumentText

DEMO = Path(__file__).resolve().parents[2] / "src" / "balise" / "documents" / "demo_library"


def make_docx(paragraphs: list[tuple[int | None, str]], title: str = "") -> bytes:
    """``(level, text)``: level None for body text, 1–3 for headings."""
    document = docx.Document()
    document.core_properties.title = title
    for level, content in paragraphs:
        if level is None:
            document.add_paragraph(content)
        else:
            document.add_heading(content, level=level)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(paragraphs: list[tuple[int | None, str]]) -> bytes:
    document = OpenDocumentText()
    for level, content in paragraphs:
        element = odf_text.P(text=content) if level is None else odf_text.H(outlinelevel=level, text=content)
        document.text.addElement(element)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=str(DEMO / "guide-compostage-extrait.pdf"))
    writer.encrypt("secret-du-greffe")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bomb(name: str = "content.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(name, b"\0" * (50 * 1024 * 1024))
    return buffer.getvalue()
