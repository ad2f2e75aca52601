"""The shape every Balise recognizer shares: patterns, a validity check and French context words.

Presidio's own context enhancer works on lemmas in a token window, which French elision and
accents defeat ("né le", "d'assurance sociale"); a character window with accent-tolerant regular
expressions is both simpler and faster, so our recognizers score context themselves and mark their
results as already enhanced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

LANGUAGE = "fr"


def context(*words: str) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of ``words`` (regular expressions) as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


class PiiRecognizer(LocalRecognizer):
    """Regular expressions, then ``validate``, then a score raised by nearby context words.

    A pattern may capture the value in a group named ``value`` so that a required prefix (a title,
    a keyword) is not masked. ``BASE_SCORE`` is the score without context; 0 means the value is only
    reported when a context word is near (dates of birth, licence plates).
    """

    name: str
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[re.Pattern[str], ...]] = ()
    CONTEXT: ClassVar[re.Pattern[str] | None] = None
    BASE_SCORE: ClassVar[float] = 0.5
    CONTEXT_SCORE: ClassVar[float] = 0.95
    WINDOW_BEFORE: ClassVar[int] = 60
    WINDOW_AFTER: ClassVar[int] = 0
    # An explicit label right before the value ("NAS : …"): the value is masked even when its
    # checksum fails, since a mistyped identifier still identifies someone (fail closed).
    LABEL: ClassVar[re.Pattern[str] | None] = None

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language=LANGUAGE)
        self.patterns: tuple[re.Pattern[str], ...] = self.PATTERNS

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def validate(self, value: str) -> bool:
        """Checksums and structural rules that tell a real identifier from a look-alike."""
        return True

    def accept(self, text: str, start: int, end: int) -> bool:
        """A check that needs the surrounding text (the locality after a postal code, a veto word)."""
        return True

    def candidates(self, text: str) -> Iterator[tuple[int, int]]:
        seen: set[tuple[int, int]] = set()
        for pattern in self.patterns:
            group = "value" if "value" in pattern.groupindex else 0
            for match in pattern.finditer(text):
                span = match.span(group)
                if span not in seen and span[0] < span[1]:
                    seen.add(span)
                    yield span

    def has_context(self, text: str, start: int, end: int) -> bool:
        if self.CONTEXT is None:
            return False
        before = text[max(0, start - self.WINDOW_BEFORE) : start]
        after = text[end : end + self.WINDOW_AFTER]
        return bool(self.CONTEXT.search(before) or (after and self.CONTEXT.search(after)))

    def is_labelled(self, text: str, start: int) -> bool:
        return self.LABEL is not None and bool(self.LABEL.search(text[max(0, start - 40) : start]))

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for start, end in self.candidates(text):
            if not self.accept(text, start, end):
                continue
            if not self.validate(text[start:end]):
                if self.is_labelled(text, start):
                    results.append(self.result(start, end, self.CONTEXT_SCORE))
                continue
            score = self.CONTEXT_SCORE if self.has_context(text, start, end) else self.BASE_SCORE
            if score > 0:
                results.append(self.result(start, end, score))
        return results

    def result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )


def digits(value: str) -> str:
    return re.sub(r"\D", "", value)
