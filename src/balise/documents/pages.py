"""What a parser hands to the chunker: text per page, with the headings found on it.

Offsets matter for citations, so the document's full text is defined once here: the pages' texts
joined by :data:`PAGE_SEPARATOR`. Chunk offsets point into that string.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from balise.errors import BaliseError

PAGE_SEPARATOR = "\n\n"


class UnreadableDocument(BaliseError):
    """A file that cannot be turned into text; the message says why and what to do."""

    status = 422
    code = "unreadable_document"


@dataclass(frozen=True)
class Heading:
    """A heading line of a page: ``start`` is its offset in the page text, ``level`` 1 is the top."""

    level: int
    text: str
    start: int


@dataclass(frozen=True)
class ParsedPage:
    """One page (PDF) or the whole text (formats without pages, ``number`` is None)."""

    number: int | None
    text: str
    headings: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    pages: list[ParsedPage]
    language: str = "fr"
    media_type: str = "text/plain"
    ocr_pages: tuple[int, ...] = field(default=())  # page numbers whose text came from OCR
    hidden: tuple[str, ...] = field(default=())
    """Runs of text a person reading the page cannot see (white on white, invisible, display: none)."""

    @property
    def text(self) -> str:
        """The full extracted text; chunk offsets index into it."""
        return PAGE_SEPARATOR.join(page.text for page in self.pages)

    def page_offsets(self) -> list[int]:
        """Where each page starts in :attr:`text`."""
        offsets, position = [], 0
        for page in self.pages:
            offsets.append(position)
            position += len(page.text) + len(PAGE_SEPARATOR)
        return offsets
