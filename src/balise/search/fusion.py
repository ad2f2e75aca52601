"""Fusing the lexical and dense rankings into one.

The method is chosen across retrieval sets of different shapes, never by fitting one
(``bench/search_quality.py``: every method below ranks the same candidates on every set; the product
takes the method whose worst margin over the better single mode is largest, and a leave-one-set-out
run checks the choice on a set it was not chosen on). ``DEFAULT`` and ``DENSE_WEIGHT`` hold that
choice: z-scored scores mixed half and half, ahead of its better single mode by 0.011–0.046 MRR@10 on
PIAF, fr_gov_faq and fr_gov_faq without titles (reciprocal-rank fusion, k = 60, the previous default:
0.011–0.031).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Sequence
from typing import Literal, TypeVar

Fusion = Literal["rrf", "minmax", "zscore"]
Key = TypeVar("Key", bound=Hashable)
Ranking = Sequence[tuple[Key, float]]  # (entry id, score), best first
Normaliser = Callable[[Ranking[Key]], dict[Key, float]]

RRF_K = 60
DENSE_WEIGHT = 0.5
DEFAULT: Fusion = "zscore"
DEFAULT_NAME = f"zscore w={DENSE_WEIGHT}"
"""How ``bench/search_quality.py`` names the product's method in its grid."""


def reciprocal_rank(rankings: Sequence[Ranking[Key]], k: int = RRF_K) -> list[tuple[Key, float]]:
    """Sum of 1 / (k + rank): needs no score calibration between bm25 and cosine."""
    fused: dict[Key, float] = {}
    for ranking in rankings:
        for rank, (entry_id, _score) in enumerate(ranking, start=1):
            fused[entry_id] = fused.get(entry_id, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def min_max(ranking: Ranking[Key]) -> dict[Key, float]:
    """Scores mapped onto [0, 1] within one result list."""
    if not ranking:
        return {}
    scores = [score for _id, score in ranking]
    low, high = min(scores), max(scores)
    span = high - low
    return {entry_id: (score - low) / span if span else 1.0 for entry_id, score in ranking}


def z_score(ranking: Ranking[Key]) -> dict[Key, float]:
    """Scores as standard deviations above the list's mean: less swayed by one outlier than min-max."""
    if not ranking:
        return {}
    scores = [score for _id, score in ranking]
    mean = statistics.fmean(scores)
    spread = statistics.pstdev(scores) or 1.0
    return {entry_id: (score - mean) / spread for entry_id, score in ranking}


def weighted(
    lexical: Ranking[Key],
    dense: Ranking[Key],
    dense_weight: float = DENSE_WEIGHT,
    normalise: Normaliser[Key] = min_max,
) -> list[tuple[Key, float]]:
    """Normalised scores, mixed linearly; an entry missing from a list gets that list's lowest score."""
    lex, den = normalise(lexical), normalise(dense)
    lex_floor, den_floor = min(lex.values(), default=0.0), min(den.values(), default=0.0)
    fused = {
        entry_id: (1 - dense_weight) * lex.get(entry_id, lex_floor)
        + dense_weight * den.get(entry_id, den_floor)
        for entry_id in lex.keys() | den.keys()
    }
    return sorted(fused.items(), key=lambda item: -item[1])


def fuse(lexical: Ranking[Key], dense: Ranking[Key], method: Fusion = DEFAULT) -> list[tuple[Key, float]]:
    """The product's hybrid ranking."""
    if method == "rrf":
        return reciprocal_rank([lexical, dense])
    return weighted(lexical, dense, DENSE_WEIGHT, z_score if method == "zscore" else min_max)
