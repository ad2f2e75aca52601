"""Which validated answer a new question asks for, if any: the closest validated question by meaning.

Both questions are embedded as e5 queries by the product's embedder (in process by default: nothing
leaves the server) and compared by cosine. Only an answer whose score reaches :data:`MATCH_THRESHOLD`
is served; the threshold was chosen on re-phrased FAQ questions (``bench/citizen.py --validated``),
where it is reported with its precision and recall on held-out questions.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from balise.answers.models import ValidatedAnswer
from balise.answers.status import ACTIVE, refresh
from balise.search import EmbeddingUnavailable, get_embedder

MATCH_THRESHOLD = 0.945
"""Cosine from which a question is taken as the validated one: the best F0.5 on the tuning re-phrasings
of ``bench/citizen.py --validated 50`` (e5 cosines are compressed: « heures d'ouverture de l'hôtel de
ville » and « … de la bibliothèque » score 0.93)."""


@dataclass(frozen=True)
class Match:
    """The closest validated answer and its cosine with the question; ``served`` when it is close enough."""

    answer: ValidatedAnswer
    score: float
    threshold: float = MATCH_THRESHOLD

    @property
    def served(self) -> bool:
        return self.score >= self.threshold


def question_vector(text: str) -> tuple[bytes, str]:
    """A question's vector as stored (float32 bytes) and the embedder's name."""
    embedder = get_embedder()
    return np.asarray(embedder.embed_query(" ".join(text.split())), dtype=np.float32).tobytes(), embedder.name


def _vector(answer: ValidatedAnswer, embedder_name: str) -> np.ndarray:
    """The stored vector; re-embedded once when the municipality's embedding model changed."""
    if answer.embedder != embedder_name:
        answer.vector, answer.embedder = question_vector(answer.question)
    return np.frombuffer(answer.vector, dtype=np.float32)


def closest(
    session: Session,
    question: str,
    *,
    document_ids: Collection[str] | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> Match | None:
    """The active validated answer closest to ``question`` among those the session may read.

    The session's tenant scope and read clearance choose the candidates; ``document_ids`` narrows them
    further to answers resting only on those documents (a resident: approved public documents). An
    answer whose source changed or whose time is past is set aside first (:func:`refresh`). None when
    there is no candidate or the embedder is unavailable (the reader then answers as before).
    """
    candidates = list(session.scalars(select(ValidatedAnswer).where(ValidatedAnswer.status == ACTIVE)))
    candidates = [a for a in refresh(session, candidates) if a.status == ACTIVE]
    if document_ids is not None:
        allowed = set(document_ids)
        candidates = [a for a in candidates if {s["document_id"] for s in a.sources} <= allowed]
    if not candidates:
        return None
    try:
        embedder = get_embedder()
        query = np.asarray(embedder.embed_query(" ".join(question.split())), dtype=np.float32)
        vectors = np.stack([_vector(a, embedder.name) for a in candidates])
    except EmbeddingUnavailable:
        return None
    scores = vectors @ query
    best = int(np.argmax(scores))
    return Match(candidates[best], round(float(scores[best]), 4), threshold)
