"""Counting draws for rare events over many households at once.

Births, deaths, retirements and young people starting work happen to a few households in a
quarter and not at all to the rest. numpy's ``poisson`` and ``binomial`` cost the same for every
element however small its rate. These samplers draw one uniform number per element and invert
the distribution function: the chance of no event comes from a small table indexed by the
element's whole count of people, so further work is spent only on the few elements whose number
lies above it. The distributions are exact, not approximations; only the random stream differs
from numpy's own samplers.
"""

from __future__ import annotations

import numpy as np

_MAX_TERMS = 80  # the inversion stops here; the tail beyond is below double precision
_LARGE_MEAN = 10.0  # above this mean the inversion would take many terms: use numpy's sampler
_MAX_TABLE = 1 << 16  # counts of people per element above this go to numpy's sampler


def _counts(n: np.ndarray) -> np.ndarray:
    n = np.asarray(n)
    if n.dtype.kind not in "iu":
        raise TypeError("counts of people must be integers")
    return n


def poisson(rng: np.random.Generator, units: np.ndarray, rate: float) -> np.ndarray:
    """Events among ``units`` people (integers >= 0) each with mean ``rate`` events:
    Poisson counts with means ``units * rate``."""
    units = _counts(units)
    if rate < 0:
        raise ValueError(f"rate {rate} is negative")
    top = int(units.max()) if units.size else 0
    if rate == 0 or top == 0:
        return np.zeros(units.shape, dtype=np.int64)
    if top * rate > _LARGE_MEAN or top > _MAX_TABLE:
        return rng.poisson(units * rate)
    none = np.exp(-rate * np.arange(top + 1))  # chance of no event, by count of people
    return _invert(rng, units, none, lambda k, u_h: units.ravel()[u_h] * rate / k)


def binomial(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """Binomial counts of ``n`` trials (integers >= 0) with success probability ``p``."""
    n = _counts(n)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p} outside [0, 1]")
    top = int(n.max()) if n.size else 0
    if p == 0.0 or top == 0:
        return np.zeros(n.shape, dtype=np.int64)
    if p == 1.0:
        return n.astype(np.int64)
    if top * p > _LARGE_MEAN or top > _MAX_TABLE:
        return rng.binomial(n, p)
    none = (1 - p) ** np.arange(top + 1)
    odds = p / (1 - p)
    return _invert(rng, n, none, lambda k, u_h: np.maximum(n.ravel()[u_h] - k + 1, 0) / k * odds)


def _invert(rng, units, none_table, ratio) -> np.ndarray:
    """Inverse-transform sampling: the count is the number of cumulative probabilities the
    uniform draw lies at or above. ``ratio(k, rows)`` is P(k) / P(k - 1) for those rows."""
    u = rng.random(units.shape)
    p0 = none_table[units]
    out = np.zeros(units.shape, dtype=np.int64)
    hit = np.flatnonzero(u >= p0)
    if len(hit) == 0:
        return out
    u_h = u.ravel()[hit]
    term = p0.ravel()[hit]
    cdf = term.copy()
    k = np.zeros(len(hit), dtype=np.int64)
    for j in range(1, _MAX_TERMS):
        more = u_h >= cdf
        if not more.any():
            break
        term = term * ratio(j, hit)
        cdf = cdf + term
        # a binomial cannot exceed its trials, whatever rounding leaves in the last term
        k += more & (term > 0)
    out.ravel()[hit] = k
    return out
