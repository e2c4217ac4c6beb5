"""Array helpers shared by the rules that run over whole columns of agents."""

from __future__ import annotations

import bisect
import itertools
import math

import numpy as np


def weighted_total(weights: np.ndarray, values: np.ndarray) -> float:
    """The sum of ``weights * values`` in one pass, without the temporary product: on the
    columns of a whole city about 2.5 times faster than multiplying, then summing.

    numpy's own loop (``einsum``) rather than ``dot``: ``dot`` goes to the BLAS library, which
    splits long sums over threads, so its rounding (and with it a run's results) would depend
    on how many threads a worker process allows.
    """
    return float(np.einsum("i,i->", weights, np.asarray(values, dtype=np.float64)))


def take_until(
    rng: np.random.Generator, candidates: np.ndarray, sizes: np.ndarray, target: float
) -> np.ndarray:
    """The first candidates whose sizes add up to ``target``, the last one taken by chance.

    Whole agents cannot fill a target exactly; taking the one that crosses it with
    probability equal to the share of it still needed keeps the expected total on target,
    so results do not drift with the size of agents.
    """
    if target <= 0 or len(candidates) == 0:
        return candidates[:0]
    cumulative = np.cumsum(sizes)
    count = int(np.searchsorted(cumulative, target, side="right"))
    if count < len(candidates):
        before = cumulative[count - 1] if count > 0 else 0.0
        if rng.random() < (target - before) / sizes[count]:
            count += 1
    return candidates[:count]


def weighted_median(values: np.ndarray, weights: np.ndarray, presorted: bool = False) -> float:
    """The median of real units when each value stands for ``weights`` of them
    (``presorted``: the values are already in increasing order)."""
    if not presorted:
        order = np.argsort(values)
        values, weights = values[order], weights[order]
    # on the few firms of a sector plain floats are much quicker than numpy: the running
    # total adds in the same order as ``np.cumsum``, and on totals that never decrease
    # (finite weights of at least zero) ``bisect_left`` finds what ``np.searchsorted`` does
    listed = weights.tolist()
    cumulative = list(itertools.accumulate(listed))
    if not (math.isfinite(cumulative[-1]) and min(listed) >= 0):
        cumulative = np.cumsum(weights)
        return float(values[np.searchsorted(cumulative, 0.5 * cumulative[-1])])
    return float(values[bisect.bisect_left(cumulative, 0.5 * cumulative[-1])])


_ERF = np.frompyfunc(math.erf, 1, 1)


def normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + _ERF(np.asarray(x, dtype=float) / math.sqrt(2)).astype(float))
