"""Fusing the lexical and dense rankings into one.

Both methods are kept: the weighted fusion is the default, chosen by measurement (``bench/search_quality.py``:
MRR@10 0.820 against 0.796 for reciprocal-rank fusion on PIAF, 0.630 against 0.617 on the government FAQ);
reciprocal-rank fusion stays for that benchmark to compare against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

Fusion = Literal["rrf", "weighted"]
Ranking = Sequence[tuple[int, float]]  # (entry id, score), best first

RRF_K = 60
DENSE_WEIGHT = 0.5


def reciprocal_rank(rankings: Sequence[Ranking], k: int = RRF_K) -> list[tuple[int, float]]:
    """Sum of 1 / (k + rank): needs no score calibration between bm25 and cosine."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (entry_id, _score) in enumerate(ranking, start=1):
            fused[entry_id] = fused.get(entry_id, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def _min_max(ranking: Ranking) -> dict[int, float]:
    if not ranking:
        return {}
    scores = [score for _id, score in ranking]
    low, high = min(scores), max(scores)
    span = high - low
    return {entry_id: (score - low) / span if span else 1.0 for entry_id, score in ranking}


def weighted(lexical: Ranking, dense: Ranking, dense_weight: float = DENSE_WEIGHT) -> list[tuple[int, float]]:
    """Min-max normalised scores, mixed linearly; an entry missing from a list scores 0 there."""
    lex, den = _min_max(lexical), _min_max(dense)
    fused = {
        entry_id: (1 - dense_weight) * lex.get(entry_id, 0.0) + dense_weight * den.get(entry_id, 0.0)
        for entry_id in lex.keys() | den.keys()
    }
    return sorted(fused.items(), key=lambda item: -item[1])


def fuse(lexical: Ranking, dense: Ranking, method: Fusion) -> list[tuple[int, float]]:
    return reciprocal_rank([lexical, dense]) if method == "rrf" else weighted(lexical, dense)
