"""The year-end distribution and the quarters' household sums worked out beside the quarters
(``model/background.py``): the same rows, in the same order, from inputs that the next
quarters cannot change."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from model import background, distribution, household_records
from model.background import InOrder, OneThread
from model.model import ReformModel
from model.scenario import Scenario


def test_results_come_in_the_order_the_work_was_handed_in() -> None:
    gate = threading.Event()

    def slow(value: int) -> int:
        gate.wait(5)
        return value

    for on_thread in (False, True):
        if not on_thread:
            gate.set()
        thread = OneThread() if on_thread else None
        kept = InOrder([-1], thread.pool if thread else None)
        assert kept.background is on_thread
        for value in range(5):
            kept.add(slow, value)
        gate.set()
        assert kept.results() == [-1, 0, 1, 2, 3, 4]
        kept.close()
        assert not kept.background
        kept.add(slow, 5)  # after close: made at once
        assert kept.results()[-1] == 5
        gate.clear()
        if thread is not None:
            thread.close()


def test_a_copy_holds_the_results_so_far_and_no_thread() -> None:
    import copy
    import pickle

    thread = OneThread()
    kept = InOrder([0], thread.pool)
    kept.add(abs, -1)
    for twin in (copy.deepcopy(kept), pickle.loads(pickle.dumps(kept))):
        assert twin.results() == [0, 1] and not twin.background
        twin.add(abs, -2)
        assert twin.results() == [0, 1, 2]
    assert kept.results() == [0, 1] and kept.background
    kept.close()
    thread.close()
    assert copy.deepcopy(thread).pool is None and thread.pool is None


def test_an_error_on_the_thread_is_raised_when_the_results_are_read() -> None:
    def fails(value: int) -> int:
        if value == 1:
            raise ValueError("bad year")
        return value

    thread = OneThread()
    kept = InOrder([], thread.pool)
    for value in range(3):
        kept.add(fails, value)
    for _ in range(2):  # the failed work stays, and fails again
        with pytest.raises(ValueError, match="bad year"):
            kept.results()
    assert kept._done == [0]
    with pytest.raises(ValueError, match="bad year"):
        kept.close()
    assert not kept.background  # the thread is left all the same

    # the next work handed in, once the failed work is over, raises it too
    kept = InOrder([], thread.pool)
    kept.add(fails, 1)
    kept._pending[0].exception()  # (wait until it has failed)
    with pytest.raises(ValueError, match="bad year"):
        kept.add(fails, 2)
    with pytest.raises(ValueError, match="bad year"):
        kept.close()
    thread.close()


def test_only_a_large_run_on_a_machine_with_a_second_core_uses_a_thread(monkeypatch) -> None:
    monkeypatch.setattr(background, "cores_available", lambda: 2)
    assert background.worth_a_thread(background.MIN_HOUSEHOLD_AGENTS)
    assert not background.worth_a_thread(background.MIN_HOUSEHOLD_AGENTS - 1)
    monkeypatch.setattr(background, "cores_available", lambda: 1)
    assert not background.worth_a_thread(10 * background.MIN_HOUSEHOLD_AGENTS)
    # the quarters' sums go to the thread unless the checks read each row at once; the years'
    # distribution unless the run keeps none; with neither there is no thread
    monkeypatch.setattr(background, "cores_available", lambda: 2)
    monkeypatch.setattr(background, "MIN_HOUSEHOLD_AGENTS", 0)
    scenario = Scenario().with_run(scale=400, end_year=2010, seed=1)
    for check in (True, False):
        for years in (True, False):
            model = ReformModel(scenario, check_invariants=check, distribution_rows=years)
            assert model._rows.background is not check
            assert model._year_ends.background is years
            assert (model._thread is not None) is (years or not check)
            model._close_beside()


def test_a_year_s_inputs_are_copies_the_next_quarters_cannot_change() -> None:
    model = ReformModel(Scenario().with_run(scale=400, end_year=2011, seed=3))
    for _ in range(3):  # (three quarters' incomes so far in the year)
        model.step()
    economy = model.economy
    before = distribution.year_columns(distribution.year_inputs(economy))
    inputs = distribution.year_inputs(economy)
    households, live = economy.households, economy.households.rows()
    for name in distribution.YEAR_COLUMNS:  # the tables change under the kept inputs
        column = getattr(households, name)[live]
        if column.dtype.kind == "f":
            column *= 1.5
        else:  # (rows' counts, zones and residence move to other rows)
            column[...] = np.roll(column, 1)
    after = distribution.year_columns(inputs)
    assert before.keys() == after.keys()
    for name, values in before.items():
        if isinstance(values, tuple):
            assert values == after[name], name
        else:
            assert np.array_equal(values, after[name]), name
    assert not np.isnan(before["gini"]).any()
    assert not np.array_equal(
        np.asarray(
            distribution.year_columns(distribution.year_inputs(economy))["income_per_capita_yuan"]
        ),
        np.asarray(before["income_per_capita_yuan"]),
    )


def same_sums(a: household_records.HouseholdSums, b: household_records.HouseholdSums) -> bool:
    """Every sum equal (arrays element by element)."""
    return all(
        np.array_equal(getattr(a, name), getattr(b, name))
        if isinstance(getattr(a, name), np.ndarray)
        else getattr(a, name) == getattr(b, name)
        for name in a.__dataclass_fields__
    )


def test_a_quarter_s_household_columns_are_copies_the_next_quarters_cannot_change() -> None:
    model = ReformModel(Scenario().with_run(scale=400, end_year=2011, seed=5))
    model.step()
    economy = model.economy
    disposable = np.linspace(1.0, 2.0, economy.households.n)
    employer_bin = np.zeros(economy.households.n, dtype=np.intp)
    copied = household_records.household_columns(economy, disposable, employer_bin, copy=True)
    viewed = household_records.household_columns(economy, disposable, employer_bin, copy=False)
    before = household_records.household_sums(copied)
    assert same_sums(before, household_records.household_sums(viewed))
    assert before.savings_yuan > 0 and before.disposable_zu.sum() > 0
    households, live = economy.households, economy.households.rows()
    for name in household_records.COLUMNS:  # the table changes under the kept columns
        column = getattr(households, name)[live]
        if column.dtype.kind == "f":
            column *= 1.5
        else:  # (workers, zones, jobs and registration move to other rows)
            column[...] = np.roll(column, 1)
    disposable *= 2
    assert same_sums(before, household_records.household_sums(copied))
    changed = household_records.household_sums(viewed)  # (the views see the change)
    assert changed.savings_yuan != before.savings_yuan
    assert not np.array_equal(changed.disposable_zu, before.disposable_zu)


def test_a_run_that_works_out_its_records_on_a_thread_gives_the_same_tables(monkeypatch) -> None:
    scenario = Scenario().with_run(scale=200, end_year=2013, seed=11)
    monkeypatch.setattr(background, "cores_available", lambda: 2)
    monkeypatch.setattr(background, "MIN_HOUSEHOLD_AGENTS", 10**9)
    at_once = ReformModel(scenario, check_invariants=False)
    assert not at_once._year_ends.background and not at_once._rows.background
    at_once.run()
    monkeypatch.setattr(background, "MIN_HOUSEHOLD_AGENTS", 0)
    beside = ReformModel(scenario, check_invariants=False)
    assert beside._year_ends.background and beside._rows.background
    for _ in range(9):  # two years and a quarter: their rows, read while the run goes on
        beside.step()
    assert len(beside.distribution_records) == 2
    assert len(beside.records) == 9 and None not in beside.records[-1].values()
    assert len(beside.zone_records) == 9 * len(beside.economy.zones)
    assert None not in beside.zone_records[-1].values()
    beside.run()
    assert not beside._year_ends.background and not beside._rows.background
    assert beside._thread is None  # the thread let go at the last quarter
    pd.testing.assert_frame_equal(beside.distribution_frame(), at_once.distribution_frame())
    pd.testing.assert_frame_equal(beside.quarterly_frame(), at_once.quarterly_frame())
    pd.testing.assert_frame_equal(beside.zone_frame(), at_once.zone_frame())
