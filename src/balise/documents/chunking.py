"""Structure-aware chunking that keeps what a citation needs: page, heading path, character offsets.

A chunk never crosses a page or a heading, and is cut at paragraph, then sentence, then line, then
word boundaries, in that order of preference. Every chunk's text is exactly
``document_text[char_start:char_end]``, so a citation can always be highlighted in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from balise.documents.pages import Heading, ParsedDocument, ParsedPage
from balise.text import split_sentences

DEFAULT_MAX_CHARS = 1200
DEFAULT_OVERLAP = 150
PATH_SEPARATOR = " > "

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\r]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkDraft:
    """A passage before it is stored; offsets index the document's full extracted text."""

    text: str
    page: int | None
    heading_path: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    opens_paragraph: bool


def chunk_text(
    text: str,
    *,
    title: str,
    page: int | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    overlap: int = DEFAULT_OVERLAP,
) -> list[ChunkDraft]:
    """Chunks of a plain text without structure; a paragraph shorter than ``max_chars`` stays whole."""
    parsed = ParsedDocument(title=title, pages=[ParsedPage(number=page, text=text)])
    return chunk_document(parsed, max_chars=max_chars, overlap=overlap)


def chunk_document(
    parsed: ParsedDocument, *, max_chars: int = DEFAULT_MAX_CHARS, overlap: int = DEFAULT_OVERLAP
) -> list[ChunkDraft]:
    """Chunks of a parsed document, page- and heading-aware, in reading order."""
    drafts: list[ChunkDraft] = []
    open_headings: list[Heading] = []  # the heading path, carried across pages
    for page, base in zip(parsed.pages, parsed.page_offsets(), strict=True):
        for start, end, path in _sections(page, open_headings):
            heading_path = _heading_path(parsed.title, path)
            for chunk_start, chunk_end in _pack(page.text, start, end, max_chars, overlap):
                drafts.append(
                    ChunkDraft(
                        text=page.text[chunk_start:chunk_end],
                        page=page.number,
                        heading_path=heading_path,
                        char_start=base + chunk_start,
                        char_end=base + chunk_end,
                    )
                )
    return drafts


def _sections(page: ParsedPage, open_headings: list[Heading]) -> list[tuple[int, int, list[Heading]]]:
    """Spans of a page between headings, each with its heading path; updates ``open_headings``.

    A heading with no body before the next one is kept with that next section, so a title is never
    a chunk of its own.
    """
    headings = sorted(page.headings, key=lambda h: h.start)
    bounds = [0, *(h.start for h in headings), len(page.text)]
    sections: list[tuple[int, int, list[Heading]]] = []
    carried_start: int | None = None
    for index in range(len(bounds) - 1):
        start, end = bounds[index], bounds[index + 1]
        if index > 0:
            heading = headings[index - 1]
            while open_headings and open_headings[-1].level >= heading.level:
                open_headings.pop()
            open_headings.append(heading)
            body = page.text[start:end].split("\n", 1)
            if (len(body) < 2 or not body[1].strip()) and index < len(headings):
                carried_start = start if carried_start is None else carried_start
                continue
        if not page.text[start:end].strip():
            continue
        sections.append((start if carried_start is None else carried_start, end, list(open_headings)))
        carried_start = None
    if carried_start is not None:
        sections.append((carried_start, len(page.text), list(open_headings)))
    return sections


def _heading_path(title: str, headings: list[Heading]) -> str:
    names = [h.text.strip() for h in headings if h.text.strip()]
    if names and names[0].casefold() == title.strip().casefold():
        names = names[1:]
    return PATH_SEPARATOR.join([title.strip(), *names]) if title.strip() else PATH_SEPARATOR.join(names)


def _pack(text: str, start: int, end: int, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing of units into spans of at most ``max_chars``.

    Overlap is added only inside a paragraph that had to be cut, from whole trailing sentences,
    so that a sentence cut off from its context is still found with it.
    """
    spans: list[tuple[int, int]] = []
    current: list[_Unit] = []
    for unit in _units(text, start, end, max_chars):
        if current and unit.end - current[0].start > max_chars:
            spans.append((current[0].start, current[-1].end))
            current = _overlap(current, unit, overlap, max_chars)
        current.append(unit)
    if current:
        spans.append((current[0].start, current[-1].end))
    return spans


def _overlap(previous: list[_Unit], following: _Unit, overlap: int, max_chars: int) -> list[_Unit]:
    if following.opens_paragraph or overlap <= 0:
        return []
    kept: list[_Unit] = []
    for unit in reversed(previous[1:]):
        if previous[-1].end - unit.start > overlap or following.end - unit.start > max_chars:
            break
        kept.insert(0, unit)
        if unit.opens_paragraph:
            break
    return kept


def _units(text: str, start: int, end: int, max_chars: int) -> list[_Unit]:
    """Paragraphs, or for paragraphs too long, their sentences (then lines, then word windows)."""
    units: list[_Unit] = []
    for p_start, p_end in _split(text, start, end, _PARAGRAPH_BREAK):
        pieces = [(p_start, p_end)]
        for splitter in (_sentences, _lines, _words):
            if all(e - s <= max_chars for s, e in pieces):
                break
            refined: list[tuple[int, int]] = []
            for s, e in pieces:
                refined.extend([(s, e)] if e - s <= max_chars else splitter(text, s, e, max_chars))
            pieces = refined
        units.extend(_Unit(s, e, opens_paragraph=i == 0) for i, (s, e) in enumerate(pieces))
    return units


def _split(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-blank spans between separators, with surrounding whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    position = start
    for match in separator.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[1] > trimmed[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences(text: str, start: int, end: int, _max_chars: int) -> list[tuple[int, int]]:
    """Sentence spans, cut as the extractive reader and citation checks cut them."""
    return [(sentence.start, sentence.end) for sentence in split_sentences(text, start, end)]


def _lines(text: str, start: int, end: int, _max_chars: int) -> list[tuple[int, int]]:
    return _split(text, start, end, _LINE_BREAK)


def _words(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Windows of whole words; a single word longer than ``max_chars`` is cut where it must be."""
    tokens: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text, start, end):
        word_start, word_end = match.span()
        tokens.extend((s, min(s + max_chars, word_end)) for s in range(word_start, word_end, max_chars))
    windows: list[tuple[int, int]] = []
    for token_start, token_end in tokens:
        if windows and token_end - windows[-1][0] <= max_chars:
            windows[-1] = (windows[-1][0], token_end)
        else:
            windows.append((token_start, token_end))
    return windows
