"""Citation markers ("[1]", "[2, 3]"), quote comparison and the citations of a model's answer, shared
by the gateway and citation checks.

Words, terms and sentences come from :mod:`balise.text`, the one French text module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from balise.gateway.contracts import Citation, Passage
from balise.text import Sentence, overlap, split_sentences

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
    """The text without its markers; French spacing (« heures : », « ouvert ? ») is left as written.

    A marker glued between two words (« ans.[1]Ai-je ») leaves a space; the space written before a
    marker goes with it (« dix ans [1]. » → « dix ans. »).
    """
    plain = re.sub(rf"[ \t]*(?:{MARKER.pattern})+[ \t]*", " ", text)
    plain = re.sub(r" (?=[.,)])|[ \t]+(?=\n)", "", plain)
    return re.sub(r"[ \t]{2,}", " ", plain).strip()


def generative_citations(text: str, passages: Sequence[Passage]) -> list[Citation]:
    """For each "[n]" in a model's answer, the sentence of passage n that best supports the claim.

    Markers pointing at no passage are left out here; citation checks report them.
    """
    by_number = {p.number: p for p in passages}
    citations: list[Citation] = []
    seen: set[tuple[int, str]] = set()
    for sentence in claim_sentences(text):
        claim = strip_markers(sentence.text)
        for number in cited_numbers(sentence.text):
            passage = by_number.get(number)
            if passage is None:
                continue
            candidates = split_sentences(passage.text)
            if not candidates:
                continue
            quote = max(candidates, key=lambda s: overlap(claim, s.text)).text
            if (number, quote) not in seen:
                seen.add((number, quote))
                citations.append(Citation.of(passage, quote))
    return citations
