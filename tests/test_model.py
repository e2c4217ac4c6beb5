"""The whole model: calibration, invariants, determinism, independence from agent scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.api import Simulation, simulate
from model.calibration import load_parameters, target
from model.calibration.incomes import income_targets_2010
from model.indicators import ANNUAL_COLUMNS
from model.scenario import Scenario

SEEDS = list(range(1, 11))
# rural income per head varies about 2.6% from seed to seed at scale 100 (2010), so ten seeds
# leave its mean 0.8% uncertain: twenty there (seeds 1-10 alone give -2.5% against the
# target, seeds 11-30 +0.4%); a run at scale 10 varies a third as much and costs ten times more
SEEDS_BY_SCALE = {100: list(range(1, 21)), 10: SEEDS}


def runs_2010(scale: int) -> pd.DataFrame:
    rows = [
        simulate(
            Scenario().with_run(seed=s, scale=scale, end_year=2010), check_invariants=False
        ).annual.iloc[0]
        for s in SEEDS_BY_SCALE[scale]
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module", params=[100, 10], ids=["scale100", "scale10"])
def year2010(request) -> pd.DataFrame:
    return runs_2010(request.param)


def test_2010_reproduces_ezhou_within_tolerance(year2010) -> None:
    mean = year2010.mean(numeric_only=True)
    incomes = income_targets_2010(load_parameters())
    checks = {
        "population": (target("resident_population", 2010), 0.02),
        "gdp_bn_yuan": (target("gdp", 2010), 0.02),
        "gdp_per_capita_yuan": (
            target("gdp", 2010) * 1e9 / target("resident_population", 2010),
            0.02,
        ),
        "fiscal_revenue_bn_yuan": (target("local_general_budget_revenue", 2010), 0.02),
        "fixed_asset_investment_bn_yuan": (target("fixed_asset_investment", 2010), 0.02),
        "above_scale_industrial_firms": (target("above_scale_industrial_firms", 2010), 0.05),
        # derived from Hubei's figures (model/calibration/incomes.py, docs/calibration.md 1.1)
        "urban_income_per_capita_yuan": (incomes.urban_disposable, 0.02),
        "rural_income_per_capita_yuan": (incomes.rural_net, 0.02),
    }
    for column, (goal, tol) in checks.items():
        assert mean[column] == pytest.approx(goal, rel=tol), column
    for column, name in (
        ("primary_share", "primary"),
        ("secondary_share", "secondary"),
        ("tertiary_share", "tertiary"),
    ):
        goal = target(f"gdp_structure_{name}", 2012)
        assert abs(mean[column] - goal) <= 0.02, column
    # rural income comes mostly from wages and household operations, as in Hubei's survey
    for source in ("wages", "operations"):
        share = mean[f"rural_{source}_per_capita_yuan"] / mean["rural_income_per_capita_yuan"]
        assert 0.25 < share < 0.7, source


def test_annual_table_has_every_required_column(year2010) -> None:
    assert list(year2010.columns[: len(ANNUAL_COLUMNS)]) == ANNUAL_COLUMNS
    assert (
        year2010[["goal1_levels_score", "goal2_per_capita_score", "goal3_quality_score"]]
        .apply(lambda s: s.between(0, 100).all())
        .all()
    )


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_invariants_hold_over_the_full_horizon(seed) -> None:
    # check_invariants raises at the first quarter where people, land or money do not add up
    res = simulate(Scenario().with_run(seed=seed, scale=200, end_year=2020), check_invariants=True)
    assert len(res.quarterly) == 44
    assert res.annual.notna().all().all()
    q = res.quarterly
    np.testing.assert_allclose(q.gdp_yuan, q.gdp_income_yuan, rtol=1e-6)


def test_end_year_2035_is_accepted() -> None:
    res = simulate(Scenario().with_run(seed=2, scale=800, end_year=2035), check_invariants=True)
    assert res.annual.year.tolist() == list(range(2010, 2036))


def test_same_seed_same_result_and_different_seeds_differ() -> None:
    sc = Scenario().with_run(scale=400, end_year=2013)
    a = simulate(sc, 5, check_invariants=False).annual
    b = simulate(sc, 5, check_invariants=False).annual
    c = simulate(sc, 6, check_invariants=False).annual
    pd.testing.assert_frame_equal(a, b)
    assert not a.drop(columns="seed").equals(c.drop(columns="seed"))


def test_a_run_asked_for_some_tables_gives_them_as_a_whole_run_does() -> None:
    """A batch that keeps only the annual table has the zones' table left unbuilt; what it
    gets is what the whole run gives."""
    sc = Scenario().with_run(scale=400, end_year=2012)
    whole = simulate(sc, 3, check_invariants=False)
    some = simulate(sc, 3, check_invariants=False, tables=("annual", "distribution"))
    pd.testing.assert_frame_equal(some.annual, whole.annual, check_exact=True)
    pd.testing.assert_frame_equal(some.distribution, whole.distribution, check_exact=True)
    assert some.zones.empty and some.quarterly.empty and not whole.zones.empty
    with pytest.raises(ValueError, match="no such table"):
        simulate(sc, 3, check_invariants=False, tables=("annual", "zone"))
    # a run that keeps neither the zones' nor the distribution table makes none of their
    # rows, and its city's records are the whole run's
    run = Simulation(sc, 3, check_invariants=False, tables=("quarterly",))
    while not run.done:
        run.step()
    assert run._model.zone_records == [] and run._model.distribution_records == []
    pd.testing.assert_frame_equal(run.result(("quarterly",)).quarterly, whole.quarterly)
    with pytest.raises(ValueError, match="did not keep"):
        run.result(("quarterly", "zones"))


PER_CAPITA = [
    "gdp_per_capita_yuan",
    "fiscal_revenue_per_capita_yuan",
    "public_service_spending_per_capita_yuan",
    "urban_income_per_capita_yuan",
    "rural_income_per_capita_yuan",
]


SCALE_TOLERANCE = 0.04


def test_per_capita_results_do_not_depend_on_agent_scale() -> None:
    seeds = range(1, 21)
    runs = {
        scale: pd.concat(
            [
                simulate(Scenario().with_run(seed=s, scale=scale), check_invariants=False).annual
                for s in seeds
            ]
        )
        for scale in (50, 200)
    }
    for year in (2010, 2015, 2020):
        for col in PER_CAPITA:
            x = runs[50].loc[runs[50].year == year, col]
            y = runs[200].loc[runs[200].year == year, col]
            # each scale's mean lies inside the other's 90% interval across seeds, or the two
            # means are within 4% of each other: urban income per capita is 2-3% higher at
            # scale 50 than at 200 on every seed set tried, before and after the performance
            # work (a known granularity effect, docs/calibration.md section 2.6)
            close = abs(x.mean() - y.mean()) <= SCALE_TOLERANCE * abs(y.mean())
            inside = y.quantile(0.05) <= x.mean() <= y.quantile(0.95) and x.quantile(
                0.05
            ) <= y.mean() <= x.quantile(0.95)
            assert inside or close, (year, col, x.mean(), y.mean())
