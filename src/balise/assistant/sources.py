"""The source behind a citation: the cited chunk, its page's other chunks, and the quote to highlight.

Reads go through the tenant-scoped session and are filtered by the classifications the reader may see,
so a citation link cannot open a document of another municipality or above the reader's clearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.assistant.errors import SourceNotFound
from balise.documents import Chunk, Document
from balise.gateway import normalise_quote

# One character for one, so that offsets in the folded text are offsets in the original.
_PLAIN = str.maketrans("’‘«»“”–—\u00a0\u202f", '\'\'""""--  ')


@dataclass(frozen=True)
class Piece:
    """A part of a chunk's text; ``marked`` parts are the cited passage."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class ShownChunk:
    id: str
    cited: bool
    pieces: list[Piece]


@dataclass(frozen=True)
class SourceView:
    document_id: str
    title: str
    classification: str
    page: int | None
    pages: int
    heading_path: str
    chunks: list[ShownChunk]
    quote_found: bool


def _hidden() -> SourceNotFound:
    return SourceNotFound(
        "This source does not exist, was deleted, or you are not allowed to read it. "
        "Ask the document's owner if you need it."
    )


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` sits in ``text``, forgiving case, spacing, typographic quotes and dashes."""
    if not quote.strip():
        return None
    exact = text.find(quote)
    if exact >= 0:
        return exact, exact + len(quote)
    words = normalise_quote(quote).split(" ")
    pattern = r"\s+".join(re.escape(word) for word in words if word)
    if not pattern:
        return None
    folded = text.translate(_PLAIN)
    match = re.search(pattern, folded, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def _pieces(text: str, span: tuple[int, int] | None) -> list[Piece]:
    if span is None:
        return [Piece(text)]
    start, end = span
    return [p for p in (Piece(text[:start]), Piece(text[start:end], True), Piece(text[end:])) if p.text]


def source_view(session: Session, chunk_id: str, quote: str = "") -> SourceView:
    """The cited chunk among the chunks of its page (or its neighbours when the document has no pages)."""
    row = session.execute(
        select(Chunk, Document).join(Document, Document.id == Chunk.document_id).where(Chunk.id == chunk_id)
    ).first()
    if row is None:
        raise _hidden()
    cited, document = row
    around = select(Chunk).where(Chunk.document_id == document.id)
    if cited.page is not None:
        around = around.where(Chunk.page == cited.page)
    else:
        around = around.where(Chunk.ordinal.between(cited.ordinal - 1, cited.ordinal + 1))
    chunks = list(session.scalars(around.order_by(Chunk.ordinal)))
    span = locate(cited.text, quote) if quote else (0, len(cited.text))
    shown = [
        ShownChunk(c.id, c.id == cited.id, _pieces(c.text, span if c.id == cited.id else None))
        for c in chunks
    ]
    return SourceView(
        document_id=document.id,
        title=document.title,
        classification=document.classification,
        page=cited.page,
        pages=document.pages,
        heading_path=cited.heading_path,
        chunks=shown,
        quote_found=span is not None,
    )
