"""The goods market's price search: the log price of each sector by bisection on
``[-12, 12]`` until each bracket is down to the last bit.

The result is the bracket plain bisection over numpy's arrays reaches. Where numpy's exp and
power are the C library's the search runs a sector at a time in plain floats; elsewhere it
checks the first halvings of all sectors in one pass and steps through the rest. Both keep
every midpoint and every comparison of plain bisection (``tests/test_price_search.py``
checks them against it).
"""

from __future__ import annotations

import math

import numpy as np

LOWEST, HIGHEST = -12.0, 12.0

# numpy's float64 ``exp`` and ``power`` loops call the C library's ``exp`` and ``pow``, as
# Python's ``math.exp`` and ``**`` do, except where numpy has AVX-512 versions of its own;
# there the price search keeps numpy's arrays so that results do not depend on the path.
# numpy 2.4 and later dispatch by groups (X86_V4 holds AVX-512; switched off by
# NPY_DISABLE_CPU_FEATURES, as tests/numerics.py does, while the processor's AVX512F flag
# still reads true); earlier versions by single features
_AVX512_GROUPS = ("X86_V4", "AVX512_SKX")
_AVX512_FEATURES = ("AVX512F", "AVX512_SKX")


def _numpy_loops_are_the_c_library() -> bool:
    umath = getattr(getattr(np, "_core", None), "_multiarray_umath", None)
    features = getattr(umath, "__cpu_features__", None)
    if features is None:
        return False
    names = _AVX512_GROUPS if "X86_V4" in features else _AVX512_FEATURES
    return not any(features.get(name) for name in names)


_LIBM_LOOPS = _numpy_loops_are_the_c_library()

# The first halvings of [-12, 12] are exact: every bound and midpoint of step i is a whole
# multiple of 24 / 2**i = 3 * 2**(3 - i) between -12 and 12, which a double holds exactly
# up to step 52 (as it holds the sum of two bounds, up to 24), and the midpoint always lies
# strictly inside its bracket, so no bracket stops shrinking before then. Up to this step
# the midpoints of any path can be written down at once, as such a multiple.
EXACT_STEPS = 52
_LEVELS = np.arange(EXACT_STEPS + 1)[:, None]
# a bracket of [-12, 12] halved this often is still wider than two doubles for any log
# price of more than 2**-8 (the prices of a run end after 63 to 75 halvings)
LOOK_FROM_STEP = 60
# rounds of Newton's method for the guess of each log price (from 0, about 1e-16 off)
GUESS_ROUNDS = 4


def clear_prices(
    supply: np.ndarray,
    local: np.ndarray,
    external_nominal: np.ndarray,
    price_level: float,
    eps: np.ndarray,
    iterations: int = 80,
) -> np.ndarray:
    """Relative price of each sector (1 = the 2010 relation of supply and demand): the
    price ``p`` where ``local + external_nominal * p**(1 - eps) = price_level * p * supply``,
    by bisection on the log price until the bracket is down to the last bit."""
    supply = np.maximum(supply, 1e-9)
    if not _LIBM_LOOPS:
        return _clear_prices_as_arrays(
            supply, local, external_nominal, price_level, eps, iterations
        )
    # a sector at a time in plain floats: the same operations in the same order as over
    # the arrays, without numpy's overhead on a handful of numbers (about 65 rounds)
    return np.array(
        [
            _bisect_log_price(float(price_level), *sector, iterations)
            for sector in zip(
                supply.tolist(),
                local.tolist(),
                external_nominal.tolist(),
                (1 - eps).tolist(),
                strict=True,
            )
        ]
    )


def _bisect_log_price(
    price_level: float,
    supply: float,
    local: float,
    external_nominal: float,
    exponent: float,
    iterations: int,
) -> float:
    exp = math.exp  # (a local name: looked up some 65 times a call)
    lo, hi = LOWEST, HIGHEST
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        p = exp(mid)
        excess = local + external_nominal * p**exponent - price_level * p * supply
        if excess > 0:
            if mid == lo:
                break  # a fixed point: the bracket is down to the last bit
            lo = mid
        else:
            if mid == hi:
                break
            hi = mid
    return exp(0.5 * (lo + hi))


def _clear_prices_as_arrays(supply, local, external_nominal, price_level, eps, iterations):
    """Bisection over the arrays of all sectors, its first ``EXACT_STEPS`` halvings checked
    in one pass (:func:`_checked_start`), the rest step by step.

    A sector's bracket stops changing once it is down to the last bit and then never changes
    again (the same midpoint gives the same excess), so the result is the bracket after
    ``iterations`` halvings whenever the loop stops; stopping when none changes only saves
    the idle rounds, and looking for that stop before it can come only costs time."""
    exponent = 1 - eps
    lo, hi, done = _checked_start(
        supply, local, external_nominal, price_level, exponent, iterations
    )
    for step in range(done, iterations):
        mid = 0.5 * (lo + hi)
        p = np.exp(mid)
        excess = local + external_nominal * p**exponent - price_level * p * supply
        up = excess > 0
        # the bound a sector would move is the midpoint already: nothing changes any more
        # (looked for only from the step where the brackets of a run's prices end)
        if step >= LOOK_FROM_STEP and (np.where(up, lo, hi) == mid).all():
            break
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return np.exp(0.5 * (lo + hi))


def _checked_start(supply, local, external_nominal, price_level, exponent, iterations):
    """The brackets after the first halvings of plain bisection, and how many they are.

    A guess of each log price gives the path bisection would take towards it; the excess at
    all its midpoints, computed at once, says where bisection would really go. Up to the
    first step where it goes elsewhere the path is bisection's own, and that step is taken
    as bisection takes it; a bad guess only leaves more steps to the loop."""
    steps = min(EXACT_STEPS, iterations)
    if steps == 0:
        return np.full(len(supply), LOWEST), np.full(len(supply), HIGHEST), 0
    guess = _guess_log_price(supply, local, external_nominal, price_level, 1 - exponent)
    # the guessed cell at the last level and, by shifting, at every level before it
    scale = 2.0**steps / (HIGHEST - LOWEST)
    cells = np.minimum(((guess - LOWEST) * scale).astype(np.int64), 2**steps - 1)
    levels = _LEVELS[: steps + 1]
    path = cells >> (steps - levels)
    width = (HIGHEST - LOWEST) / 2.0 ** levels[1:]  # of the cells of steps 1, 2, ...
    # the midpoint of step i is the middle of the cell of level i - 1: -12 plus 2c + 1 of
    # the step's widths, written as one whole multiple of the width (exact, see above)
    mid = (2 * path[:-1] + 1 - (1 << (levels[1:] - 1))) * width
    p = np.exp(mid)
    # (the exponent broadcast along each row: the power runs over a sector row at a time,
    # the same loop as the step-by-step search's)
    excess = local + external_nominal * p**exponent - price_level * p * supply
    up = excess > 0
    astray = (up != (path[1:] & 1).astype(bool)).any(axis=1)
    last = int(astray.argmax()) if astray.any() else steps - 1
    # the cell of level last + 1 that bisection is in, counted from the middle of [-12, 12]
    # so that its bounds are whole multiples of its width
    cell = 2 * path[last] + up[last] - (1 << last)
    return cell * width[last], (cell + 1) * width[last], last + 1


def _guess_log_price(supply, local, external_nominal, price_level, eps):
    """Newton's method on ``log(local e**-x + external e**(-eps x)) = log(price_level
    supply)`` (a convex curve falling with slope between -1 and -eps), from x = 0."""
    with np.errstate(all="ignore"):
        target = np.log(price_level * supply)
        x = np.zeros(len(supply))
        for _ in range(GUESS_ROUNDS):
            home = local * np.exp(-x)
            outside = external_nominal * np.exp(-eps * x)
            demand = home + outside
            x = x + (np.log(demand) - target) * demand / (home + eps * outside)
        # (within the bounds; fmax takes the bound for a nan)
        return np.fmin(np.fmax(x, LOWEST), HIGHEST)
