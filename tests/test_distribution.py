"""The distribution table: deciles, Gini and poverty exactly as if every person were counted
one by one, whatever the size of agents and the order of ties."""

from __future__ import annotations

import numpy as np
import pytest

from model.distribution import DECILES, decile_figures, gini


def agents(seed: int, count: int = 60):
    rng = np.random.default_rng(seed)
    income = np.sort(rng.lognormal(9.5, 0.6, count))
    income[10:14] = income[10]  # a run of ties
    persons = rng.integers(1, 9, count).astype(float) * 10  # whole persons, total / 10 whole
    wealth = rng.normal(20_000, 8_000, count)
    return income, persons, wealth


def decile_rows(income, persons, others):
    """The deciles' figures as ten rows."""
    figures = decile_figures(income, persons, others)
    return [{name: values[decile] for name, values in figures.items()} for decile in range(DECILES)]


def one_by_one(income, persons, wealth):
    """Every person a row of its own: deciles by sorting persons."""
    each_income = np.repeat(income, persons.astype(int))
    each_wealth = np.repeat(wealth, persons.astype(int))
    tenth = len(each_income) // DECILES
    rows = []
    for decile in range(DECILES):
        part = slice(decile * tenth, (decile + 1) * tenth)
        rows.append((each_income[part].mean(), each_wealth[part].mean(), each_income[part][-1]))
    n = len(each_income)
    lorenz = np.concatenate(([0.0], np.cumsum(each_income) / each_income.sum()))
    return rows, 1 - np.sum((lorenz[1:] + lorenz[:-1]) / n)


def test_deciles_and_gini_equal_counting_every_person() -> None:
    income, persons, wealth = agents(1)
    # with ties, persons of equal income share their wealth: the one-by-one count does too
    wealth[10:14] = np.average(wealth[10:14], weights=persons[10:14])
    rows = decile_rows(income, persons, {"wealth": wealth})
    expected, expected_gini = one_by_one(income, persons, wealth)
    assert len(rows) == DECILES
    for row, (mean_income, mean_wealth, upper) in zip(rows, expected, strict=True):
        assert row["income_per_capita_yuan"] == pytest.approx(mean_income, rel=1e-12)
        assert row["wealth"] == pytest.approx(mean_wealth, rel=1e-12)
        assert row["income_upper_yuan"] == pytest.approx(upper, rel=1e-12)
        assert row["persons"] == pytest.approx(persons.sum() / DECILES)
    assert gini(income, persons) == pytest.approx(expected_gini, rel=1e-12)


def test_figures_do_not_depend_on_agent_size_or_tie_order() -> None:
    income, persons, wealth = agents(2)
    base = decile_rows(income, persons, {"wealth": wealth})
    # every agent split in two halves of the same state
    halves = decile_rows(
        np.repeat(income, 2), np.repeat(persons / 2, 2), {"wealth": np.repeat(wealth, 2)}
    )
    # the tied agents in another order
    order = np.arange(len(income))
    order[10:14] = order[10:14][::-1]
    shuffled = decile_rows(income[order], persons[order], {"wealth": wealth[order]})
    for other in (halves, shuffled):
        for left, right in zip(base, other, strict=True):
            for key in left:
                assert left[key] == pytest.approx(right[key], rel=1e-12), key
    assert gini(np.repeat(income, 2), np.repeat(persons / 2, 2)) == pytest.approx(
        gini(income, persons), rel=1e-12
    )


def test_a_run_reports_the_distribution_of_every_year() -> None:
    from model.api import simulate
    from model.scenario import Scenario

    result = simulate(Scenario().with_run(scale=400, end_year=2012, seed=4))
    table = result.distribution
    groups = table.groupby(["year", "residence", "zone"]).size()
    assert set(groups) == {DECILES}
    assert len(groups) == 3 * 8  # years x (the city, urban, rural, five zones)
    city = table[(table.zone == "all") & (table.residence == "all") & (table.decile == 1)]
    # the persons counted are the year's residents
    annual = result.annual.set_index("year")
    assert city.set_index("year")["group_persons"].to_numpy() == pytest.approx(
        annual.loc[[2010, 2011, 2012], "population"].to_numpy(), rel=0.02
    )
    lines = city.set_index("year")["poverty_line_yuan"]
    assert lines[2010] == 1274.0 and lines[2011] == pytest.approx(2300.0 * city.cpi.iloc[1])
    assert ((city.gini > 0.1) & (city.gini < 0.7)).all()
    ordered = table.sort_values(["year", "residence", "zone", "decile"])
    rising = ordered.groupby(["year", "residence", "zone"])["income_per_capita_yuan"].apply(
        lambda column: bool(np.all(np.diff(column.to_numpy()) >= 0))
    )
    assert rising.all()
