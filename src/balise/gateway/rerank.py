"""The municipality's reranking server: which passages it may read, how it is asked, when it is not.

What it may read is decided as for a model prompt (P6, D3), passage by passage, failing closed:

- never a passage flagged at ingestion for instructions addressed to an AI or hidden text;
- only passages of a classification it is approved for, and what the gateway's residency rule allows
  (:meth:`Gateway.allows`: personal information only to a server hosted on premises or in the
  municipality's jurisdiction);
- the question and each passage go through the privacy guard first, personal information replaced by
  placeholders; a server not allowed masked personal information receives only the passages in which
  the guard found none, and nothing at all when the question holds some. When the guard cannot check,
  nothing is sent.

A passage it may not read keeps its place in search's order (:mod:`balise.search.rerank`), which also
falls back to that order whenever this module raises.

How it is asked: one ``POST {endpoint}/rerank`` in the protocol its provider names — ``rerank``
sends ``{query, documents, top_n}`` (Cohere, Jina, Infinity, vLLM), ``rerank-tei`` sends ``{query,
texts}`` (Text Embeddings Inference); both answer shapes are read (``{"results": [{index,
relevance_score}]}`` and ``[{index, score}]``). The backend's timeout bounds the whole call, and there
is no retry: the wait it bounds is every search's. The gateway's circuit breaker skips a server that
keeps failing, and every call leaves a :class:`ModelUsage` row (kind ``rerank``, task ``search``) that
/metrics counts by outcome.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy.orm import Session

from balise.classification import Classification, rank
from balise.config import get_settings
from balise.gateway.breaker import BREAKERS, BreakerBoard
from balise.gateway.contracts import Completion
from balise.gateway.errors import BackendFailure
from balise.gateway.footprint import estimate, grid_intensity
from balise.gateway.gateway import Gateway
from balise.gateway.registry import api_key_of, list_backends
from balise.gateway.tables import ModelBackend
from balise.guard.privacy import ChatMessage, PlaceholderMap, load_settings

if TYPE_CHECKING:
    from balise.search import SearchHit

RERANK_TASK = "search"
CALLS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="rerank")
"""Calls run here so that the time limit bounds the whole call, however slowly a server answers."""


@lru_cache(maxsize=64)
def _http(timeout_s: float) -> httpx.Client:
    """Clients are reused, keeping their connections open: a new one per search would cost more than
    a server on loopback takes to answer."""
    return httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)))


@dataclass(frozen=True)
class _Call:
    """One request, read from the backend in the caller's thread (its row belongs to their session)."""

    url: str
    body: dict[str, Any]
    headers: dict[str, str]
    count: int
    timeout_s: float

    @classmethod
    def of(cls, backend: ModelBackend, query: str, documents: Sequence[str], timeout_s: float) -> _Call:
        if backend.provider == "rerank-tei":
            body: dict[str, Any] = {"query": query, "texts": list(documents), "truncate": True}
        else:
            body = {"model": backend.model, "query": query, "documents": list(documents)}
            body.update(top_n=len(documents), return_documents=False)
        headers = {"Authorization": f"Bearer {api_key_of(backend)}"}
        return cls(backend.endpoint.rstrip("/") + "/rerank", body, headers, len(documents), timeout_s)

    def send(self) -> list[float]:
        """The server's scores; raises the transport's errors as they are, ``bad_response`` else."""
        response = _http(self.timeout_s).post(self.url, json=self.body, headers=self.headers)
        response.raise_for_status()
        try:
            payload = response.json()
        except ValueError as exc:
            raise BackendFailure("bad_response", "not JSON") from exc
        return _scores(payload, self.count)


def _scores(payload: Any, count: int) -> list[float]:
    """One finite score per document, in their order, from either answer shape; ``bad_response`` else."""
    items = payload.get("results") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise BackendFailure("bad_response", "no list of results")
    scores: dict[int, float] = {}
    for item in items:
        index = item.get("index") if isinstance(item, dict) else None
        score = item.get("relevance_score", item.get("score")) if isinstance(item, dict) else None
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < count or index in scores:
            raise BackendFailure("bad_response", "a result without a valid index")
        if not isinstance(score, int | float) or isinstance(score, bool) or not math.isfinite(score):
            raise BackendFailure("bad_response", "a result without a valid score")
        scores[index] = float(score)
    if len(scores) != count:
        raise BackendFailure("bad_response", f"{len(scores)} scores for {count} passages")
    return [scores[index] for index in range(count)]


def ask_scores(backend: ModelBackend, query: str, documents: Sequence[str], timeout_s: float) -> list[float]:
    """The server's scores of ``documents`` for ``query``; raises the transport's errors as they are,
    and :class:`BackendFailure` for a key that cannot be read or an answer that is not scores."""
    return _Call.of(backend, query, documents, timeout_s).send()


def rerank_scores(backend: ModelBackend, query: str, documents: Sequence[str]) -> list[float]:
    """:func:`ask_scores` within the backend's timeout, every failure a :class:`BackendFailure`."""
    future = CALLS.submit(_Call.of(backend, query, documents, backend.timeout_s).send)
    try:
        return future.result(timeout=backend.timeout_s)
    except FutureTimeout:
        future.cancel()
        raise BackendFailure("timeout", f"over {backend.timeout_s} s") from None
    except BackendFailure:
        raise
    except httpx.TimeoutException as exc:
        raise BackendFailure("timeout", type(exc).__name__) from exc
    except httpx.HTTPStatusError as exc:
        raise BackendFailure("error", f"HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise BackendFailure("unreachable", type(exc).__name__) from exc
    except Exception as exc:  # whatever else a strange answer causes is a bad answer, not a crash
        raise BackendFailure("bad_response", type(exc).__name__) from exc


@dataclass(frozen=True)
class _Offer:
    """What the server may read: the masked question, and the masked passages with their positions."""

    query: str
    positions: list[int]
    texts: list[str]
    classification: str


@dataclass
class GatewayReranker:
    """The municipality's reranking server as search uses it (:class:`balise.search.Reranker`)."""

    gateway: Gateway
    backend: ModelBackend
    candidates: int
    breakers: BreakerBoard = field(default_factory=lambda: BREAKERS)

    @property
    def name(self) -> str:
        return self.backend.name

    def scores(self, query: str, hits: Sequence[SearchHit]) -> Mapping[int, float]:
        """Scores of the passages the server may read (see the module); raises :class:`BackendFailure`
        when it fails, the guard's error when the guard cannot check."""
        started = time.monotonic()
        breaker = self.breakers(self.backend.id)
        if not breaker.allow():
            self._record(started, _most_sensitive(hits), 0, "fallback_circuit_open")
            raise BackendFailure("circuit_open")
        try:
            offer = self._offer(query, hits)
        except BaseException:
            breaker.release()
            raise
        if offer is None:
            breaker.release()
            return {}
        characters = len(offer.query) * len(offer.texts) + sum(len(text) for text in offer.texts)
        try:
            scores = rerank_scores(self.backend, offer.query, offer.texts)
        except BackendFailure as failure:
            breaker.failure()
            self._record(started, offer.classification, characters, f"fallback_{failure.reason}")
            raise
        breaker.success()
        self._record(started, offer.classification, characters, "ok")
        return dict(zip(offer.positions, scores, strict=True))

    def _offer(self, query: str, hits: Sequence[SearchHit]) -> _Offer | None:
        """The masked texts the server may read, or None when it may read none (or not the question)."""
        allows, backend = self.gateway.allows, self.backend
        readable = [
            (position, hit)
            for position, hit in enumerate(hits)
            if not hit.instructions and allows(backend, hit.classification, False)
        ]
        if not readable:
            return None
        from balise.guard.privacy import get_guard  # spaCy loads on first use, not with the gateway
        from balise.search import passage_text  # search (and its parsers) load with search, not here

        guard = get_guard()
        settings = load_settings(self.gateway.session, self.gateway.tenant_id)
        questioned = PlaceholderMap()

        def masked(text: str, placeholders: PlaceholderMap) -> tuple[str, bool]:
            prompt = guard.protect([ChatMessage(role="user", content=text)], settings, placeholders)
            return prompt.messages[0]["content"], any(prompt.counts.values())

        asked, personal = masked(query, questioned)
        if not allows(backend, Classification.PUBLIC, personal):
            return None
        positions, texts, classes = [], [], []
        for position, hit in readable:
            # A value of the question keeps its placeholder in every passage; the passages' own values
            # are numbered passage by passage: one map for all would be read again for each (7 times
            # slower, measured on 20 passages).
            text, personal = masked(passage_text(hit), questioned.copy())
            if allows(backend, hit.classification, personal):
                positions.append(position)
                texts.append(text)
                classes.append(hit.classification)
        if not texts:
            return None
        return _Offer(asked, positions, texts, max(classes, key=rank))

    def _record(self, started: float, classification: str, characters: int, outcome: str) -> None:
        """One row of the usage ledger, as for a model's answer; tokens estimated at 4 characters each."""
        backend = self.backend
        footprint = estimate(
            math.ceil(characters / 4),
            0,
            wh_per_1k_tokens=backend.wh_per_1k_tokens,
            grid_g_per_kwh=grid_intensity(backend.hosting, self.gateway.region),
            price_per_1k_tokens=backend.price_per_1k_tokens,
        )
        completion = Completion(
            text="", backend=backend.name, kind="rerank", footprint=footprint, model=backend.model
        )
        self.gateway.record(completion, RERANK_TASK, classification, started, outcome)


def _most_sensitive(hits: Sequence[SearchHit]) -> str:
    return max((hit.classification for hit in hits), key=rank, default=Classification.PUBLIC.value)


def reranker_for(
    session: Session, tenant_id: str, *, candidates: int | None = None
) -> GatewayReranker | None:
    """The municipality's reranking server, when one is registered; ``candidates`` defaults to the
    ``rerank_candidates`` setting."""
    backends = list_backends(session, tenant_id, "rerank")
    if not backends:
        return None
    count = get_settings().rerank_candidates if candidates is None else candidates
    return GatewayReranker(Gateway(session, tenant_id), backends[0], count)
