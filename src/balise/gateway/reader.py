"""The extractive reader: which sentences of the retrieved passages answer the question, and the fact.

Candidates are the passages' sentences and windows of two consecutive sentences. A heading or a
question written in the document (an FAQ's « Quand dois-je payer… ? ») is context for the sentences
under it, never an answer on its own. Each candidate is scored on four things:

- lexical: the question's content terms it covers, weighted by rarity (terms of the heading above
  it count for less);
- meaning: e5 similarity between the question and the sentence (the product's embedder, computed
  only for the most promising sentences, to stay fast on a CPU);
- answer type: whether it holds a fact of the kind asked for (amount, date, time, person, place…);
- the rank of its passage in the search results.

The reader abstains when the best candidate scores under :data:`ABSTAIN_BELOW`, a threshold chosen
on development questions (see ``bench/answers.py``): under it, saying that the documents do not
answer is more often right than wrong.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from balise.gateway.answer_types import AnswerType, expected_type, fact_spans, merge_spans, needs_entities
from balise.gateway.contracts import Passage
from balise.text import Sentence, split_sentences, term_set, words

logger = logging.getLogger(__name__)

ABSTAIN_BELOW = 0.42
"""Confidence under which the reader says the documents do not answer: chosen by ``bench/answers.py``
on the dev halves of four sets pooled (Montpellier deliberations, demo library, PIAF, fr_gov_faq), the
value that handles the most questions right on average. One corpus alone chooses badly: 0.55 fitted
the Montpellier questions and refused 40 % of the answerable PIAF ones."""
KEEP_RATIO = 0.85
"""Other candidates are added to the answer when they score at least this share of the best."""
TOP_PASSAGES = 3
TOP_PASSAGE_RATIO = 0.5
"""Search's first ``TOP_PASSAGES`` passages each add their best sentence to the answer when none of
theirs is there yet and it scores at least ``TOP_PASSAGE_RATIO`` of the best: the reader can misjudge,
and search's first choices are right more often than any other (shown after the answer, as "see also").
Three rather than two: on the FAQ sample of ``bench/answers.py`` the gold document is then cited for
0.67 of the questions instead of 0.635, with no change on PIAF."""
MAX_SENTENCES = 3
DENSE_CANDIDATES = 6
WEIGHTS = {"lexical": 0.45, "section": 0.08, "dense": 0.25, "type": 0.15, "rank": 0.07}
CONTEXT_WEIGHT = 0.6
WINDOW_FACTOR = 0.95
# e5-small cosines between a French question and sentences: unrelated ≈ 0.75, on topic ≈ 0.85+.
DENSE_FLOOR, DENSE_SPAN = 0.76, 0.14
HEADING_MAX_WORDS = 14
PREFIX_MIN = 5
# Stems of the verbs and words a question is phrased with, which say nothing of its subject
# ("est-ce que je peux…", "je voudrais savoir…"), and of the words that only name the answer's type.
QUESTION_NOISE = frozenset(
    term_set(
        "peux peut puis pourrais dois doit faut fait savoir voudrais aimerais souhaite demande svp merci"
    )
)
TYPE_CUES = frozenset(term_set("combien nom date moment"))
# Words a question and its answer use for the same thing: « combien coûte » is answered by « le tarif
# est de », « heures d'ouverture » by « ouvert du lundi », « le mardi » by « les jours pairs ».
_SYNONYMS = (
    "coût coûte coûtent prix tarif tarifs frais montant somme",
    "heure heures horaire horaires ouverture ouvert ouverte",
    "amende amendes pénalité sanction sanctions contravention",
    "lundi mardi mercredi jeudi vendredi samedi dimanche jour jours",
    "délai délais temps durée",
)
SYNONYMS = {term: group for line in _SYNONYMS for group in [term_set(line)] for term in group}
# Words that name the kind of fact asked for, not what the question is about: « À quelle heure puis-je
# arroser ? » is about watering, and the town hall's opening hours do not bear on it.
TYPE_WORDS = frozenset(
    term_set(
        "heure heures horaire horaires ouverture ouvert date dates jour jours moment montant prix coût "
        "tarif frais somme nom personne quand combien"
    )
)
SUPPORT_FLOOR = 0.6
"""A stated answer is shown « à vérifier » when the sentences stating it cover less than this share
(weighted by rarity; a word only in their document's title or headings counts ``CONTEXT_WEIGHT``) of what the
question is about: they were picked for their kind of fact or their passage's other words, not because
they speak of the question's subject."""

Embed = Callable[[str, list[str]], np.ndarray | None]
"""(question, sentences) → cosine of each sentence with the question, or None when unavailable."""
Entities = Callable[[list[str]], list[list[tuple[int, int, str]]]]
"""Texts → (start, end, label) named entities of each (PER, ORG, LOC, MISC)."""


@dataclass
class Unit:
    """One sentence of a passage, with the terms of the headings above it as context."""

    passage: Passage
    sentence: Sentence
    index: int
    terms: frozenset[str]
    context: frozenset[str]
    heading: bool
    section: frozenset[str] = frozenset()  # terms of the nearest heading above it
    lexical: float = 0.0
    in_section: float = 0.0  # share of the question's terms its section heading holds
    dense: float = 0.0
    facts: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Candidate:
    units: tuple[Unit, ...]
    score: float


@dataclass(frozen=True)
class Reading:
    """What the reader found: the sentences to show (best first), the fact, and how sure it is."""

    answer_type: AnswerType
    confidence: float
    units: tuple[Unit, ...]
    fact: tuple[Unit, int, int] | None  # the unit holding it and the span in its sentence
    weak: bool = False  # the answer's first sentence barely speaks of the question's subject

    @property
    def abstains(self) -> bool:
        return not self.units

    @property
    def fact_text(self) -> str:
        if self.fact is None:
            return ""
        unit, start, end = self.fact
        return unit.sentence.text[start:end]


def _is_heading(passage_text: str, sentence: Sentence) -> bool:
    """A heading line or a question: context for what follows, not an answer."""
    text = sentence.text.rstrip()
    if text.endswith("?"):
        return True
    if text[-1:] in ".!…;:»)" or len(words(text)) > HEADING_MAX_WORDS:
        return False
    after = passage_text[sentence.end : sentence.end + 2]
    alone_on_line = not after.strip(" \t") or after.startswith("\n") or after.lstrip(" \t").startswith("\n")
    return alone_on_line and not text.lstrip().startswith(("-", "•", "*", "–"))


# A short line with no final punctuation, followed by a line starting with a capital: a heading that
# a PDF's text layer glued to the sentence under it ("Article 5 — Tarifs\nLe tarif est de…").
_GLUED_HEADING = re.compile(r"[^\n.!?;:]{1,90}(?<![,;:])\n(?=[A-ZÀ-Ý«\"“])")


def _sentences(text: str) -> list[Sentence]:
    """The passage's sentences, with headings glued to the next line cut off as sentences of their own."""
    found: list[Sentence] = []
    for sentence in split_sentences(text):
        start = sentence.start
        while (match := _GLUED_HEADING.match(text, start, sentence.end)) is not None:
            line = match.group().strip()
            if len(words(line)) > HEADING_MAX_WORDS // 2 + 3:
                break
            found.append(Sentence(line, start, start + len(line)))
            start = match.end()
        if start < sentence.end:
            found.append(Sentence(text[start : sentence.end], start, sentence.end))
    return found


def units_of(passages: Sequence[Passage]) -> list[Unit]:
    """Every sentence of the passages, in order, each knowing the headings above it."""
    found: list[Unit] = []
    for passage in passages:
        context, section = term_set(passage.title), frozenset[str]()
        for index, sentence in enumerate(_sentences(passage.text)):
            heading = _is_heading(passage.text, sentence)
            terms = term_set(sentence.text)
            found.append(Unit(passage, sentence, index, terms, context, heading, section))
            if heading:
                context, section = context | terms, terms
    return found


def _matches(term: str, terms: frozenset[str]) -> bool:
    """Exact stems, a synonym, or one a prefix of the other when long enough: Snowball leaves
    "arrosage" as "arrosag" and "arroser" as "arros", which mean the same to a reader."""
    if term in terms or (term in SYNONYMS and not SYNONYMS[term].isdisjoint(terms)):
        return True
    if len(term) < PREFIX_MIN:
        return False
    return any(len(t) >= PREFIX_MIN and (t.startswith(term) or term.startswith(t)) for t in terms)


def question_terms(question: str, answer_type: AnswerType) -> frozenset[str]:
    """The question's content terms, without the words that only say what kind of answer is wanted."""
    noise = QUESTION_NOISE | (TYPE_CUES if answer_type != "other" else frozenset())
    return frozenset(t for t in term_set(question) if t not in noise)


def _idf(units: Sequence[Unit]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for unit in units:
        df.update(unit.terms)
    n = max(len(units), 1)
    return {term: math.log(1 + n / count) for term, count in df.items()}


class Reader:
    """Scores candidates; ``embed`` and ``entities`` are optional (without them it reads by words)."""

    def __init__(
        self,
        *,
        embed: Embed | None = None,
        entities: Entities | None = None,
        abstain_below: float | None = None,
        keep_ratio: float = KEEP_RATIO,
        max_sentences: int = MAX_SENTENCES,
    ) -> None:
        self.embed, self.entities = embed, entities
        abstain_below = ABSTAIN_BELOW if abstain_below is None else abstain_below
        self.abstain_below, self.keep_ratio, self.max_sentences = abstain_below, keep_ratio, max_sentences
        self._coverage: Callable[[frozenset[str], frozenset[str]], float] = lambda _terms, _context: 0.0

    def read(self, question: str, passages: Sequence[Passage]) -> Reading:
        answer_type = expected_type(question)
        units = units_of(passages)
        asked = question_terms(question, answer_type)
        idf = _idf(units)
        default_idf = math.log(1 + max(len(units), 1))
        weight = sum(idf.get(t, default_idf) for t in asked)
        answers = [u for u in units if not u.heading]

        def coverage(terms: frozenset[str], context: frozenset[str]) -> float:
            own = [t for t in asked if _matches(t, terms)]
            inherited = [t for t in asked if t not in own and _matches(t, context)]
            total = sum(idf.get(t, default_idf) for t in own)
            total += CONTEXT_WEIGHT * sum(idf.get(t, default_idf) for t in inherited)
            return min(1.0, total / weight) if weight else 0.0

        self._coverage = coverage
        for unit in answers:
            unit.lexical = coverage(unit.terms, unit.context)
            unit.in_section = coverage(unit.section, frozenset())
            if not needs_entities(answer_type):
                unit.facts = fact_spans(unit.sentence.text, answer_type)
        shortlist = sorted(answers, key=lambda u: self._score([u], answer_type), reverse=True)
        shortlist = shortlist[:DENSE_CANDIDATES]
        self._enrich(question, shortlist, answer_type)
        candidates = self._candidates(answers, answer_type)
        if not candidates or candidates[0].score < self.abstain_below:
            return Reading(answer_type, candidates[0].score if candidates else 0.0, (), None)
        first = sorted({p.number for p in passages})[:TOP_PASSAGES]
        chosen = self._with_top_passages(self._choose(candidates), candidates, first)
        subject = frozenset(t for t in asked if t not in TYPE_WORDS) or asked
        best = candidates[0].units
        chosen = _bearing(chosen, len(best), subject)
        fact = _fact(asked, chosen, answer_type)
        stating = best if fact is None or fact[0] in best else (fact[0],)
        weak = self._support(stating, subject, idf, default_idf) < SUPPORT_FLOOR
        return Reading(answer_type, candidates[0].score, chosen, fact, weak)

    @staticmethod
    def _support(
        units: Sequence[Unit], subject: frozenset[str], idf: dict[str, float], default_idf: float
    ) -> float:
        """Share of the question's subject (weighted by rarity) the sentences stating the answer, or
        their title and headings, speak of: « Le tarif est de 50 $ » under « Permis de rénovation »."""
        own = frozenset().union(*(u.terms for u in units))
        context = frozenset().union(*(u.context for u in units))
        total = sum(idf.get(t, default_idf) for t in subject)
        found = sum(idf.get(t, default_idf) for t in subject if _matches(t, own))
        found += CONTEXT_WEIGHT * sum(
            idf.get(t, default_idf) for t in subject if not _matches(t, own) and _matches(t, context)
        )
        return found / total if total else 1.0

    def _enrich(self, question: str, shortlist: list[Unit], answer_type: AnswerType) -> None:
        """Meaning and named entities, only for the shortlist: the two costly steps."""
        if not shortlist:
            return
        texts = [u.sentence.text for u in shortlist]
        if self.embed is not None:
            cosines = self.embed(question, texts)
            if cosines is not None:
                for unit, cosine in zip(shortlist, cosines, strict=True):
                    unit.dense = float(np.clip((cosine - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0))
        if needs_entities(answer_type) and self.entities is not None:
            for unit, found in zip(shortlist, self.entities(texts), strict=True):
                unit.facts = fact_spans(unit.sentence.text, answer_type, found)

    def _score(self, units: Sequence[Unit], answer_type: AnswerType) -> float:
        lexical = units[0].lexical
        if len(units) > 1:
            lexical = self._coverage(
                frozenset().union(*(u.terms for u in units)), frozenset().union(*(u.context for u in units))
            )
        typed = 1.0 if answer_type != "other" and any(u.facts for u in units) else 0.0
        if answer_type == "other":
            typed = 0.5
        rank = 1 / math.sqrt(units[0].passage.number)
        score = (
            WEIGHTS["lexical"] * lexical
            + WEIGHTS["section"] * max(u.in_section for u in units)
            + WEIGHTS["dense"] * max(u.dense for u in units)
            + WEIGHTS["type"] * typed
            + WEIGHTS["rank"] * rank
        )
        return score * (WINDOW_FACTOR if len(units) > 1 else 1.0)

    def _candidates(self, answers: Sequence[Unit], answer_type: AnswerType) -> list[Candidate]:
        candidates = [Candidate((u,), self._score([u], answer_type)) for u in answers if u.lexical > 0]
        for first, second in itertools.pairwise(answers):
            if first.passage is second.passage and second.index - first.index <= 2 and first.lexical > 0:
                candidates.append(Candidate((first, second), self._score([first, second], answer_type)))
        candidates.sort(key=lambda c: c.score, reverse=True)
        return candidates

    def _with_top_passages(
        self, chosen: tuple[Unit, ...], candidates: Sequence[Candidate], first: Sequence[int]
    ) -> tuple[Unit, ...]:
        """The answer, then the best sentence of each of search's first passages not in it yet."""
        floor = TOP_PASSAGE_RATIO * candidates[0].score
        added = list(chosen)
        for number in first:
            if any(u.passage.number == number for u in added):
                continue
            best = next(
                (c for c in candidates if c.units[0].passage.number == number and c.score >= floor), None
            )
            if best is not None and not any(_redundant(best.units[0], u) for u in added):
                added.append(best.units[0])
        return tuple(added)

    def _choose(self, candidates: Sequence[Candidate]) -> tuple[Unit, ...]:
        """The best candidate, then others close to it from other places, up to ``max_sentences``."""
        best = candidates[0]
        chosen: list[Unit] = list(best.units)
        for candidate in candidates[1:]:
            if candidate.score < self.keep_ratio * best.score or len(chosen) >= self.max_sentences:
                break
            fresh = [u for u in candidate.units if all(u is not c for c in chosen)]
            if len(fresh) != len(candidate.units) or len(chosen) + len(fresh) > self.max_sentences:
                continue
            if any(_redundant(u, c) for u in fresh for c in chosen):
                continue
            chosen.extend(fresh)
        return tuple(chosen)


def bears_on(unit: Unit, subject: frozenset[str]) -> bool:
    """Whether the sentence, its section heading or its document's title names what the question is about."""
    terms = unit.terms | unit.section | term_set(unit.passage.title)
    return any(_matches(t, terms) for t in subject)


def _bearing(chosen: tuple[Unit, ...], best: int, subject: frozenset[str]) -> tuple[Unit, ...]:
    """The best candidate's sentences, then only the others that bear on the question's subject.

    Added sentences come from scores close to the best or from search's first passages; one that shares
    nothing with the question's subject (the town hall's hours under a watering question) is noise.
    """
    if not subject:
        return chosen
    return chosen[:best] + tuple(u for u in chosen[best:] if bears_on(u, subject))


def _redundant(a: Unit, b: Unit) -> bool:
    if not a.terms or not b.terms:
        return False
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms)) > 0.8


def _fact(
    question_terms: frozenset[str], chosen: Sequence[Unit], answer_type: AnswerType
) -> tuple[Unit, int, int] | None:
    """The fact of the expected type nearest to the question's words in the best sentences."""
    if answer_type in ("other", "yesno"):
        return None
    for unit in chosen:
        if not unit.facts:
            continue
        text = unit.sentence.text
        anchors = [
            position
            for position, word in _word_positions(text)
            if question_terms & term_set(word) and not any(s <= position < e for s, e in unit.facts)
        ] or [0]
        spans = merge_spans(text, unit.facts)
        start, end = min(spans, key=lambda span: min(abs(span[0] - a) for a in anchors))
        return unit, start, end
    return None


def _word_positions(text: str) -> list[tuple[int, str]]:
    positions, cursor = [], 0
    for word in words(text):
        cursor = text.find(word, cursor)
        positions.append((cursor, word))
        cursor += len(word)
    return positions
