"""The goods market's price search finds exactly the prices of plain bisection."""

from __future__ import annotations

import numpy as np
import pytest

from model.markets import price_search
from model.markets.price_search import EXACT_STEPS, HIGHEST, LOWEST


def plain_bisection(supply, local, external, price_level, eps, iterations):
    """Bisection over the arrays, one halving a round until no bracket changes."""
    lo = np.full(len(supply), LOWEST)
    hi = np.full(len(supply), HIGHEST)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        p = np.exp(mid)
        excess = local + external * p ** (1 - eps) - price_level * p * supply
        new_lo = np.where(excess > 0, mid, lo)
        new_hi = np.where(excess > 0, hi, mid)
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            break
        lo, hi = new_lo, new_hi
    return np.exp(0.5 * (lo + hi))


def markets(rng, count):
    for _ in range(count):
        n = int(rng.integers(1, 12))
        supply = rng.lognormal(0, 2, n) * rng.choice([0.0, 1.0], n, p=[0.1, 0.9])
        local = rng.lognormal(0, 2, n) * rng.choice([0.0, 1.0], n, p=[0.05, 0.95])
        external = rng.lognormal(0, 2, n) * rng.choice([0.0, 1.0], n, p=[0.05, 0.95])
        eps = rng.choice([1.0, 1.5, 2.0, 3.0, 6.0], n) + rng.choice([0.0, 0.37], n)
        price_level = float(rng.uniform(0.8, 1.6))
        yield np.maximum(supply, 1e-9), local, external, price_level, eps


@pytest.mark.parametrize("iterations", [80, 60, 49, 48, 47, 12, 1, 0])
def test_array_search_gives_plain_bisection_to_the_last_bit(iterations):
    rng = np.random.default_rng(7)
    for market in markets(rng, 300):
        expected = plain_bisection(*market, iterations)
        found = price_search._clear_prices_as_arrays(*market, iterations)
        assert found.tobytes() == expected.tobytes()


def test_array_search_at_the_city_scale_of_numbers():
    """Nine sectors of hundreds of millions of yuan, as in a run."""
    rng = np.random.default_rng(3)
    eps = np.array([4.0, 6.0, 3.0, 6.0, 6.0, 2.0, 3.0, 1.5, 2.0])
    for _ in range(300):
        supply = rng.lognormal(19, 1, 9)
        demand = supply * rng.lognormal(0, 0.3, 9)
        local = demand * rng.uniform(0, 1, 9)
        external = demand - local
        price_level = float(rng.uniform(0.9, 1.4))
        market = supply, local, external * price_level, price_level, eps
        assert (
            price_search._clear_prices_as_arrays(*market, 80).tobytes()
            == plain_bisection(*market, 80).tobytes()
        )


def test_a_good_guess_checks_most_steps_at_once_and_a_bad_one_none_wrongly(monkeypatch):
    supply, local, external = np.array([2.0, 3.0]), np.array([1.0, 2.5]), np.array([1.5, 0.2])
    eps, exponent = np.array([3.0, 1.5]), np.array([-2.0, -0.5])
    lo, hi, done = price_search._checked_start(supply, local, external, 1.1, exponent, 80)
    assert done >= EXACT_STEPS - 2
    assert np.all(hi - lo == (HIGHEST - LOWEST) / 2.0**done)
    # from the bracket left, the step-by-step search ends where plain bisection ends
    assert (
        price_search._clear_prices_as_arrays(supply, local, external, 1.1, eps, 80).tobytes()
        == plain_bisection(supply, local, external, 1.1, eps, 80).tobytes()
    )
    # guesses on the wrong side (the first sector's excess at price 1 is 0.3, the second's
    # -0.6): the first step already differs, and is taken as bisection takes it
    monkeypatch.setattr(price_search, "_guess_log_price", lambda *args: np.array([-11.0, 11.0]))
    lo, hi, done = price_search._checked_start(supply, local, external, 1.1, exponent, 80)
    assert done == 1
    assert lo.tolist() == [0.0, -12.0] and hi.tolist() == [12.0, 0.0]
    assert (
        price_search._clear_prices_as_arrays(supply, local, external, 1.1, eps, 80).tobytes()
        == plain_bisection(supply, local, external, 1.1, eps, 80).tobytes()
    )


def test_exact_steps_midpoints_are_those_of_halving_one_step_at_a_time():
    """Up to EXACT_STEPS every midpoint is exact, so the cell arithmetic of the checked
    start gives the same doubles as 0.5 * (lo + hi) step by step."""
    rng = np.random.default_rng(1)
    edges = [0.0, 1e-300, -1e-17, 11.999999999, -11.999999999, 8.0, -8.0, 4.000001]
    for target in np.concatenate((rng.uniform(LOWEST, HIGHEST, 300), edges)):
        lo, hi = LOWEST, HIGHEST
        cell = min(int((target - LOWEST) * (2.0**EXACT_STEPS / 24)), 2**EXACT_STEPS - 1)
        for step in range(1, EXACT_STEPS + 1):
            mid = 0.5 * (lo + hi)
            parent = cell >> (EXACT_STEPS - step + 1)
            written = float(2 * parent + 1 - 2 ** (step - 1)) * ((HIGHEST - LOWEST) / 2.0**step)
            assert written == mid and np.signbit(written) == np.signbit(mid)
            assert lo < mid < hi
            if (cell >> (EXACT_STEPS - step)) & 1:
                lo = mid
            else:
                hi = mid


def test_numpy_exp_and_power_do_not_depend_on_where_a_value_sits():
    """The checked start evaluates many rows in one call; each value must come out as it
    does in a row of its own (numpy's SIMD loops work lane by lane)."""
    rng = np.random.default_rng(2)
    x = rng.uniform(-12, 12, (257, 9))
    exponent = -rng.choice([0.0, 0.5, 1.0, 2.0, 5.0, 5.37], 9)
    p = np.exp(x)
    powered = p**exponent
    for row in range(len(x)):
        alone = np.exp(x[row].copy())
        assert alone.tobytes() == p[row].tobytes()
        assert (alone**exponent).tobytes() == powered[row].tobytes()


@pytest.mark.skipif(not price_search._LIBM_LOOPS, reason="numpy's own AVX-512 loops: arrays only")
@pytest.mark.parametrize("iterations", [80, 12])
def test_price_search_in_plain_floats_gives_the_array_search_to_the_last_bit(iterations):
    """Where numpy's loops are the C library's the search runs sector by sector in plain
    floats; it must find exactly the prices bisection over arrays finds."""
    rng = np.random.default_rng(5)
    for supply, local, external, price_level, eps in markets(rng, 200):
        plain = price_search.clear_prices(supply, local, external, price_level, eps, iterations)
        arrays = plain_bisection(supply, local, external, price_level, eps, iterations)
        assert plain.tobytes() == arrays.tobytes()
