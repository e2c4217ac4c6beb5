"""Double-entry accounts of the city's money flows, and the invariants checked each quarter.

Institutional sectors: households, firms, government (zones and city), banks, village
collectives and the rest of the world. Every payment goes through :meth:`Ledger.pay`, which
debits the payer and credits the receiver, so every yuan paid is received by someone. The
stock-flow check then compares each sector's change in financial net worth, computed from
the agents' own stocks, with its recorded net flows.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

HOUSEHOLDS, FIRMS, GOVERNMENT, BANKS, COLLECTIVES, REST_OF_WORLD = range(6)
SECTOR_NAMES = ["households", "firms", "government", "banks", "collectives", "rest_of_world"]
REVALUED = -1  # the other end of a revaluation in the ledger's pairs


class InvariantError(AssertionError):
    """An accounting identity or conservation law failed: a model bug, not a user error."""


class Ledger:
    def __init__(self) -> None:
        # each sector's net flows and revaluations in plain floats: a payment adds to them
        # thousands of times a run, and a list's float is several times quicker to update
        # than an array's element (the same double arithmetic)
        self._net = [0.0] * len(SECTOR_NAMES)
        self._revaluation = [0.0] * len(SECTOR_NAMES)
        self.flows: dict[str, float] = defaultdict(float)
        # (kind, payer, receiver) -> amount: the quarter's transaction-flow matrix
        self.pairs: dict[tuple[str, int, int], float] = defaultdict(float)

    @property
    def net(self) -> np.ndarray:
        """Each sector's net flows this quarter (received less paid), yuan: a copy."""
        return np.array(self._net)

    @property
    def revaluation(self) -> np.ndarray:
        """Each sector's revaluations this quarter, yuan: a copy."""
        return np.array(self._revaluation)

    def pay(self, payer: int, receiver: int, amount: float, kind: str) -> None:
        amount = float(amount)
        if not math.isfinite(amount):
            raise InvariantError(f"payment {kind} is not finite: {amount}")
        if amount < 0:
            payer, receiver, amount = receiver, payer, -amount
        net = self._net
        net[payer] -= amount
        net[receiver] += amount
        self.flows[kind] += amount
        self.pairs[(kind, payer, receiver)] += amount

    def revalue(self, sector: int, amount: float, kind: str) -> None:
        """A change of net worth with no counterpart flow (a loan written off, say)."""
        amount = float(amount)
        self._revaluation[sector] += amount
        self.flows[kind] += amount
        # (a revaluation has no counterpart: it is kept with REVALUED as the other end)
        self.pairs[(kind, sector, REVALUED)] += amount

    def reset(self) -> None:
        self._net = [0.0] * len(SECTOR_NAMES)
        self._revaluation = [0.0] * len(SECTOR_NAMES)
        self.flows = defaultdict(float)
        self.pairs = defaultdict(float)

    def flow_table(self) -> list[tuple[str, str, str, float]]:
        """The quarter's payments as (kind, payer, receiver, yuan); a revaluation (a loan
        written off) has the sector as payer, ``"revaluation"`` as receiver and the change of
        the sector's net worth as the amount."""
        return [
            (
                kind,
                SECTOR_NAMES[payer],
                "revaluation" if receiver == REVALUED else SECTOR_NAMES[receiver],
                amount,
            )
            for (kind, payer, receiver), amount in self.pairs.items()
        ]


def check_stock_flow(
    before: np.ndarray,
    after: np.ndarray,
    ledger: Ledger,
    sectors: tuple[int, ...],
    rtol: float = 1e-7,
) -> None:
    """Each listed sector's change in net worth equals its net flows plus revaluations."""
    net, revaluation = ledger.net, ledger.revaluation
    if abs(net.sum()) > 1e-6 * max(1.0, np.abs(net).sum()):
        raise InvariantError(f"payments do not balance: {net.sum()}")
    for s in sectors:
        change = after[s] - before[s]
        expected = net[s] + revaluation[s]
        scale = max(1.0, abs(before[s]), abs(after[s]), abs(expected))
        if abs(change - expected) > rtol * scale:
            raise InvariantError(
                f"{SECTOR_NAMES[s]}: net worth changed by {change:.6g} but flows say {expected:.6g}"
            )


def check_finite_nonnegative(name: str, values: np.ndarray) -> None:
    if not np.all(np.isfinite(values)):
        raise InvariantError(f"{name} has NaN or infinite values")
    if np.any(values < -1e-6 * max(1.0, float(np.abs(values).max(initial=0)))):
        raise InvariantError(f"{name} has negative values (min {values.min():.6g})")
