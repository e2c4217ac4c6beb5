"""Counting draws for rare events over many households at once.

Births, deaths, retirements and young people starting work happen to a few households in a
quarter and not at all to the rest. Drawing each of those counts for every household costs a
pass over the whole city per event type, for mostly zeros. :func:`household_events` instead
draws one uniform number per household against its chance that nothing at all happens (a
product of small tables indexed by its head counts), and only for the few households where
something does, draws what it is, conditioned on there being at least one event. The joint
distribution of the four counts is exactly that of drawing them one after another, as the
rules state them; only the random stream differs. ``tests/test_mechanisms.py`` compares the
two by simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_MAX_TERMS = 80  # the inversion stops here; the tail beyond is below double precision
_LARGE_MEAN = 10.0  # above this mean, draw-and-reject is quicker than the inversion
_TABLE_UP_TO = 32  # households of up to this many persons: chances looked up in one table


@dataclass
class Events:
    """The quarter's events for the households ``rows`` (all others have none)."""

    rows: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    retire: np.ndarray  # workers who retire
    enter: np.ndarray  # young people who start work
    d_old: np.ndarray  # deaths among the elderly
    d_work: np.ndarray  # deaths among workers


def household_events(
    rng: np.random.Generator,
    size: np.ndarray,
    workers: np.ndarray,
    elderly: np.ndarray,
    birth_rate: float,
    death_rate: float,
    retire_rate: float,
    entry_rate: float,
) -> Events:
    """One quarter of births and deaths (Poisson, per person), then retirements (binomial,
    per surviving worker) and starts (binomial, per young person including the newborn).

    Deaths are capped at the people there are and fall on the elderly first, then the young,
    then workers. Rates are per person and quarter; head counts are integer arrays.
    """
    for name, value in (("birth", birth_rate), ("death", death_rate)):
        if value < 0:
            raise ValueError(f"{name} rate {value} is negative")
    for name, value in (("retirement", retire_rate), ("entry", entry_rate)):
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{name} probability {value} outside [0, 1)")
    others = size - elderly - workers  # the young
    top = int(size.max()) + 1 if size.size else 1
    calm_bd, calm_r, calm_e, table = _calm_tables(
        birth_rate, death_rate, retire_rate, entry_rate, top
    )
    nothing = _chance_of_nothing(calm_bd, calm_r, calm_e, size, workers, others, table)
    rows = (rng.random(len(nothing)) >= nothing).nonzero()[0]
    m = len(rows)
    s = size[rows].astype(np.int64)
    wk = workers[rows].astype(np.int64)
    el = elderly[rows].astype(np.int64)
    ot = others[rows].astype(np.int64)
    births = np.zeros(m, dtype=np.int64)
    deaths = np.zeros(m, dtype=np.int64)
    retire = np.zeros(m, dtype=np.int64)
    enter = np.zeros(m, dtype=np.int64)
    # something happens: no birth nor death (so a retirement or a start) with chance
    # P(no birth or death) P(some retirement or start) / P(something)
    a = calm_bd[s]
    c = calm_r[wk] * calm_e[ot]
    with np.errstate(invalid="ignore", divide="ignore"):
        quiet = rng.random(m) < np.where(a * c < 1.0, a * (1.0 - c) / (1.0 - a * c), 0.0)
    loud = (~quiet).nonzero()[0]
    quiet = quiet.nonzero()[0]
    # at least one birth or death: their total, then which of them are births
    if len(loud):
        total = positive_poisson(rng, (birth_rate + death_rate) * s[loud])
        births[loud] = rng.binomial(total, birth_rate / (birth_rate + death_rate))
        deaths[loud] = np.minimum(total - births[loud], s[loud] + births[loud])
    d_old = np.minimum(deaths, el)
    d_young = np.minimum(deaths - d_old, ot + births)
    d_work = deaths - d_old - d_young
    young = np.maximum(ot + births - d_young, 0)
    if len(loud):
        retire[loud] = rng.binomial(wk[loud] - d_work[loud], retire_rate)
        enter[loud] = rng.binomial(young[loud], entry_rate)
    # no birth nor death: at least one retirement or start
    if len(quiet):
        cr, ce = calm_r[wk[quiet]], calm_e[ot[quiet]]
        with np.errstate(invalid="ignore", divide="ignore"):
            p_retire = np.where(cr * ce < 1.0, (1.0 - cr) / (1.0 - cr * ce), 0.0)
        retiring = rng.random(len(quiet)) < p_retire
        r_rows, e_rows = quiet[retiring], quiet[~retiring]
        retire[r_rows] = positive_binomial(rng, wk[r_rows], retire_rate)
        enter[r_rows] = rng.binomial(young[r_rows], entry_rate)
        enter[e_rows] = positive_binomial(rng, young[e_rows], entry_rate)
    return Events(rows, births, deaths, retire, enter, d_old, d_work)


@lru_cache(maxsize=32, typed=True)
def _calm_tables(
    birth_rate: float, death_rate: float, retire_rate: float, entry_rate: float, top: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Chance of no event, by head count ``k < top``: no birth nor death among k people,
    no retirement among k workers, no start among k young; and the table of their products
    that :func:`_chance_of_nothing` looks up (None for households too large for one). The
    rates stay the same all run: worked out once for each set (read-only, shared)."""
    k = np.arange(top)
    calm_bd = np.exp(-(birth_rate + death_rate) * k)
    calm_r = (1.0 - retire_rate) ** k
    calm_e = (1.0 - entry_rate) ** k
    table = None
    if top <= _TABLE_UP_TO:
        table = _product_table(calm_bd, calm_r, calm_e)
    for shared in (calm_bd, calm_r, calm_e, table):
        if shared is not None:
            shared.setflags(write=False)
    return calm_bd, calm_r, calm_e, table


def _product_table(calm_bd: np.ndarray, calm_r: np.ndarray, calm_e: np.ndarray) -> np.ndarray:
    """``calm_bd[i] * calm_r[j] * calm_e[k]`` at ``[i, j, k]``, multiplied in that order."""
    return (calm_bd[:, None] * calm_r[None, :])[:, :, None] * calm_e[None, None, :]


def _chance_of_nothing(
    calm_bd: np.ndarray,
    calm_r: np.ndarray,
    calm_e: np.ndarray,
    size: np.ndarray,
    workers: np.ndarray,
    young: np.ndarray,
    table: np.ndarray | None = None,
) -> np.ndarray:
    """``calm_bd[size] * calm_r[workers] * calm_e[young]`` for every household. Head counts
    are a few small numbers: the products are formed once for each combination, in the same
    order, and looked up with one index instead of three (counts outside the tables, which
    a valid household never has, go the long way and fail or wrap as before). ``table``:
    those products if already formed (:func:`_calm_tables`)."""
    top = len(calm_bd)
    counts = (size, workers, young)
    if (
        len(size) == 0
        or top > _TABLE_UP_TO
        or min(c.min() for c in counts) < 0
        or max(c.max() for c in counts) >= top
    ):
        return calm_bd.take(size) * calm_r.take(workers) * calm_e.take(young)
    if table is None:
        table = _product_table(calm_bd, calm_r, calm_e)
    cell = size.astype(np.intp)
    cell *= top
    cell += workers
    cell *= top
    cell += young
    return table.ravel().take(cell)


def positive_poisson(rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
    """Poisson counts with the given means, conditioned on being at least 1."""
    mean = np.asarray(mean, dtype=np.float64)
    if (mean <= 0).any():
        raise ValueError("a count conditioned on being positive needs a positive mean")
    out = np.empty(mean.shape, dtype=np.int64)
    large = mean > _LARGE_MEAN
    if large.any():  # (seldom: drawing nothing draws no random number either)
        out[large] = _redraw_zeros(lambda idx: rng.poisson(mean[large][idx]), int(large.sum()))
    small = (~large).nonzero()[0]
    if len(small):
        lam = mean[small]
        out[small] = _invert_positive(rng, np.exp(-lam), lambda j: lam / j)
    return out


def positive_binomial(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """Binomial counts of ``n`` trials (each >= 1), conditioned on being at least 1."""
    n = np.asarray(n, dtype=np.int64)
    if (n < 1).any() or not 0.0 < p < 1.0:
        raise ValueError("a count conditioned on being positive needs n >= 1 and 0 < p < 1")
    out = np.empty(n.shape, dtype=np.int64)
    large = n * p > _LARGE_MEAN
    if large.any():  # (seldom: drawing nothing draws no random number either)
        out[large] = _redraw_zeros(lambda idx: rng.binomial(n[large][idx], p), int(large.sum()))
    small = (~large).nonzero()[0]
    if len(small):
        trials = n[small]
        odds = p / (1.0 - p)
        out[small] = _invert_positive(
            rng, (1.0 - p) ** trials, lambda j: np.maximum(trials - j + 1, 0) / j * odds
        )
    return out


def _redraw_zeros(draw, m: int) -> np.ndarray:
    """Draw ``m`` counts, drawing again those that came out 0 (for large means: few)."""
    out = draw(np.arange(m))
    zero = (out == 0).nonzero()[0]
    while len(zero):
        out[zero] = draw(zero)
        zero = zero[out[zero] == 0]
    return out


def _invert_positive(rng, p0: np.ndarray, ratio) -> np.ndarray:
    """Inverse-transform sampling above 0: a uniform draw in [P(0), 1) and the number of
    cumulative probabilities it lies at or above. ``ratio(k)`` is P(k) / P(k - 1)."""
    u = p0 + (1.0 - p0) * rng.random(len(p0))
    term = p0.copy()
    cdf = p0.copy()
    k = np.zeros(len(p0), dtype=np.int64)
    for j in range(1, _MAX_TERMS):
        more = u >= cdf
        if not more.any():
            break
        term = term * ratio(j)
        cdf = cdf + term
        # a binomial cannot exceed its trials, whatever rounding leaves in the last term
        k += more & (term > 0)
    return np.maximum(k, 1)
