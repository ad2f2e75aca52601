"""Reranking search's first passages with a reranking model, and falling back to the fused order.

The one rule, for every caller: the first ``reranker.candidates`` hits of the fused ranking are
offered to the reranker; those it scores take the places of the scored ones, best score first; a hit
it did not score (one it may not read, see :mod:`balise.gateway.rerank`) keeps its place; the hits
after the candidates follow in the fused order. When the reranker fails in any way — an error, its
time limit, a paused circuit, an answer that is not scores — the fused order stands, as if no
reranker were registered: search never fails or waits longer because of one.

This package never calls a model: the reranker is given by the caller (the gateway builds the
municipality's, with its privacy rules and time limit).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from balise.search.query import SearchHit

logger = logging.getLogger(__name__)


class Reranker(Protocol):
    """A reranking model, behind the rules that decide which passages it may read."""

    candidates: int
    """How many of search's first hits it reorders."""

    @property
    def name(self) -> str:
        """How the logs name it."""
        ...

    def scores(self, query: str, hits: Sequence[SearchHit]) -> Mapping[int, float]:
        """Scores of the hits it read, by their position in ``hits`` (higher is better); raises on failure."""
        ...


def reranked(query: str, hits: Sequence[SearchHit], reranker: Reranker) -> list[SearchHit]:
    """``hits`` in the reranker's order (see the module's docstring), or in theirs when it fails."""
    head, tail = list(hits[: reranker.candidates]), list(hits[reranker.candidates :])
    if not head:
        return list(hits)
    try:
        scores = dict(reranker.scores(query, head))
    except Exception as exc:  # whatever the reranker raised, search answers in the fused order
        logger.warning("reranking by %s failed (%r): the fused order is kept", reranker.name, exc)
        return list(hits)
    slots = sorted(position for position in scores if 0 <= position < len(head))
    best_first = sorted(slots, key=lambda position: -scores[position])  # stable: ties keep fused order
    for slot, position in zip(slots, best_first, strict=True):
        head[slot] = hits[position]
    return head + tail
