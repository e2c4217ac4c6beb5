"""Column stores behind the agents.

Households and firms are Mesa agents a user can inspect one at a time, but their state lives
in numpy columns so that markets and bulk decisions run over all of them at once. Each agent
owns one row.

Two ways of letting agents go. In a plain table a row whose agent has left is marked not
alive and never reused (firms: households point at their employer's row). A *compact* table
(households, the large one) moves its last rows into the holes, so its live rows are always
the first ``n``: bulk rules then work on views of whole columns (:meth:`Table.rows`) instead
of gathering them through an index. The agents of moved rows are told their new row.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Table:
    """A growable struct of arrays. Subclasses declare ``COLUMNS = {name: dtype}``."""

    COLUMNS: dict[str, Any] = {}
    COMPACT = False  # move the last rows into the holes left by agents that go

    def __init__(self, capacity: int = 16):
        self.n = 0
        self._cap = max(16, capacity)
        self._cache: dict[str, np.ndarray] = {}  # row indices derived from ``alive``
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(self._cap, dtype=dtype))

    def __len__(self) -> int:
        return self.n

    def add(self, count: int, **values: Any) -> np.ndarray:
        """Append ``count`` rows with the given column values; returns their row numbers."""
        if count <= 0:
            return np.empty(0, dtype=np.int64)
        if self.n + count > self._cap:
            self._grow(self.n + count)
        rows = np.arange(self.n, self.n + count)
        new = slice(self.n, self.n + count)
        for name in self.COLUMNS:
            getattr(self, name)[new] = values.pop(name, 0)
        if values:
            raise KeyError(f"unknown columns {sorted(values)}")
        self.n += count
        self._cache.clear()
        return rows

    def kill(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Let the rows' agents go. A plain table marks the rows not alive; a compact one
        moves its last live rows into the holes. Returns (moved_from, moved_to): the rows
        whose content now lives elsewhere (empty for a plain table).

        In a compact table, row numbers taken before the call are stale after it.
        """
        self._cache.clear()
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        empty = np.empty(0, dtype=np.int64)
        if not self.COMPACT:
            self.alive[rows] = False
            return empty, empty
        if len(rows) == 0:
            return empty, empty
        if rows[-1] >= self.n or rows[0] < 0:
            raise IndexError("kill: row out of range")
        new_n = self.n - len(rows)
        holes = rows[rows < new_n]
        tail = np.arange(new_n, self.n)
        gone = np.zeros(len(tail), dtype=bool)
        gone[rows[rows >= new_n] - new_n] = True
        movers = tail[~gone]
        for name in self.COLUMNS:
            col = getattr(self, name)
            col[holes] = col[movers]
        self.alive[new_n : self.n] = False
        self.n = new_n
        return movers, holes

    def _grow(self, need: int) -> None:
        cap = self._cap
        while cap < need:
            cap = int(cap * 1.5) + 16
        for name in self.COLUMNS:
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)
        self._cap = cap

    def col(self, name: str) -> np.ndarray:
        """A view of the first ``n`` rows of a column."""
        return getattr(self, name)[: self.n]

    def live(self) -> np.ndarray:
        """Row numbers of the live rows, in order (read-only: it is cached until rows are
        added or killed, which is why ``alive`` must change only through :meth:`kill`)."""
        if self.COMPACT:
            return self._cached("live", lambda: np.arange(self.n))
        return self._cached("live", lambda: np.flatnonzero(self.col("alive")))

    def rows(self) -> slice:
        """All live rows of a compact table as a slice: indexing a column with it gives a
        view (no copy), and assigning through it writes in place."""
        if not self.COMPACT:
            raise TypeError("rows(): only a compact table keeps its live rows together")
        return slice(0, self.n)

    def where(self, mask: np.ndarray) -> np.ndarray:
        """Live rows where ``mask`` (over all ``n`` rows, e.g. ``col("job") == 1``) holds, in
        order: the same rows as ``live()[mask[live()]]`` without gathering the column."""
        if self.COMPACT:
            return np.flatnonzero(mask)
        return np.flatnonzero(mask & self.col("alive"))

    def _cached(self, key: str, make) -> np.ndarray:
        rows = self._cache.get(key)
        if rows is None:
            rows = self._cache[key] = make()
            rows.flags.writeable = False
        return rows

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.COLUMNS)


# Job codes of a household's workers.
UNEMPLOYED, FIRM_JOB, OWN_FARM, OWN_BUSINESS, COMMUTE_WUHAN, PUBLIC_JOB, NO_WORKERS = range(7)
JOB_NAMES = ["unemployed", "firm", "own_farm", "own_business", "commute_wuhan", "public", "none"]


class HouseholdTable(Table):
    COMPACT = True
    COLUMNS = {
        "alive": np.bool_,
        "weight": np.float64,  # real households this agent stands for
        "zone": np.int8,
        "urban": np.bool_,  # lives in town
        "rural_hukou": np.bool_,  # registered as rural
        "collective": np.int32,  # village collective (rural registration), else -1
        "size": np.int16,  # persons
        "workers": np.int16,
        "elderly": np.int16,
        "skill": np.int8,
        "job": np.int8,
        "employer": np.int32,  # firm row, -1 if none
        "wage_yuan": np.float64,  # annual wage per worker in the current job
        "land_mu": np.float64,  # contracted farmland
        "land_out_mu": np.float64,  # of which rented out
        "homestead_mu": np.float64,
        "savings_yuan": np.float64,
        "debt_yuan": np.float64,
        "farm_tfp": np.float64,  # household-specific farming productivity
        "recruit": np.bool_,  # came through the talent programme
        # flows of the last quarter, yuan
        "inc_wages": np.float64,
        "inc_farming": np.float64,
        "inc_business": np.float64,
        "inc_property": np.float64,  # land rent, dividends, firm profits
        "inc_compensation": np.float64,
        "inc_transfers": np.float64,
        "taxes": np.float64,
        "consumption": np.float64,
        "housing_spend": np.float64,
    }


class FirmTable(Table):
    COLUMNS = {
        "alive": np.bool_,
        "weight": np.float64,  # real firms this agent stands for
        "giant": np.bool_,  # one of the two works that dominate heavy industry
        "sector": np.int8,
        "zone": np.int8,
        "capital_yuan": np.float64,  # per real firm
        "tfp": np.float64,
        "beta": np.float64,  # labour elasticity (its 2010 wage-bill share of value added)
        "land_mu": np.float64,  # per real firm: construction land it holds
        "leased_farmland_mu": np.float64,  # per real firm: farmland rented from households
        "debt_yuan": np.float64,  # per real firm
        "cash_yuan": np.float64,  # per real firm
        "energy_intensity": np.float64,  # multiple of the sector's 2010 intensity
        "emission_intensity": np.float64,
        "clean_tech": np.float64,  # share of emissions abated
        "loss_q": np.int32,  # consecutive quarters with losses
        "born_q": np.int32,
        "labour_eff": np.float64,  # effective workers per real firm (from the labour market)
        "workers": np.float64,  # workers per real firm
        "wage_bill": np.float64,  # per real firm, last quarter
        "supply": np.float64,  # real value added capacity per real firm this quarter
        "va_yuan": np.float64,  # per real firm, last quarter
        "profit_yuan": np.float64,  # per real firm, last quarter, after interest and taxes
        "sales_year": np.float64,  # sales in the current year so far, per real firm
        "sales_last_year": np.float64,
        "investment_yuan": np.float64,  # per real firm, last quarter
        "entrant_capital": np.float64,  # capital a new firm buys in its first quarter (real)
        "audited": np.bool_,  # has had a clean-production audit
        "downtime_share": np.float64,  # share of this quarter's capacity lost to a stoppage
        "fund_equity_yuan": np.float64,  # per real firm: held by the guidance fund
        "collective_land_mu": np.float64,  # per real firm: of land_mu, leased from villages
    }


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
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, target, side="right"))
    if k < len(candidates):
        before = cum[k - 1] if k > 0 else 0.0
        if rng.random() < (target - before) / sizes[k]:
            k += 1
    return candidates[:k]
