"""What every format's parser shares: the parser interface, the registry by extension, a text builder
that records where headings start, and the language guess.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import ClassVar

from balise.documents.pages import Heading, ParsedDocument, ParsedPage, UnreadableDocument
from balise.text import FRENCH_FUNCTION_WORDS


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
class TextBuilder:
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


def stem(filename: str) -> str:
    return PurePath(filename).stem.replace("_", " ").strip() or filename


def first_line(pages: Iterable[ParsedPage]) -> str:
    for page in pages:
        for line in page.text.splitlines():
            if line.strip():
                return line.strip()[:200]
    return ""


def corrupt(kind: str) -> UnreadableDocument:
    return UnreadableDocument(
        "The {kind} file is damaged or is not really a {kind} file. Open it in its application, "
        "save it again and resubmit it.",
        kind=kind,
    )


# French and English function words, enough to tell the two apart on a page of text.
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
