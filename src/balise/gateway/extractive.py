"""The extractive backend: answers and summaries made only of source sentences, each cited.

It is the embedded default when no generative model is configured and the fallback when one fails:
nothing is generated, so nothing can be invented, and nothing leaves the server. Answers come from
the reader (:mod:`balise.gateway.reader`): the fact asked for, then the sentences that say it; when
no sentence is good enough it says so instead of guessing.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from balise.gateway.contracts import Citation, Completion, Passage
from balise.gateway.footprint import Hosting, cpu_footprint, grid_intensity
from balise.gateway.reader import Reader
from balise.gateway.signals import named_entities, sentence_similarity
from balise.i18n import _
from balise.text import Sentence, overlap, split_sentences, term_set, words

Audience = Literal["specialist", "general", "plain"]

NAME = "extractive"
# Longest sentence (in words) each audience is comfortable with; longer ones are penalised.
COMFORT_WORDS: dict[str, int] = {"specialist": 40, "general": 25, "plain": 18}
_CODE_LIKE = re.compile(r"[{}=<>]|https?://|www\.|\w+\.\w+\(|\w+_\w+")


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    sentence: Sentence
    terms: frozenset[str]
    position: int  # index of the sentence in its passage


def _candidates(passages: Sequence[Passage]) -> list[_Candidate]:
    found = []
    for passage in passages:
        for position, sentence in enumerate(split_sentences(passage.text)):
            found.append(_Candidate(passage, sentence, term_set(sentence.text), position))
    return found


def _idf(candidates: Sequence[_Candidate]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for candidate in candidates:
        df.update(candidate.terms)
    n = len(candidates)
    return {term: math.log(1 + n / count) for term, count in df.items()}


def _is_prose(sentence: Sentence) -> bool:
    """Scraped pages carry scripts, menus and captions; a summary should only pick prose."""
    return len(words(sentence.text)) >= 3 and not _CODE_LIKE.search(sentence.text)


_HEADING_START = re.compile(
    r"^(article|chapitre|section|titre|annexe|partie|chapter|part)\s+[\dIVXLC]+\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)]\s*$")
HEADING_MAX_WORDS = 15


def _is_heading_line(line: str) -> bool:
    """A title line: numbered like « Article 6 — Durée de validité », or short with no final stop."""
    line = line.strip()
    if not line:
        return True
    size = len(words(line))
    if _HEADING_START.match(line) and size <= HEADING_MAX_WORDS:
        return True
    return size <= HEADING_MAX_WORDS and not _SENTENCE_END.search(line)


def _content_parts(sentence: Sentence) -> list[Sentence]:
    """The sentence without the heading lines inside it, as the runs of content lines between them.

    A heading is context, never content: PDF text keeps « Chapitre 3 … / Article 6 … » on lines of
    their own next to the sentences of the article (the splitter may even miss the stop before one,
    after « 23 h. »), and a summary made of them says nothing. A line wrapped inside a sentence goes on
    in lower case: it is not a heading.
    """
    lines = sentence.text.split("\n")
    parts: list[Sentence] = []
    run_start: int | None = None
    offset = 0
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        previous = lines[index - 1].rstrip() if index else ""
        heading = (
            _is_heading_line(line)
            and not following.strip()[:1].islower()
            and (not previous or bool(_SENTENCE_END.search(previous)) or _is_heading_line(previous))
        )
        if heading and run_start is not None:
            parts.append(_slice(sentence, run_start, offset - 1))
            run_start = None
        elif not heading and run_start is None:
            run_start = offset
        offset += len(line) + 1
    if run_start is not None:
        parts.append(_slice(sentence, run_start, len(sentence.text)))
    return [part for part in parts if part.text]


def _slice(sentence: Sentence, start: int, end: int) -> Sentence:
    """``sentence.text[start:end]`` without surrounding spaces, with its offsets in the source."""
    text = sentence.text[start:end]
    start += len(text) - len(text.lstrip())
    text = text.strip()
    return Sentence(text, sentence.start + start, sentence.start + start + len(text))


def _summary_candidates(passages: Sequence[Passage]) -> list[_Candidate]:
    """Prose sentences of the passages, headings removed, for summaries."""
    found = []
    for passage in passages:
        for position, sentence in enumerate(split_sentences(passage.text)):
            for content in _content_parts(sentence):
                if _is_prose(content):
                    found.append(_Candidate(passage, content, term_set(content.text), position))
    return [candidate for candidate in found if candidate.terms]


def as_passages(items: Sequence[str | Passage]) -> list[Passage]:
    """Plain texts become passages numbered in order, so summaries can cite them too."""
    return [
        item if isinstance(item, Passage) else Passage(i + 1, "", "", "", None, item)
        for i, item in enumerate(items)
    ]


class ExtractiveBackend:
    """Answers and summaries built from the sources' own sentences; labelled "Extrait des documents"."""

    name = NAME

    def __init__(self, *, tenant_region: str = "QC", abstain_below: float | None = None):
        self.grid = grid_intensity(Hosting.ON_PREMISES, tenant_region)
        self.abstain_below = abstain_below

    def _completion(
        self, text: str, citations: list[Citation], started: float, confidence: float | None = None
    ) -> Completion:
        return Completion(
            text=text,
            backend=NAME,
            kind="extractive",
            citations=citations,
            footprint=cpu_footprint(time.perf_counter() - started, self.grid),
            model=NAME,
            label=_("Extract from the documents"),
            confidence=confidence,
        )

    def answer(self, question: str, passages: Sequence[Passage]) -> Completion:
        """The fact asked for first, then the sentences that support it, each cited (see :mod:`reader`).

        When no candidate is good enough it says that the documents do not answer, with no citation.
        """
        started = time.perf_counter()
        reading = Reader(
            embed=sentence_similarity, entities=named_entities, abstain_below=self.abstain_below
        ).read(question, passages)
        if reading.abstains:
            text = _(
                "The documents provided do not answer this question. Rephrase it or ask the "
                "service concerned."
            )
            return self._completion(text, [], started, confidence=reading.confidence)
        lines, fact = [], ""
        if reading.fact is not None and reading.fact_text.strip() != reading.fact[0].sentence.text.strip():
            fact = " ".join(reading.fact_text.split())
            lines.append(f"{fact} [{reading.fact[0].passage.number}]")
        units, seen = [], set()
        for unit in reading.units:  # overlapping chunks repeat a sentence: it is shown once
            key = " ".join(unit.sentence.text.split()).casefold()
            if key not in seen:
                seen.add(key)
                units.append(unit)
        lines.extend(f"{' '.join(u.sentence.text.split())} [{u.passage.number}]" for u in units)
        citations = [Citation.of(u.passage, u.sentence.text) for u in units]
        completion = self._completion("\n\n".join(lines), citations, started, confidence=reading.confidence)
        return replace(completion, fact=fact, caution=reading.weak)

    def summarise(
        self,
        texts_or_passages: Sequence[str | Passage],
        audience: Audience = "general",
        max_sentences: int = 3,
    ) -> Completion:
        """Central sentences, favouring early ones and, for lay readers, short ones; in source order.

        Centrality is the cosine between a sentence and the centroid of the whole text (TF-IDF of
        stemmed content words): the sentences that say what the text is mostly about.
        """
        started = time.perf_counter()
        passages = as_passages(texts_or_passages)
        candidates = _summary_candidates(passages)
        if not candidates:
            return self._completion(_("The documents contain no text to summarise."), [], started)
        idf = _idf(candidates)
        centroid: dict[str, float] = {}
        for candidate in candidates:
            for term in candidate.terms:
                centroid[term] = centroid.get(term, 0.0) + idf[term]
        centroid_norm = math.sqrt(sum(v * v for v in centroid.values()))
        comfort = COMFORT_WORDS[audience]

        def score(candidate: _Candidate) -> float:
            dot = sum(idf[t] * centroid[t] for t in candidate.terms)
            norm = math.sqrt(sum(idf[t] ** 2 for t in candidate.terms)) * centroid_norm
            centrality = dot / norm if norm else 0.0
            position = 1 / math.sqrt(1 + candidate.position)
            length = len(words(candidate.sentence.text))
            brevity = min(1.0, comfort / length)
            return (0.5 * centrality + 0.5 * position) * brevity

        chosen: list[_Candidate] = []
        for candidate in sorted(candidates, key=score, reverse=True):
            if len(chosen) == max_sentences:
                break
            if any(overlap(candidate.terms, c.terms) > 0.6 for c in chosen):
                continue
            chosen.append(candidate)
        chosen.sort(key=lambda c: (c.passage.number, c.sentence.start))
        text = " ".join(f"{c.sentence.text} [{c.passage.number}]" for c in chosen)
        citations = [Citation.of(c.passage, c.sentence.text) for c in chosen]
        return self._completion(text, citations, started)
