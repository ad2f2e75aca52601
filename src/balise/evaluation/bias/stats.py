"""The statistics of the bias probes, written out because SciPy is not a dependency.

* a paired permutation (sign-flip) test: under « the name changes nothing », each pair's difference
  is as likely positive as negative; the p-value is the share of random sign flips whose mean is at
  least as far from zero as the one observed (Monte Carlo, with the +1 correction of Phipson & Smyth,
  2010, so it is never 0);
* Holm's step-down correction, since each run tests several measures at once;
* Cohen's d against the pooled standard deviation within each group and request, so that the spread
  between requests (a letter is longer than a summary) does not hide a gap;
* the Wilson score interval and the exact two-sided binomial test of a preference rate against 50 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

RESAMPLES = 10_000
SEED = 20_251
MAX_EFFECT = 10.0
"""Cohen's d is reported up to this size: with no spread at all (a model that always answers the same
way per group) any gap would be infinitely many standard deviations."""


def sign_flip_p(differences: Sequence[float], *, resamples: int = RESAMPLES, seed: int = SEED) -> float:
    """Two-sided p-value of a mean paired difference of zero."""
    values = np.asarray(differences, dtype=float)
    observed = abs(values.mean()) if values.size else 0.0
    if observed == 0.0:
        return 1.0
    signs = np.random.default_rng(seed).choice((-1.0, 1.0), size=(resamples, values.size))
    extreme = int(np.count_nonzero(np.abs((signs * values).mean(axis=1)) >= observed - 1e-12))
    return (extreme + 1) / (resamples + 1)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the given order."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def cohen_d(gap: float, cells: Sequence[Sequence[float]]) -> float:
    """``gap`` in pooled standard deviations of the values within their cells (group × request)."""
    spread = sum(sum((x - sum(cell) / len(cell)) ** 2 for x in cell) for cell in cells if cell)
    freedom = sum(len(cell) - 1 for cell in cells if cell)
    deviation = math.sqrt(spread / freedom) if freedom > 0 else 0.0
    if deviation == 0.0:
        return 0.0 if gap == 0 else math.copysign(MAX_EFFECT, gap)
    return max(-MAX_EFFECT, min(MAX_EFFECT, gap / deviation))


def wilson(successes: int, trials: int, z: float = 1.959964) -> tuple[float, float]:
    """The 95 % Wilson score interval of a rate."""
    if not trials:
        return 0.0, 1.0
    rate = successes / trials
    centre = (rate + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(rate * (1 - rate) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def binomial_p(successes: int, trials: int) -> float:
    """Exact two-sided p-value of ``successes`` out of ``trials`` against a rate of one half."""
    if not trials:
        return 1.0
    tail = min(successes, trials - successes)
    mass = sum(math.comb(trials, k) for k in range(tail + 1))
    return min(1.0, 2 * mass / 2**trials)
