"""Column tables: the storage behind every table-backed agent type.

Households, firms and villages are Mesa agents a user can inspect one at a time, but their
state lives in numpy columns so that markets and bulk decisions run over all of them at once
(the "tables" of a tables-and-systems design: each agent type's columns are declared beside
its rules in ``model/agents/``). Each agent owns one row.

Two ways of letting agents go. In a plain table a row whose agent has left is marked not
alive and never reused (firms: households point at their employer's row). A *compact* table
(households, the large one) moves its last rows into the holes, so its live rows are always
the first ``n``: bulk rules then work on views of whole columns (:meth:`Table.rows`) instead
of gathering them through an index. The agents of moved rows are told their new row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model import row_split


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
        if not values.keys() <= self.COLUMNS.keys():
            raise KeyError(f"unknown columns {sorted(values.keys() - self.COLUMNS.keys())}")
        if self.n + count > self._cap:
            self._grow(self.n + count)
        rows = np.arange(self.n, self.n + count)
        new = slice(self.n, self.n + count)
        # A plain table's rows from n on hold the zeros they were made with: rows are never
        # reused and growing copies only the first n. Only a compact table, whose moved rows
        # leave their old values past n, must write the columns not given.
        given = self.COLUMNS if self.COMPACT else values
        try:
            for name in given:
                getattr(self, name)[new] = values.get(name, 0)
        except BaseException:
            for name in given:  # (a value that does not fit: the rows go back to zeros)
                getattr(self, name)[new] = 0
            raise
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
        rows = np.asarray(rows, dtype=np.int64).ravel()
        empty = np.empty(0, dtype=np.int64)
        if not self.COMPACT:
            self.alive[rows] = False  # (a row named twice is marked twice: no harm)
            return empty, empty
        # rows in order, each once (rows found by a mask are so already: np.unique's sort
        # costs more than the check)
        if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
            rows = np.unique(rows)
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
        return self._cached("live", lambda: self.col("alive").nonzero()[0])

    def rows(self) -> slice:
        """All live rows of a compact table as a slice: indexing a column with it gives a
        view (no copy), and assigning through it writes in place."""
        if not self.COMPACT:
            raise TypeError("rows(): only a compact table keeps its live rows together")
        return slice(0, self.n)

    def live_columns(self, names, copy: bool) -> dict[str, np.ndarray]:
        """The live rows of a compact table's columns ``names``, by name: views, or
        (``copy``) copies that later changes to the table do not reach (what work on another
        thread must read: ``model/background.py``)."""
        live = self.rows()
        if not copy:
            return {name: getattr(self, name)[live] for name in names}
        copies = {name: np.empty(self.n, dtype=getattr(self, name).dtype) for name in names}

        def part(rows: slice) -> None:  # (a large table's rows on two cores: row_split.py)
            for name, copied in copies.items():
                copied[rows] = getattr(self, name)[rows]

        row_split.over_rows(self.n, part)
        return copies

    def where(self, mask: np.ndarray) -> np.ndarray:
        """Live rows where ``mask`` (over all ``n`` rows, e.g. ``col("job") == 1``) holds, in
        order: the same rows as ``live()[mask[live()]]`` without gathering the column."""
        if self.COMPACT:
            return mask.nonzero()[0]
        return (mask & self.col("alive")).nonzero()[0]

    def _cached(self, key: str, make) -> np.ndarray:
        rows = self._cache.get(key)
        if rows is None:
            rows = self._cache[key] = make()
            rows.flags.writeable = False
        return rows

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.COLUMNS)
