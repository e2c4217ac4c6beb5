"""Goods market: one price per sector clears local spending and outside demand.

Local buyers (households, government, investment) spend fixed nominal amounts on each sector;
outside buyers demand ``external`` real units at relative price 1 with price elasticity
``eps``. The sector's price ``p`` solves ``P * p * S = L + E * p**(1 - eps)`` where ``S`` is
real supply, ``L`` local nominal spending and ``E = P * external``. Revenue ``P * p * S``
equals what buyers pay, to rounding error.
"""

from __future__ import annotations

import numpy as np


def clear_prices(
    supply: np.ndarray,
    local: np.ndarray,
    external_nominal: np.ndarray,
    price_level: float,
    eps: np.ndarray,
    iterations: int = 80,
) -> np.ndarray:
    """Relative price of each sector (1 = the 2010 relation of supply and demand)."""
    lo = np.full(len(supply), -12.0)
    hi = np.full(len(supply), 12.0)
    supply = np.maximum(supply, 1e-9)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        p = np.exp(mid)
        excess = local + external_nominal * p ** (1 - eps) - price_level * p * supply
        new_lo = np.where(excess > 0, mid, lo)
        new_hi = np.where(excess > 0, hi, mid)
        if np.array_equal(new_lo, lo) and np.array_equal(new_hi, hi):
            break  # a fixed point: every bracket is down to the last bit
        lo, hi = new_lo, new_hi
    return np.exp(0.5 * (lo + hi))


def external_spending(
    external_nominal: np.ndarray, price: np.ndarray, eps: np.ndarray
) -> np.ndarray:
    return external_nominal * price ** (1 - eps)
