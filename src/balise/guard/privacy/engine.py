"""The privacy guard: detect personal information, mask it with placeholders, fail closed.

Detection runs on Presidio's ``AnalyzerEngine`` with spaCy ``fr_core_news_md`` (loaded once per
process) and Balise's recognizers, on the text as a person reads it (:mod:`balise.normalisation`:
invisible characters, Unicode spaces, full-width and look-alike letters); every finding is mapped back
to the original characters, which are the ones masked. Every analysis runs in a worker thread with a
deadline: an error or a timeout raises :class:`GuardUnavailable`, and the caller sends nothing.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, NlpEngine, SpacyNlpEngine
from prometheus_client import Counter as MetricCounter

from balise.caching import LruCache
from balise.config import get_settings
from balise.errors import BaliseError
from balise.guard.privacy.labels import CUSTOM, PRIORITY
from balise.guard.privacy.placeholders import PLACEHOLDER, PlaceholderMap, restore
from balise.guard.privacy.prompt import ChatMessage, GuardedPrompt, _seal
from balise.guard.privacy.public import public_spans
from balise.guard.privacy.recognizers import TermsRecognizer, default_recognizers
from balise.guard.privacy.recognizers.base import LANGUAGE
from balise.guard.privacy.settings import PrivacySettings
from balise.normalisation import Normalised, normalise

logger = logging.getLogger(__name__)
MASKS_APPLIED = MetricCounter(
    "balise_privacy_masks", "Personal values replaced by a placeholder before a model saw them", ["label"]
)


def count_masks(counts: dict[str, int]) -> None:
    """Adds masks applied (label → how many) to /metrics; previews shown to a person do not count."""
    for label, count in counts.items():
        MASKS_APPLIED.labels(label).inc(count)


SPACY_MODEL = "fr_core_news_md"
DEFAULT_TIMEOUT_SECONDS = 5.0
SCORE_THRESHOLD = 0.4
CHECKED_CACHE_SIZE = 4096
"""Paragraphs whose findings are kept per guard: a prompt's sources are the library's passages, and
the passages that answer one resident's question answer the next one's too."""
LONG_PARAGRAPH = 200
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BLOCK_MARKER = re.compile(r"^<<<(?:FIN )?(?:SOURCE \d+|TEXTE)>>>[ \t]*$", re.MULTILINE)
"""The lines that open and close a block of a prompt (``assistant.prompts``): Balise's own, and data
cannot forge them (its angle brackets are neutralised)."""


class GuardUnavailable(BaliseError):
    """Detection failed or took too long: the text was not checked, so it must not be sent."""

    status = 503
    code = "privacy_guard_unavailable"


class FrenchNlpEngine(SpacyNlpEngine):
    """spaCy French with only what the recognizers read: tokens and entities.

    The NER component of fr_core_news_md has its own embedding layer, so the shared ``tok2vec``, the
    tagger, parser and lemmatizer can all be left out (the recognizers score context themselves, so
    lemmas are not needed): this divides the time per text by about three.
    """

    EXCLUDED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")

    def __init__(self) -> None:
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PER": "PERSON"}, labels_to_ignore=["LOC", "ORG", "MISC"]
            ),
        )
        self._lock = threading.Lock()

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """One text at a time: spaCy's vocabulary grows as it meets new words and is not thread-safe."""
        with self._lock:
            return super().process_text(text, language)

    def load(self) -> None:
        # Presidio declares ``nlp`` as None until loaded, which mypy takes for its only type.
        self.nlp = {LANGUAGE: spacy.load(SPACY_MODEL, exclude=list(self.EXCLUDED))}  # type: ignore[assignment]


@dataclass(frozen=True)
class Detection:
    """Personal information at ``start:end`` (end exclusive) of the text, with the recognizer's confidence."""

    start: int
    end: int
    label: str
    score: float


@dataclass(frozen=True)
class PreviewSpan:
    """A masked span of the original text and the placeholder that replaces it."""

    start: int
    end: int
    label: str
    placeholder: str


@dataclass(frozen=True)
class Preview:
    """What the model would receive, for the user to check (and mask more) before sending.

    ``public`` are the (start, end) ranges of the municipality's public contact details, left as written.
    """

    text: str
    spans: tuple[PreviewSpan, ...]
    counts: dict[str, int]
    public: tuple[tuple[int, int], ...] = ()


_PARTICLES = frozenset({"de", "du", "des", "le", "la", "les", "et", "au", "aux", "d'", "l'", "von", "van"})
"""What is left of a cut name is never masked alone when it is only one of these little words."""


def _outside(text: str, d: Detection, taken: Sequence[tuple[int, int]]) -> list[Detection]:
    """The parts of ``d`` outside the ``taken`` ranges that still hold two letters or digits.

    Overlaps are cut rather than dropped, so a detection that runs into a placeholder or a surer
    detection still masks the rest of its value: when in doubt, mask.
    """
    overlapping = sorted((s, e) for s, e in taken if s < d.end and d.start < e)
    if not overlapping:
        return [d]
    pieces, cursor = [], d.start
    for start, end in overlapping:
        pieces.append((cursor, start))
        cursor = max(cursor, end)
    pieces.append((cursor, d.end))
    kept = []
    for start, end in pieces:
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            end -= 1
        if sum(c.isalnum() for c in text[start:end]) >= 2 and text[start:end].casefold() not in _PARTICLES:
            kept.append(Detection(start, end, d.label, d.score))
    return kept


def _resolve(text: str, detections: Iterable[Detection], settings: PrivacySettings) -> list[Detection]:
    """Keeps wanted labels, drops allow-listed values, spares placeholders and the municipality's public
    contact details, settles overlaps by priority."""
    blocked = [m.span() for m in PLACEHOLDER.finditer(text)] + public_spans(text, settings.public_terms)
    allowed = {term.casefold() for term in settings.allow_terms}
    if settings.allow_terms:
        pattern = "|".join(re.escape(term) for term in settings.allow_terms)
        blocked_by_allow = [
            m.span() for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE)
        ]
    else:
        blocked_by_allow = []

    def inside(d: Detection, spans: list[tuple[int, int]]) -> bool:
        return any(s <= d.start and d.end <= e for s, e in spans)

    kept = []
    for d in detections:
        if d.label != CUSTOM and d.label not in settings.labels:
            continue
        if d.label != CUSTOM and (text[d.start : d.end].casefold() in allowed or inside(d, blocked_by_allow)):
            continue
        kept.append(d)
    kept.sort(key=lambda d: (PRIORITY.index(d.label), -d.score, d.start - d.end))
    chosen: list[Detection] = []
    for d in kept:
        chosen += _outside(text, d, [*blocked, *((c.start, c.end) for c in chosen)])
    return sorted(chosen, key=lambda d: d.start)


def _mask(
    text: str, detections: Sequence[Detection], placeholders: PlaceholderMap
) -> tuple[str, list[PreviewSpan]]:
    parts, spans, cursor = [], [], 0
    for d in detections:
        placeholder = placeholders.placeholder_for(d.label, text[d.start : d.end])
        parts += [text[cursor : d.start], placeholder]
        spans.append(PreviewSpan(d.start, d.end, d.label, placeholder))
        cursor = d.end
    parts.append(text[cursor:])
    return "".join(parts), spans


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    """(offset, piece) of ``text`` cut at blank lines that follow a long paragraph.

    A closing formula, a signature or a label (« Nom : ») is short and stays with what follows it,
    so the recognizers that read the words around a value still see them; long paragraphs, such as
    the library passages of a prompt, become pieces of their own.
    """
    piece = paragraph = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if len(text[paragraph : match.start()].strip()) >= LONG_PARAGRAPH:
            yield piece, text[piece : match.start()]
            piece = match.end()
        paragraph = match.end()
    if text[piece:].strip():
        yield piece, text[piece:]


def _pieces(text: str) -> Iterable[tuple[int, str]]:
    """The paragraphs of ``_paragraphs``, less the prompt's block markers: a library passage is then
    read (and cached) as itself, whatever its source number in today's prompt."""
    for start, paragraph in _paragraphs(text):
        cut = 0
        for marker in _BLOCK_MARKER.finditer(paragraph):
            if paragraph[cut : marker.start()].strip():
                yield start + cut, paragraph[cut : marker.start()]
            cut = marker.end()
        if paragraph[cut:].strip():
            yield start + cut, paragraph[cut:]


def _normalised_settings(settings: PrivacySettings) -> PrivacySettings:
    """The settings' terms read as the text is, so that « Lucie\u00a0Gagnon » on a deny-list or the
    city's « 819 555‑0100 » still meet the normalised text."""
    return replace(
        settings,
        deny_terms=tuple(normalise(t).text for t in settings.deny_terms),
        allow_terms=tuple(normalise(t).text for t in settings.allow_terms),
        public_terms=tuple(normalise(t).text for t in settings.public_terms),
    )


def _to_original(reading: Normalised, detections: Iterable[Detection]) -> list[Detection]:
    """Detections on the normalised text as ranges of the original, invisible edges included.

    Two findings that only invisible characters separate would both claim them: the later one starts
    where the earlier one ends, so masks never overlap.
    """
    mapped: list[Detection] = []
    for d in sorted(detections, key=lambda d: d.start):
        start, end = reading.to_original(d.start, d.end)
        if mapped and start < mapped[-1].end:
            start = mapped[-1].end
        if start < end:
            mapped.append(Detection(start, end, d.label, d.score))
    return mapped


class PrivacyGuard:
    """Thread-safe: the analyzer is read-only once built, and each call gets its own worker thread slot.

    ``normalise`` is True in the product; ``bench/pii.py`` turns it off only to measure what reading
    the text as a person does costs.
    """

    def __init__(
        self,
        *,
        nlp_engine: NlpEngine | None = None,
        recognizers: Sequence[EntityRecognizer] | None = None,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        workers: int = 4,
        normalise: bool = True,
    ) -> None:
        if nlp_engine is None:
            nlp_engine = FrenchNlpEngine()
        if not nlp_engine.is_loaded():
            nlp_engine.load()
        self.nlp_engine = nlp_engine
        registry = RecognizerRegistry(
            recognizers=list(recognizers if recognizers is not None else default_recognizers()),
            supported_languages=[LANGUAGE],
        )
        self.analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[LANGUAGE],
            default_score_threshold=SCORE_THRESHOLD,
        )
        self.timeout_seconds = timeout_seconds
        self.normalise = normalise
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="privacy-guard")
        self._checked: LruCache[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[Detection, ...]]
        self._checked = LruCache(CHECKED_CACHE_SIZE)

    def _reading(self, text: str) -> Normalised:
        return normalise(text) if self.normalise else Normalised(text, text)

    def _analyze(self, text: str, entities: list[str], terms: Sequence[str]) -> list[Detection]:
        """Paragraph by paragraph (a blank line, or a prompt's block marker, ends every pattern and
        sentence the recognizers read), each looked up in the cache first: only paragraphs never seen
        go through the models.

        ``text`` is already normalised, so the cache is keyed by normalised paragraphs and holds
        offsets within them; mapping back to the original happens once, after resolving."""
        ad_hoc: list[EntityRecognizer] = [TermsRecognizer(terms)] if terms else []
        found: list[Detection] = []
        for start, paragraph in _pieces(text):
            key = (paragraph, tuple(entities), tuple(terms))
            known = self._checked.get(key)
            if known is None:
                results = self.analyzer.analyze(
                    text=paragraph, language=LANGUAGE, entities=entities, ad_hoc_recognizers=ad_hoc
                )
                known = tuple(Detection(r.start, r.end, r.entity_type, r.score) for r in results)
                self._checked.put(key, known)
            found.extend(Detection(d.start + start, d.end + start, d.label, d.score) for d in known)
        return found

    def detect(
        self, text: str, settings: PrivacySettings | None = None, extra_terms: Sequence[str] = ()
    ) -> list[Detection]:
        """Personal information in ``text``, without overlaps, in text order. Raises GuardUnavailable."""
        reading = self._reading(text)
        settings = _normalised_settings(settings or PrivacySettings())
        terms = [normalise(term).text for term in extra_terms]
        return _to_original(reading, self._detect_normalised(reading.text, settings, terms))

    def _detect_normalised(
        self, text: str, settings: PrivacySettings, extra_terms: Sequence[str]
    ) -> list[Detection]:
        """Resolved detections in the normalised ``text`` (settings and terms normalised too)."""
        terms = [*settings.deny_terms, *extra_terms]
        entities = sorted(settings.labels) + ([CUSTOM] if terms else [])
        if not text.strip() or not entities:
            return []
        future = self._pool.submit(self._analyze, text, entities, terms)
        try:
            results = future.result(timeout=self.timeout_seconds)
        except FutureTimeout:
            future.cancel()
            logger.error(
                "privacy guard timed out after %.1f s on %d characters", self.timeout_seconds, len(text)
            )
            raise GuardUnavailable(
                "The privacy check took too long, so nothing was sent to the model. "
                "Try again with a shorter text; if it keeps happening, contact your administrator."
            ) from None
        except Exception as exc:
            logger.exception("privacy guard failed")
            raise GuardUnavailable(
                "The privacy check failed, so nothing was sent to the model. "
                "Try again in a moment; if it keeps happening, contact your administrator."
            ) from exc
        return _resolve(text, results, settings)

    def _detect_in_conversation(
        self,
        text: str,
        settings: PrivacySettings | None,
        extra_terms: Sequence[str],
        placeholders: PlaceholderMap,
        chosen: Sequence[Detection] = (),
    ) -> list[Detection]:
        """Detections plus the values already masked earlier in the conversation, wherever they recur,
        plus the ``chosen`` ranges (of the original text), as ranges of the original text."""
        reading = self._reading(text)
        settings = _normalised_settings(settings or PrivacySettings())
        terms = [normalise(term).text for term in extra_terms]
        known = [
            Detection(start, end, label, 1.0) for start, end, label in placeholders.occurrences(reading.text)
        ]
        picked = [Detection(*reading.from_original(d.start, d.end), d.label, d.score) for d in chosen]
        found = self._detect_normalised(reading.text, settings, terms)
        return _to_original(reading, _resolve(reading.text, [*found, *known, *picked], settings))

    def _public(self, text: str, settings: PrivacySettings) -> list[tuple[int, int]]:
        """The municipality's public contact details in ``text``, as ranges of the original."""
        reading = self._reading(text)
        terms = _normalised_settings(settings).public_terms
        return [reading.to_original(start, end) for start, end in public_spans(reading.text, terms)]

    def preview(
        self,
        text: str,
        settings: PrivacySettings | None = None,
        extra_terms: Sequence[str] = (),
        extra_spans: Sequence[tuple[int, int]] = (),
        placeholders: PlaceholderMap | None = None,
    ) -> Preview:
        """The masked text and its spans; ``extra_spans`` are (start, end) ranges the user chose to mask.

        ``placeholders`` (the conversation's map) is copied, never changed: a preview sends nothing.
        """
        settings = settings or PrivacySettings()
        working = placeholders.copy() if placeholders is not None else PlaceholderMap()
        chosen = [
            Detection(max(0, start), min(len(text), end), CUSTOM, 1.0)
            for start, end in extra_spans
            if max(0, start) < min(len(text), end)
        ]
        masked, spans = _mask(
            text, self._detect_in_conversation(text, settings, extra_terms, working, chosen), working
        )
        public = tuple(
            (start, end)
            for start, end in self._public(text, settings)
            if not any(s.start < end and start < s.end for s in spans)
        )
        return Preview(masked, tuple(spans), dict(Counter(span.label for span in spans)), public)

    def protect(
        self,
        messages: Sequence[ChatMessage],
        settings: PrivacySettings | None = None,
        placeholders: PlaceholderMap | None = None,
        extra_terms: Sequence[str] = (),
    ) -> GuardedPrompt:
        """Masks every message; the only way to obtain a prompt the model gateway accepts.

        ``placeholders`` is the conversation's map: new values are added to it (only once every message
        passed), so the caller can save it to the vault and the next turn reuses the same placeholders.
        """
        working = placeholders.copy() if placeholders is not None else PlaceholderMap()
        counts: Counter[str] = Counter()
        masked_messages: list[ChatMessage] = []
        for message in messages:
            detections = self._detect_in_conversation(message["content"], settings, extra_terms, working)
            masked, spans = _mask(message["content"], detections, working)
            counts.update(span.label for span in spans)
            masked_messages.append({"role": message["role"], "content": masked})
        if placeholders is not None:
            placeholders.merge(working)
        count_masks(dict(counts))
        return _seal(masked_messages, dict(counts), working.to_dict())

    def mask(
        self,
        text: str,
        placeholders: PlaceholderMap,
        settings: PrivacySettings | None = None,
        extra_terms: Sequence[str] = (),
        *,
        detect: bool = True,
    ) -> str:
        """``text`` as the conversation's history keeps it: personal values replaced by placeholders.

        New values are added to ``placeholders`` (the caller saves it to the vault). With ``detect``
        False only the values already in the map are masked, wherever they recur: a restored answer
        holds no value the guard did not mask in its prompt, and no model runs a second time on it.
        """
        if detect:
            detections = self._detect_in_conversation(text, settings, extra_terms, placeholders)
        else:
            reading = self._reading(text)
            known = [Detection(s, e, label, 1.0) for s, e, label in placeholders.occurrences(reading.text)]
            detections = _to_original(reading, _resolve(reading.text, known, PrivacySettings()))
        return _mask(text, detections, placeholders)[0]

    @staticmethod
    def restore(text: str, placeholders: PlaceholderMap | dict[str, str]) -> str:
        """The model's answer with the conversation's placeholders replaced by their values."""
        return restore(text, placeholders)


_guard: PrivacyGuard | None = None
_guard_lock = threading.Lock()


def get_guard() -> PrivacyGuard:
    """The process-wide guard: spaCy is loaded once, on first use.

    The deadline is the ``privacy_timeout_seconds`` setting (``BALISE_PRIVACY_TIMEOUT_SECONDS``).
    """
    global _guard
    if _guard is None:
        with _guard_lock:
            if _guard is None:
                _guard = PrivacyGuard(timeout_seconds=get_settings().privacy_timeout_seconds)
    return _guard
