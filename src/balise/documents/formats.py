"""One small parser per format, each built on the well-kept library of its field.

Parsers receive bytes that already passed the checks of :mod:`balise.documents.reading` (size,
type, zip bombs) and turn them into pages of text with their headings. A parser raises
:class:`UnreadableDocument` for anything it cannot read, never a library's own exception.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar

import docx
import pypdf
import pytesseract
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from odf import opendocument, teletype
from odf.element import Element
from odf.namespaces import TEXTNS
from PIL import Image

from balise.documents.format_base import (
    REGISTRY,
    Parser,
    TextBuilder,
    corrupt,
    detect_language,
    first_line,
    parser_for,
    register,
    stem,
)
from balise.documents.markup import EmailParser, HtmlParser, MarkdownParser, TextParser
from balise.documents.pages import ParsedDocument, ParsedPage, UnreadableDocument

log = logging.getLogger(__name__)
# pypdf logs every repaired cross-reference as a warning; nothing in them is for the person ingesting.
logging.getLogger("pypdf").setLevel(logging.ERROR)

OCR_LANGUAGES = "fra+eng"
OCR_TIMEOUT_SECONDS = 120
MIN_TEXT_LAYER_CHARS = 20  # below this a PDF page is treated as scanned and sent to OCR


class PdfParser(Parser):
    """Page-aware text through pypdf; pages without a text layer go through tesseract OCR."""

    media_type: ClassVar[str] = "application/pdf"
    extensions: ClassVar[tuple[str, ...]] = (".pdf",)

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableDocument(
                    "This PDF is protected by a password. Save an unprotected copy and submit it again."
                )
            pages, ocr_pages, hidden, heading = [], [], _HiddenText(), _FirstHeading()
            for number, page in enumerate(reader.pages, start=1):
                seen = hidden.text if number > 1 else heading.both(hidden.text)
                text = _normalise_pdf_text(
                    page.extract_text(visitor_operand_before=hidden.operator, visitor_text=seen) or ""
                )
                hidden.end_page()
                if len(text.strip()) < MIN_TEXT_LAYER_CHARS:
                    scanned = self._ocr(page)
                    if scanned.strip():
                        text = scanned
                        ocr_pages.append(number)
                pages.append(ParsedPage(number=number, text=text))
            metadata_title = (reader.metadata.title if reader.metadata else None) or ""
        except UnreadableDocument:
            raise
        except Exception as exc:  # pypdf raises many types for broken files
            log.info("unreadable PDF %s: %s", filename, exc)
            raise corrupt("PDF") from exc
        if not any(page.text.strip() for page in pages):
            raise UnreadableDocument(
                "No text could be found in this PDF, even with character recognition. Check that the "
                "scan is legible, or submit a version with text."
            )
        # A PDF's first line is often a letterhead: its first heading (the largest type on the first
        # page) names it better, and the file name only when it has neither title nor heading.
        title = str(metadata_title).strip() or heading.title() or stem(filename)
        return ParsedDocument(
            title=title,
            pages=pages,
            language=detect_language(" ".join(p.text for p in pages[:5])),
            media_type=self.media_type,
            ocr_pages=tuple(ocr_pages),
            hidden=tuple(hidden.runs),
        )

    @staticmethod
    def _ocr(page: pypdf.PageObject) -> str:
        """Text of the images of a scanned page, top to bottom as they are stored."""
        texts = []
        for image_file in page.images:
            image: Image.Image | None = image_file.image
            if image is None or min(image.size) < 32:
                continue
            try:
                texts.append(
                    pytesseract.image_to_string(
                        image.convert("L"), lang=OCR_LANGUAGES, timeout=OCR_TIMEOUT_SECONDS
                    ).strip()
                )
            except pytesseract.TesseractNotFoundError as exc:
                raise UnreadableDocument(
                    "This PDF is a scan and character recognition (OCR) is not installed on the server. "
                    "Ask your administrator to install tesseract-ocr and tesseract-ocr-fra."
                ) from exc
            except RuntimeError:  # pytesseract's timeout: the page stays without text
                log.warning("OCR timed out on an image of %s", page.indirect_reference)
        return _normalise_pdf_text("\n\n".join(t for t in texts if t))


class _FirstHeading:
    """The first page's heading: the longest block of text set in heading type (a fifth larger than
    the body text). A deliberation of Montpellier has no title in its metadata; its subject is set in
    15-point bold under an 18-point « Séance publique du jeudi 24 avril 2014 » banner, over 12-point
    text: the subject, the longer heading, names the document; the banner, only its date."""

    MAX_CHARS = 200

    def __init__(self) -> None:
        self.runs: list[tuple[float, str]] = []

    def both(self, other: Callable[..., None]) -> Callable[..., None]:
        """A text visitor that feeds this one and ``other`` (pypdf takes one visitor)."""

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            other(text, cm, tm, font, size)
            self.text(text, cm, tm, font, size)

        return visit

    def text(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text.strip():
            return
        try:
            scale = abs(float(tm[3]) * float(cm[3])) or 1.0
            self.runs.append((round(float(size) * scale, 1), text))
        except (TypeError, ValueError, IndexError):
            return

    def title(self) -> str:
        if not self.runs:
            return ""
        weight: Counter[float] = Counter()
        for size, text in self.runs:
            weight[size] += len(text.strip())
        total = sum(weight.values())
        # the body: the largest type holding a fifth of the text (a 7-point list of names can outweigh it)
        body = max(size for size, chars in weight.items() if chars >= total / 5)
        blocks: list[tuple[float, list[str]]] = []  # consecutive runs of one heading size
        previous = 0.0
        for size, text in self.runs:
            if size >= body * 1.2:
                if size == previous:
                    blocks[-1][1].append(text)
                else:
                    blocks.append((size, [text]))
            previous = size
        if not blocks:
            return ""
        texts = [(" ".join(" ".join(parts).split()), size) for size, parts in blocks]
        best = max(texts, key=lambda item: (len(item[0]), item[1]))
        return best[0][: self.MAX_CHARS]


class _HiddenText:
    """Collects the text a PDF draws so that nobody sees it: invisible (render mode 3) or filled white.

    pypdf calls :meth:`operator` before each content-stream operator and :meth:`text` for each piece of
    text it extracts; the graphics state (``q``/``Q``) is tracked so a colour ends with its block.
    """

    _WHITE: ClassVar[dict[bytes, list[float]]] = {
        b"rg": [1.0, 1.0, 1.0],
        b"g": [1.0],
        b"k": [0.0, 0.0, 0.0, 0.0],
    }

    def __init__(self) -> None:
        self.runs: list[str] = []
        self._stack: list[tuple[bool, bool]] = []
        self._white = self._invisible = False
        self._run: list[str] = []

    def operator(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"q":
            self._stack.append((self._white, self._invisible))
        elif op == b"Q" and self._stack:
            self._white, self._invisible = self._stack.pop()
        elif op in self._WHITE:
            try:
                self._white = [float(a) for a in args] == self._WHITE[op]
            except (TypeError, ValueError):
                self._white = False
        elif op in (b"sc", b"scn") and args:
            try:
                self._white = all(float(a) == 1.0 for a in args)
            except (TypeError, ValueError):
                self._white = False
        elif op == b"Tr" and args:
            self._invisible = int(args[0]) in (3, 7)

    def text(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text.strip():
            return
        if self._white or self._invisible:
            self._run.append(text)
        else:
            self._flush()

    def _flush(self) -> None:
        run = " ".join("".join(self._run).split())
        if run:
            self.runs.append(run)
        self._run = []

    def end_page(self) -> None:
        self._flush()
        self._stack, self._white, self._invisible = [], False, False


def _normalise_pdf_text(text: str) -> str:
    """Joins words hyphenated across lines and drops trailing spaces, keeping line structure."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


_DOCX_HEADING = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)


class DocxParser(Parser):
    """Word documents through python-docx; headings come from the paragraph styles."""

    media_type: ClassVar[str] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extensions: ClassVar[tuple[str, ...]] = (".docx",)

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        try:
            document: DocxDocument = docx.Document(io.BytesIO(data))
            builder = TextBuilder()
            styled_title = ""
            for item in document.iter_inner_content():
                if isinstance(item, Paragraph):
                    level = self._heading_level(item)
                    if level == 0 and not styled_title:
                        styled_title = item.text.strip()
                    if level is None:
                        builder.block(item.text)
                    else:
                        builder.heading(max(level, 1), item.text)
                elif isinstance(item, Table):
                    builder.block(_table_text(item))
            core_title = document.core_properties.title or ""
        except Exception as exc:  # python-docx and lxml raise many types for broken files
            log.info("unreadable DOCX %s: %s", filename, exc)
            raise corrupt("DOCX") from exc
        page = builder.page()
        title = core_title.strip() or styled_title or first_line([page]) or stem(filename)
        return ParsedDocument(
            title=title, pages=[page], language=detect_language(page.text), media_type=self.media_type
        )

    @staticmethod
    def _heading_level(paragraph: Paragraph) -> int | None:
        """0 for the Title style, 1–9 for heading styles, None for body text."""
        name = paragraph.style.name if paragraph.style is not None else ""
        if name in {"Title", "Titre"}:
            return 0
        match = _DOCX_HEADING.match(name or "")
        return int(match.group(1)) if match else None


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = [cell.text.strip() for cell in row.cells]
        rows.append(" | ".join(dict.fromkeys(c for c in cells if c)))  # merged cells repeat
    return "\n".join(r for r in rows if r)


class OdtParser(Parser):
    """OpenDocument text through odfpy; headings are its ``text:h`` elements with their outline level."""

    media_type: ClassVar[str] = "application/vnd.oasis.opendocument.text"
    extensions: ClassVar[tuple[str, ...]] = (".odt",)

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        try:
            document = opendocument.load(io.BytesIO(data))
            builder = TextBuilder()
            self._walk(document.text, builder)
            meta_title = self._meta_title(document)
        except Exception as exc:  # odfpy and the XML parser raise many types for broken files
            log.info("unreadable ODT %s: %s", filename, exc)
            raise corrupt("ODT") from exc
        page = builder.page()
        title = meta_title or (page.headings[0].text if page.headings else "") or stem(filename)
        return ParsedDocument(
            title=title, pages=[page], language=detect_language(page.text), media_type=self.media_type
        )

    def _walk(self, element: Element, builder: TextBuilder) -> None:
        for child in element.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            namespace, name = child.qname
            if namespace != TEXTNS and name not in {"table", "table-row"}:
                self._walk(child, builder)
            elif name == "h":
                level = child.getAttrNS(TEXTNS, "outline-level")
                builder.heading(int(level) if level else 1, teletype.extractText(child))
            elif name == "p":
                builder.block(teletype.extractText(child))
            elif name == "table-row":
                cells = [teletype.extractText(cell).strip() for cell in child.childNodes]
                builder.block(" | ".join(c for c in cells if c))
            else:
                self._walk(child, builder)

    @staticmethod
    def _meta_title(document: Any) -> str:
        for node in document.meta.childNodes:
            if node.qname[1] == "title":
                return str(teletype.extractText(node)).strip()
        return ""


for _parser in (
    PdfParser(),
    DocxParser(),
    OdtParser(),
    HtmlParser(),
    MarkdownParser(),
    TextParser(),
    EmailParser(),
):
    register(_parser)

__all__ = ["REGISTRY", "Parser", "parser_for"]
