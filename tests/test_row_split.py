"""Passes over every household split between two cores (``model/row_split.py``): every row
once, errors raised, and a run whose rules are split gives the same tables to the last bit."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from model import row_split
from model.model import ReformModel
from model.scenario import Scenario


@pytest.fixture
def split_small(monkeypatch):
    """Split every pass, however small, into an odd number of uneven slices."""
    monkeypatch.setattr(row_split, "MIN_ROWS", 0)
    monkeypatch.setattr(row_split, "CHUNKS", 7)
    before = row_split.set_split(True)
    yield
    row_split.set_split(before)


@pytest.mark.parametrize("n", [0, 1, 6, 7, 100, 1001])
def test_every_row_is_handed_to_a_part_once(split_small, n) -> None:
    seen = np.zeros(n, dtype=int)
    threads = set()

    def part(rows: slice) -> None:
        threads.add(threading.get_ident())
        seen[rows] += 1

    row_split.over_rows(n, part)
    assert (seen == 1).all()
    assert threads  # (which threads took part depends on timing)


def test_small_tables_and_one_core_take_all_rows_at_once(monkeypatch) -> None:
    calls = []
    row_split.over_rows(row_split.MIN_ROWS - 1, calls.append)
    assert calls == [slice(0, row_split.MIN_ROWS - 1)]
    before = row_split.set_split(False)
    try:
        calls.clear()
        row_split.over_rows(10 * row_split.MIN_ROWS, calls.append)
        assert calls == [slice(0, 10 * row_split.MIN_ROWS)]
    finally:
        row_split.set_split(before)


def test_an_error_in_a_part_is_raised(split_small) -> None:
    def part(rows: slice) -> None:
        if rows.start > 0:
            raise ValueError("a part failed")

    with pytest.raises(ValueError, match="a part failed"):
        row_split.over_rows(1000, part)


def test_a_run_whose_rules_are_split_gives_the_same_tables(split_small) -> None:
    scenario = Scenario().with_run(scale=200, end_year=2013, seed=5)
    row_split.set_split(False)
    whole = ReformModel(scenario, check_invariants=False).run()
    row_split.set_split(True)
    split = ReformModel(scenario, check_invariants=False).run()
    pd.testing.assert_frame_equal(split.quarterly_frame(), whole.quarterly_frame())
    pd.testing.assert_frame_equal(split.zone_frame(), whole.zone_frame())
    pd.testing.assert_frame_equal(split.distribution_frame(), whole.distribution_frame())
    households = (split.economy.households, whole.economy.households)
    assert households[0].n == households[1].n
    for name in households[0].COLUMNS:
        assert np.array_equal(households[0].col(name), households[1].col(name)), name
