"""French text handling shared by the extractive backend and citation checks.

Sentences keep their character offsets so that a quote is always an exact slice of its source.
Content words are accent-folded and stemmed (Snowball French), so "déneigement" in a question
meets "déneiger" in a bylaw and "ecoles" meets "école".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from balise.text import fold, snowball

# Snowball ships no stop list. This one is short on purpose: numbers, negations and domain words
# must still count as content.
_STOPWORDS = """
a à au aux avec ce ces cet cette c ça d dans de des du elle elles en est et été être eux il ils j je
l la le les leur leurs lui m ma mais me même mes moi mon n ne nos notre nous on ou où par pas pour
qu que quel quelle quelles quels qui s sa sans se ses si son sont sur t ta te tes toi ton tu un une
unes uns vos votre vous y était sera ont avait avoir fait peut doit dont comme aussi ainsi alors
selon entre leurs cela celle celles celui ceux ici lors plus très tout tous toute toutes autre
autres quoi comment combien pourquoi quand est-ce estce voici voilà
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
# Words whose full stop does not end a sentence ("M. Tremblay", "art. 5", "p. ex.").
_ABBREVIATED = """
m mm mme mmes mlle dr pr st ste av bd boul art al no nos p pp ch ex env etc cf vol fig sect min max
"""
_ABBREVIATIONS = frozenset(_ABBREVIATED.split())
# End of a sentence: terminal punctuation (optionally followed by a closing quote or bracket), then
# either whitespace or, as in scraped news text, a capital letter glued to the full stop.
_BOUNDARY = re.compile(r"([.!?…]+[»\"”’)\]]*)(\s+|(?=[A-ZÀ-ÖØ-Þ«\"“]))")
_LINE_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-•*–]|\d+[.)])\s)")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it sits in its text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


_QUOTES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "´": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def normalise_quote(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes made plain, case folded."""
    plain = text.translate(_QUOTES)
    plain = re.sub(r'\s*"\s*', '"', plain)
    return re.sub(r"\s+", " ", plain).strip().casefold()


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the full stop ending at ``end`` closes an abbreviation or an initial, not a sentence."""
    match = re.search(r"(\w+)\.$", text[max(0, end - 12) : end])
    if not match:
        return False
    word = match.group(1)
    return word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; blank lines and list items also end a sentence."""
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        for match in _BOUNDARY.finditer(text, block_start, block_end):
            end = match.end(1)
            if match.group(1) == "." and _is_abbreviation(text, end):
                continue
            _append(sentences, text, start, end)
            start = match.end()
        _append(sentences, text, start, block_end)
    return sentences


def _blocks(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        sentences.append(Sentence(text[start:end], start, end))


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Fold then stem: people type "deneigement" for "déneigement", and Snowball's French rules
    stem the two differently ("matières" → "mati", "matieres" → "matier") unless both are folded."""
    return snowball(fold(word))


def terms(text: str) -> list[str]:
    """Content terms in order: elisions dropped (l', d', qu'), stop words removed, stemmed and folded."""
    result = []
    for word in words(text):
        for part in re.split(r"['-]", word):
            low = part.casefold()
            if not low or low in STOPWORDS or (len(low) < 2 and not low.isdigit()):
                continue
            result.append(stem(low))
    return result


def term_set(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def overlap(claim: str | frozenset[str], source: str | frozenset[str]) -> float:
    """Share of the claim's content terms found in the source (0 when the claim has none)."""
    claim_terms = term_set(claim) if isinstance(claim, str) else claim
    source_terms = term_set(source) if isinstance(source, str) else source
    if not claim_terms:
        return 0.0
    return len(claim_terms & source_terms) / len(claim_terms)


# "[1]", "[1, 3]", "[2-4]" and "[1][2]": the citation markers models are asked to write.
MARKER = re.compile(r"\[(\d+(?:\s*[-–,;]\s*\d+)*)\]")


def marker_numbers(marker_body: str) -> list[int]:
    """The source numbers inside one marker: "1, 3" gives [1, 3], "2-4" gives [2, 3, 4]."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", marker_body):
        bounds = [int(n) for n in re.split(r"\s*[-–]\s*", part) if n]
        if len(bounds) == 2 and bounds[0] <= bounds[1] <= bounds[0] + 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def cited_numbers(text: str) -> list[int]:
    """Every source number cited in a text, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in MARKER.finditer(text):
        for number in marker_numbers(match.group(1)):
            seen.setdefault(number)
    return list(seen)


_LEADING_MARKERS = re.compile(rf"(?:\s*{MARKER.pattern})+")


def claim_sentences(text: str) -> list[Sentence]:
    """Sentences of a generated answer; a "[2]" written after the full stop stays with its sentence."""
    merged: list[Sentence] = []
    for sentence in split_sentences(text):
        leading = _LEADING_MARKERS.match(sentence.text)
        if merged and leading:
            previous = merged.pop()
            cut = sentence.start + leading.end()
            merged.append(Sentence(text[previous.start : cut], previous.start, cut))
            rest = text[cut : sentence.end]
            if not rest.strip(" .;,"):
                continue
            offset = cut + len(rest) - len(rest.lstrip())
            sentence = Sentence(text[offset : sentence.end], offset, sentence.end)
        merged.append(sentence)
    return merged


def strip_markers(text: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", MARKER.sub("", text)).strip()
