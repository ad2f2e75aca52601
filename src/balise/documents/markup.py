"""Parsers of text formats: HTML, Markdown, plain text and e-mail (decoded by :mod:`.encoding`)."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from typing import ClassVar

from bs4 import BeautifulSoup, Tag
from markdown_it import MarkdownIt
from markdown_it.token import Token

from balise.documents.encoding import decode_text
from balise.documents.format_base import Parser, TextBuilder, corrupt, detect_language, first_line, stem
from balise.documents.pages import ParsedDocument, ParsedPage

_HTML_BLOCKS = {"p", "li", "pre", "blockquote", "dt", "dd", "figcaption", "caption", "address", "tr"}
_HTML_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "template", "svg", "form"}


_INVISIBLE_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(\.0*)?\s*(;|$)|"
    r"font-size\s*:\s*0(\.0*)?(px|pt|em|rem|%)?\s*(;|$)",
    re.IGNORECASE,
)
_WHITE_TEXT = re.compile(
    r"(?<![-\w])color\s*:\s*(white|#fff\b|#ffffff\b|rgba?\(\s*255\s*,\s*255\s*,\s*255)", re.IGNORECASE
)
_BACKGROUND = re.compile(r"background(-color)?\s*:", re.IGNORECASE)


def _style(tag: Tag) -> str:
    style = tag.get("style")
    return style if isinstance(style, str) else ""


def _is_hidden(tag: Tag) -> bool:
    """An element a person does not see on the page: ``hidden``, styled invisible, or white text with
    no background of its own or of a parent (white on a coloured banner is seen)."""
    style = _style(tag)
    if tag.has_attr("hidden") or _INVISIBLE_STYLE.search(style):
        return True
    if not _WHITE_TEXT.search(style):
        return False
    return not any(_BACKGROUND.search(_style(t)) for t in (tag, *tag.parents) if isinstance(t, Tag))


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
        hidden = tuple(
            run
            for tag in soup.find_all(_is_hidden)
            if (run := " ".join(tag.get_text(" ", strip=True).split()))
        )
        builder = TextBuilder()
        root = soup.find("main") or soup.body or soup
        if isinstance(root, Tag):
            self.walk(root, builder)
        page = builder.page()
        html_title = soup.title.get_text(" ", strip=True) if soup.title else ""
        title = html_title or (page.headings[0].text if page.headings else "") or stem(filename)
        language = ""
        if soup.html is not None and isinstance(soup.html.get("lang"), str):
            language = str(soup.html["lang"])[:2].lower()
        return ParsedDocument(
            title=title,
            pages=[page],
            language=language if language in {"fr", "en"} else detect_language(page.text),
            media_type=self.media_type,
            hidden=hidden,
        )

    def walk(self, element: Tag, builder: TextBuilder) -> None:
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
        tokens = MarkdownIt("commonmark").enable("table").parse(decode_text(data))
        builder = TextBuilder()
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
            title=h1 or first_line([page]) or stem(filename),
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


class TextParser(Parser):
    media_type: ClassVar[str] = "text/plain"
    extensions: ClassVar[tuple[str, ...]] = (".txt", ".text")

    def parse(self, data: bytes, filename: str) -> ParsedDocument:
        text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n").strip()
        page = ParsedPage(number=None, text=text)
        return ParsedDocument(
            title=first_line([page]) or stem(filename),
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
            raise corrupt("EML")
        builder = TextBuilder()
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
            title=subject or stem(filename),
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
            content = decode_text(content)
        if part.get_content_subtype() == "html":
            return _html_text(content)
        return str(content).replace("\r\n", "\n").strip()


def _html_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_HTML_SKIP):
        tag.decompose()
    builder = TextBuilder()
    root = soup.body or soup
    if isinstance(root, Tag):
        HtmlParser().walk(root, builder)
    return builder.page().text
