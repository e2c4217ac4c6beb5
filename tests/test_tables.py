"""Column tables: rows added, moved and grown for every column, whatever its dtype, and
copies and pickles that keep working on their own columns."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from model.agents.household import HouseholdTable
from model.tables import Table


class _Small(Table):
    COMPACT = True
    COLUMNS = {"alive": np.bool_, "x": np.float64, "k": np.int16, "y": np.float64, "b": np.int8}


def _fill(table: Table, count: int, start: int) -> np.ndarray:
    values = np.arange(start, start + count)
    return table.add(count, alive=True, x=values * 1.5, k=values, y=-values, b=values % 7)


def _columns(table: Table) -> dict[str, list]:
    return {name: table.col(name).tolist() for name in table.COLUMNS}


def test_rows_added_killed_and_grown_in_every_column() -> None:
    table = _Small(capacity=4)
    _fill(table, 10, 0)
    _fill(table, 30, 10)  # grows past the first capacity
    assert table.n == 40 and table._cap >= 40
    expected = {name: list(column) for name, column in _columns(table).items()}
    assert expected["k"] == list(range(40)) and expected["x"][39] == 58.5
    # the last live rows fill the holes, in every column; rows past n read as new
    moved_from, moved_to = table.kill(np.array([3, 38, 7]))
    assert moved_from.tolist() == [37, 39] and moved_to.tolist() == [3, 7]
    for name, column in expected.items():
        column[3], column[7] = column[37], column[39]
        assert _columns(table)[name] == column[:37]
    assert not table.alive[37:40].any()
    # new rows start at zero, the values given aside
    rows = table.add(3, alive=True, k=5)
    assert rows.tolist() == [37, 38, 39]
    assert table.x[37:40].tolist() == [0.0] * 3 and table.k[37:40].tolist() == [5] * 3
    assert table.b[37:40].tolist() == [0] * 3


def test_unsorted_or_repeated_rows_are_killed_once() -> None:
    table = _Small()
    _fill(table, 12, 0)
    table.kill(np.array([5, 1, 5, 11]))
    assert table.n == 9
    assert sorted(table.k[: table.n].tolist()) == [0, 2, 3, 4, 6, 7, 8, 9, 10]


def test_unknown_column_is_refused_before_any_row_is_added() -> None:
    table = _Small()
    _fill(table, 3, 0)
    with pytest.raises(KeyError, match="nope"):
        table.add(2, alive=True, nope=1.0)
    assert table.n == 3


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda t: pickle.loads(pickle.dumps(t))])
def test_a_copy_writes_its_own_columns(duplicate) -> None:
    table = HouseholdTable(capacity=40)
    table.add(15, alive=True, weight=np.arange(15.0), size=np.arange(15))
    twin = duplicate(table)
    twin.kill(np.array([0]))  # (within its capacity: the copy does not grow)
    twin.add(10, alive=True, weight=7.0, size=3)
    twin.savings_yuan[: twin.n] += 1.0
    assert twin.n == 24 and twin.weight[0] == 14.0 and twin.weight[14:24].tolist() == [7.0] * 10
    assert twin.size[0] == 14 and twin.savings_yuan[: twin.n].tolist() == [1.0] * 24
    # the original is as it was
    assert table.n == 15 and table.weight[:16].tolist() == [*range(15), 0.0]
    assert not table.savings_yuan.any()
    # and the copy's columns stay its own after it grows again
    twin.add(200, alive=True)
    twin.weight[: twin.n] = 2.0
    assert table.weight[:15].tolist() == list(map(float, range(15)))


class _Plain(Table):
    COLUMNS = {"alive": np.bool_, "x": np.float64, "k": np.int16}


def _past_n(table: Table) -> dict[str, bool]:
    """Whether each column holds only zeros from row n on."""
    return {name: not getattr(table, name)[table.n :].any() for name in table.COLUMNS}


def test_a_plain_table_writes_only_the_columns_given_and_new_rows_still_read_zero() -> None:
    table = _Plain(capacity=4)
    table.add(5, alive=True, x=np.arange(5.0) + 1, k=7)
    table.kill(np.array([1, 4]))
    with pytest.raises(ValueError):  # a value of the wrong length: nothing is left behind
        table.add(3, alive=True, x=np.ones(2))
    assert table.n == 5 and all(_past_n(table).values())
    rows = table.add(30, alive=True)  # grows
    assert rows.tolist() == list(range(5, 35)) and all(_past_n(table).values())
    assert not table.x[5:35].any() and not table.k[5:35].any()
    assert table.x[:5].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert table.live().tolist()[:3] == [0, 2, 3]


def test_after_a_run_the_plain_tables_hold_zeros_past_n() -> None:
    """Nothing a run does writes a firm or village row past n (which ``Table.add`` relies on
    to leave the columns not given as they are)."""
    from model.model import ReformModel
    from model.scenario import load_scenario

    scenario = load_scenario("scenarios/full_programme.toml").with_run(seed=3, end_year=2014)
    model = ReformModel(scenario)
    model.run()
    economy = model.economy
    assert economy.firms.n < economy.firms._cap  # (the villages may fill theirs)
    for table in (economy.firms, economy.villages):
        assert not table.COMPACT
        assert _past_n(table) == dict.fromkeys(table.COLUMNS, True)
