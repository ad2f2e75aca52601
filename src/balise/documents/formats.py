"""One small parser per format, each built on the well-kept library of its field.

Parsers receive bytes that already passed the checks of :mod:`balise.documents.reading` (size,
type, zip bombs) and turn them into pages of text with their headings. A parser raises
:class:`UnreadableDocument` for anything it cannot read, never a library's own exception.
"""

from __future__ import annotations

import email
import email.policy
import io
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import PurePath
from typing import Any, ClassVar

import docx
import pypdf
import pytesseract
from bs4 import BeautifulSoup, Tag
from charset_normalizer import from_bytes
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from odf import opendocument, teletype
from odf.element import Element
from odf.namespaces import TEXTNS
from PIL import Image

from balise.documents.pages import Heading, ParsedDocument, ParsedPage, UnreadableDocument
from balise.text import FRENCH_FUNCTION_WORDS

log = logging.getLogger(__name__)
# pypdf logs every repaired cross-reference as a warning; nothing in them is for the person ingesting.
logging.getLogger("pypdf").setLevel(logging.ERROR)

OCR_LANGUAGES = "fra+eng"
OCR_TIMEOUT_SECONDS = 120
MIN_TEXT_LAYER_CHARS = 20  # below this a PDF page is treated as scanned and sent to OCR


class Parser(ABC):
    """Turns the bytes of one format into a :class:`ParsedDocument`."""

    media_type: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]

    @abstractmethod
    def parse(self, data: bytes, filename: str) -> ParsedDocument: ...


REGISTRY: dict[str, Parser] = {}


def register(parser: Parser) -> Parser:
    """Adds a parser for each of its extensions; the last one registered for an extension wins."""
    for extension in parser.extensions:
        REGISTRY[extension] = parser
    return parser


def parser_for(filename: str) -> Parser | None:
    return REGISTRY.get(PurePath(filename).suffix.lower())


@dataclass
class _TextBuilder:
    """Accumulates blocks separated by blank lines and records where headings start."""

    parts: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    length: int = 0

    def block(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        self.parts.append(text)
        self.length += len(text)

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.block(text)
        self.headings.append(Heading(level=level, text=text, start=self.length - len(text)))

    def page(self) -> ParsedPage:
        """The whole text as one unnumbered page (formats without pages)."""
        return ParsedPage(number=None, text="".join(self.parts), headings=tuple(self.headings))


def _stem(filename: str) -> str:
    return PurePath(filename).stem.replace("_", " ").strip() or filename


def _first_line(pages: Iterable[ParsedPage]) -> str:
    for page in pages:
        for line in page.text.splitlines():
            if line.strip():
                return line.strip()[:200]
    return ""


def _corrupt(kind: str) -> UnreadableDocument:
    return UnreadableDocument(
        "The {kind} file is damaged or is not really a {kind} file. Open it in its application, "
        "save it again and resubmit it.",
        kind=kind,
    )


# English function words; the French ones come from the one French text module.
_ENGLISH = frozenset(
    {
        "the",
        "and",
        "of",
        "to",
        "is",
        "in",
        "for",
        "that",
        "on",
        "with",
        "are",
        "this",
        "be",
        "by",
        "as",
        "at",
        "from",
        "or",
        "not",
        "it",
    }
)


def detect_language(text: str) -> str:
    """``fr`` or ``en`` from function-word counts; French when unsure, the municipalities' language."""
    words = re.findall(r"[a-zà-ÿ]+", text[:20_000].lower())
    french = sum(word in FRENCH_FUNCTION_WORDS for word in words)
    english = sum(word in _ENGLISH for word in words)
    return "en" if english > french * 1.5 else "fr"


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
            pages, ocr_pages = [], []
            for number, page in enumerate(reader.pages, start=1):
                text = _normalise_pdf_text(page.extract_text() or "")
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
            raise _corrupt("PDF") from exc
        if not any(page.text.strip() for page in pages):
            raise UnreadableDocument(
                "No text could be found in this PDF, even with character recognition. Check that the "
                "scan is legible, or submit a version with text."
            )
        # A PDF's first line is often a letterhead, so the file name is the better fallback title.
        title = str(metadata_title).strip() or _stem(filename)
        return ParsedDocument(
            title=title,
            pages=pages,
            language=detect_language(" ".join(p.text for p in pages[:5])),
            media_type=self.media_type,
            ocr_pages=tuple(ocr_pages),
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
            builder = _TextBuilder()
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
            raise _corrupt("DOCX") from exc
        page = builder.page()
        title = core_title.strip() or styled_title or _first_line([page]) or _stem(filename)
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
            builder = _TextBuilder()
            self._walk(document.text, builder)
            meta_title = self._meta_title(document)
        except Exception as exc:  # odfpy and the XML parser raise many types for broken files
            log.info("unreadable ODT %s: %s", filename, exc)
            raise _corrupt("ODT") from exc
        page = builder.page()
        title = meta_title or (page.headings[0].text if page.headings else "") or _stem(filename)
        return ParsedDocument(
            title=title, pages=[page], language=detect_language(page.text), media_type=self.media_type
        )

    def _walk(self, element: Element, builder: _TextBuilder) -> None:
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


_HTML_BLOCKS = {"p", "li", "pre", "blockquote", "dt", "dd", "figcaption", "caption", "address", "tr"}
_HTML_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form"}


class HtmlParser(Parser):
    """HTML through BeautifulSoup (lxml), keeping h1–h6 as headings.

    trafilatura was tried first: on short municipal pages it drops headings, lists and tables,
    which are exactly what citations need, so the page structure is walked here instead.
    """

    media_type: ClassVar[str] = "text/html"
    extensions: ClassVar[tuple[str, ...]] = (".html", ".htm", ".xhtml")

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        soup = BeautifulSoup(data, "lxml")
        for tag in soup.find_all(_HTML_SKIP):
            tag.decompose()
        builder = _TextBuilder()
        root = soup.find("main") or soup.body or soup
        if isinstance(root, Tag):
            self.walk(root, builder)
        page = builder.page()
        html_title = soup.title.get_text(" ", strip=True) if soup.title else ""
        title = html_title or (page.headings[0].text if page.headings else "") or _stem(filename)
        language = ""
        if soup.html is not None and isinstance(soup.html.get("lang"), str):
            language = str(soup.html["lang"])[:2].lower()
        return ParsedDocument(
            title=title,
            pages=[page],
            language=language if language in {"fr", "en"} else detect_language(page.text),
            media_type=self.media_type,
        )

    def walk(self, element: Tag, builder: _TextBuilder) -> None:
        """Adds the blocks and headings under ``element`` in document order."""
        loose: list[str] = []  # inline text directly inside a container, kept as one block
        for child in element.children:
            if not isinstance(child, Tag):
                loose.append(str(child))
                continue
            name = child.name.lower()
            if re.fullmatch(r"h[1-6]", name):
                builder.block(" ".join("".join(loose).split()))
                loose = []
                builder.heading(int(name[1]), child.get_text(" ", strip=True))
            elif name in _HTML_BLOCKS:
                builder.block(" ".join("".join(loose).split()))
                loose = []
                separator = " | " if name == "tr" else " "
                builder.block(" ".join(child.get_text(separator, strip=True).split()))
            elif name == "br":
                loose.append("\n")
            elif child.find(re.compile(r"^(h[1-6]|p|li|div|section|article|table|tr|ul|ol)$")):
                builder.block(" ".join("".join(loose).split()))
                loose = []
                self.walk(child, builder)
            else:
                loose.append(child.get_text(" "))
        builder.block(" ".join("".join(loose).split()))


class MarkdownParser(Parser):
    """Markdown through markdown-it-py; the text keeps the words and drops the markup."""

    media_type: ClassVar[str] = "text/markdown"
    extensions: ClassVar[tuple[str, ...]] = (".md", ".markdown")

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        tokens = MarkdownIt("commonmark").enable("table").parse(_decode(data))
        builder = _TextBuilder()
        level: int | None = None
        in_cell = False
        row: list[str] = []
        for token in tokens:
            if token.type == "heading_open":
                level = int(token.tag[1])
            elif token.type == "heading_close":
                level = None
            elif token.type in {"th_open", "td_open"}:
                in_cell = True
            elif token.type in {"th_close", "td_close"}:
                in_cell = False
            elif token.type == "tr_close":
                builder.block(" | ".join(cell for cell in row if cell))
                row = []
            elif token.type in {"fence", "code_block"}:
                builder.block(token.content)
            elif token.type == "inline":
                text = _inline_text(token.children or [])
                if level is not None:
                    builder.heading(level, text)
                elif in_cell:
                    row.append(text.strip())
                else:
                    builder.block(text)
        page = builder.page()
        h1 = next((h.text for h in page.headings if h.level == 1), "")
        return ParsedDocument(
            title=h1 or _first_line([page]) or _stem(filename),
            pages=[page],
            language=detect_language(page.text),
            media_type=self.media_type,
        )


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in {"text", "code_inline", "html_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak" or child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _decode(data: bytes) -> str:
    """UTF-8 first (with or without BOM); otherwise the most likely legacy encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise UnreadableDocument(
                "The text encoding of this file could not be recognised. Save it as UTF-8 and submit it "
                "again."
            ) from None
        return str(best)


class TextParser(Parser):
    media_type: ClassVar[str] = "text/plain"
    extensions: ClassVar[tuple[str, ...]] = (".txt", ".text")

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        text = _decode(data).replace("\r\n", "\n").replace("\r", "\n").strip()
        page = ParsedPage(number=None, text=text)
        return ParsedDocument(
            title=_first_line([page]) or _stem(filename),
            pages=[page],
            language=detect_language(text),
            media_type=self.media_type,
        )


class EmailParser(Parser):
    """E-mails (RFC 822) through the standard library; the headers a reader needs stay in the text."""

    media_type: ClassVar[str] = "message/rfc822"
    extensions: ClassVar[tuple[str, ...]] = (".eml",)

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        message = email.message_from_bytes(data, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
            raise _corrupt("EML")
        builder = _TextBuilder()
        header_lines = [
            f"{name}: {message[name]}" for name in ("From", "To", "Cc", "Date", "Subject") if message[name]
        ]
        subject = str(message["Subject"] or "").strip()
        if subject:
            builder.heading(1, subject)
        builder.block("\n".join(header_lines))
        builder.block(self._body(message))
        attachments = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
        if attachments:
            builder.block("Attachments: " + ", ".join(str(a) for a in attachments))
        page = builder.page()
        return ParsedDocument(
            title=subject or _stem(filename),
            pages=[page],
            language=detect_language(page.text),
            media_type=self.media_type,
        )

    @staticmethod
    def _body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
        if isinstance(content, bytes):
            content = _decode(content)
        if part.get_content_subtype() == "html":
            return _html_text(content)
        return str(content).replace("\r\n", "\n").strip()


def _html_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_HTML_SKIP):
        tag.decompose()
    builder = _TextBuilder()
    root = soup.body or soup
    if isinstance(root, Tag):
        HtmlParser().walk(root, builder)
    return builder.page().text


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
