"""Weighted draws of indices, as ``numpy.random.Generator.choice`` takes them, for the
places that draw a few of them many times a quarter (which zone each entrant settles in).

``rng.choice(n, size=count, p=p)`` checks its arguments with a dozen small numpy calls
before it draws: most of its time on a short ``p``. Once ``p`` is known to be valid the
draw itself is the cumulative ``p`` scaled to end at one, ``count`` uniform numbers from
the generator and a search: :func:`choose` does just that, so the indices and the
generator's state afterwards are the same to the bit. A ``p`` that might fail numpy's
checks (or come close) goes to ``rng.choice`` itself, which then raises as it would.
"""

from __future__ import annotations

import numpy as np

# numpy's tolerance on the sum of ``p``; half of it here leaves room for the difference
# between numpy's (compensated) sum and ``np.sum``
_SUM_TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def choose(rng: np.random.Generator, p: np.ndarray, count: int) -> np.ndarray:
    """``count`` indices drawn with probabilities ``p`` (summing to one), with replacement:
    ``rng.choice(len(p), size=count, p=p)``."""
    return choose_from(rng, p, cumulative(p), count)


def choose_from(
    rng: np.random.Generator, p: np.ndarray, cdf: np.ndarray | None, count: int
) -> np.ndarray:
    """:func:`choose` given ``cdf``, the :func:`cumulative` of ``p`` worked out before (None:
    numpy's own draw, which checks ``p``)."""
    if cdf is None:
        return rng.choice(len(p), size=count, p=p)
    return cdf.searchsorted(rng.random(count), side="right")


def cumulative(p: np.ndarray) -> np.ndarray | None:
    """What :func:`choose` draws with: the cumulative ``p`` scaled to end at one, or None
    for a ``p`` that might fail numpy's checks (worked out once for a fixed ``p``, the draw
    is ``cdf.searchsorted(rng.random(count), side="right")``)."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1 or not len(p):
        return None
    cdf = p.cumsum()
    # (a nan fails the first test, an infinite value the second; the last sum as a Python
    # float: the same subtraction and division as with numpy's scalar)
    total = float(cdf[-1])
    if not (p.min() >= 0 and abs(total - 1.0) <= _SUM_TOLERANCE / 2):
        return None
    cdf /= total
    return cdf


def cumulative_rows(p: np.ndarray) -> list[np.ndarray | None]:
    """:func:`cumulative` of each row of ``p`` (a table of probabilities, one row a draw),
    worked out for all rows at once: a row's running total along the table is its own."""
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 2 or not p.shape[1]:
        return [cumulative(row) for row in p]
    cdf = p.cumsum(axis=1)
    totals = cdf[:, -1].copy()
    good = (p.min(axis=1) >= 0) & (np.abs(totals - 1.0) <= _SUM_TOLERANCE / 2)
    np.divide(cdf, totals[:, None], out=cdf, where=good[:, None])
    return [row if ok else None for row, ok in zip(cdf, good.tolist(), strict=True)]
