"""The distribution table where users get it: ``ezhou run`` and ``ezhou compare`` write
``distribution.parquet`` (every seed, every scenario), and the summaries across seeds drawn in
the app and in reports (:mod:`experiments.distributions`) add up."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments import distributions
from experiments.cli import main
from model.api import simulate
from model.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
LAND = ROOT / "scenarios" / "reform_land_capitalisation.toml"
QUICK = ["--scale", "1000", "--end-year", "2011", "--quiet"]
COLUMNS = [
    "seed",
    "year",
    "residence",
    "zone",
    "group_persons",
    "group_income_per_capita_yuan",
    "gini",
    "poverty_line_yuan",
    "poverty_share",
    "cpi",
    "decile",
    "persons",
    "income_upper_yuan",
    "income_per_capita_yuan",
    "wealth_per_capita_yuan",
    "land_mu_per_capita",
]
ZONES = 5
GROUP_ROWS = (1 + 2 + ZONES) * 10  # city, urban and rural, each zone: ten deciles each


def test_run_writes_the_distribution_of_every_seed(tmp_path, capsys) -> None:
    out = tmp_path / "run"
    assert main(["run", str(BASELINE), "--seeds", "2", *QUICK, "--out", str(out)]) == 0
    assert "distribution.parquet" in capsys.readouterr().out
    table = pd.read_parquet(out / "distribution.parquet")
    seeds = json.loads((out / "run.json").read_text())["seeds"]
    assert list(table.columns) == COLUMNS
    assert sorted(table.seed.unique()) == sorted(seeds)
    assert table.groupby("seed").size().to_dict() == {seed: 2 * GROUP_ROWS for seed in seeds}
    # each seed's rows are that seed's run, as the model gives them
    scenario = load_scenario(BASELINE).with_run(scale=1000, end_year=2011)
    alone = simulate(scenario, seed=seeds[1], check_invariants=False).distribution
    mine = table[table.seed == seeds[1]].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, alone, check_dtype=False)


def test_compare_writes_each_scenarios_distribution(tmp_path, capsys) -> None:
    out = tmp_path / "cmp"
    args = ["compare", str(BASELINE), str(LAND), "--seeds", "2", *QUICK, "--years", "2011"]
    args += ["--out", str(out)]
    assert main(args) == 0
    assert "distribution.parquet" in capsys.readouterr().out
    table = pd.read_parquet(out / "distribution.parquet")
    annual = pd.read_csv(out / "annual.csv")
    assert list(table.columns) == [*COLUMNS, "scenario"]
    assert list(dict.fromkeys(table.scenario)) == list(dict.fromkeys(annual.scenario))
    sizes = table.groupby(["scenario", "seed"]).size()
    assert len(sizes) == 2 * 2 and set(sizes) == {2 * GROUP_ROWS}
    # paired: the same seeds in both scenarios
    by_scenario = table.groupby("scenario").seed.unique().map(sorted).tolist()
    assert by_scenario[0] == by_scenario[1]


# ---------------------------------------------------------------- summaries across seeds


def table_of(seeds: dict[int, float]) -> pd.DataFrame:
    """A two-year distribution table for the city alone: seed -> the income scale; incomes
    grow by decile, and every money figure doubles from 2010 to 2011 with prices (cpi 2)."""
    rows = []
    for seed, scale in seeds.items():
        for year, cpi in ((2010, 1.0), (2011, 2.0)):
            for decile in range(1, 11):
                rows.append(
                    {
                        "seed": seed,
                        "year": year,
                        "residence": "all",
                        "zone": "all",
                        "group_income_per_capita_yuan": 5.5 * scale * cpi,
                        "gini": 0.3 * scale,
                        "poverty_line_yuan": 2300 * cpi,
                        "poverty_share": 0.1 * scale,
                        "cpi": cpi,
                        "decile": decile,
                        "persons": 100.0,
                        "income_upper_yuan": decile * scale * cpi,
                        "income_per_capita_yuan": decile * scale * cpi,
                        "wealth_per_capita_yuan": -decile * cpi,
                        "land_mu_per_capita": 0.5,
                    }
                )
    return distributions.prepared(pd.DataFrame(rows))


def test_lorenz_curve_runs_from_nothing_to_everything() -> None:
    curve = distributions.lorenz(table_of({1: 1.0, 2: 3.0}), 2011, ("city",))
    assert curve.population.tolist() == pytest.approx(np.arange(11) / 10)
    # incomes 1..10: the poorest k tenths hold k(k+1)/110 of the income, whatever the scale
    expected = [k * (k + 1) / 110 for k in range(11)]
    assert curve["mean"].tolist() == pytest.approx(expected)
    assert curve.lo.tolist() == pytest.approx(expected)
    assert set(curve.seeds) == {2}


def test_deciles_are_in_yuan_of_2010_with_the_seed_interval() -> None:
    table = table_of({1: 1.0, 2: 2.0, 3: 3.0})
    bars = distributions.deciles(table, "income_per_capita_real_yuan", 2011, "city")
    assert bars.decile.tolist() == list(range(1, 11))
    assert bars["mean"].tolist() == pytest.approx([2.0 * d for d in range(1, 11)])
    assert bars.lo.iloc[-1] == pytest.approx(10 * np.quantile([1, 2, 3], 0.05))
    assert bars.hi.iloc[-1] == pytest.approx(10 * np.quantile([1, 2, 3], 0.95))
    wealth = distributions.deciles(table, "wealth_per_capita_real_yuan", 2011, "city")
    assert wealth["mean"].tolist() == pytest.approx([-d for d in range(1, 11)])


def test_group_figures_over_years_and_paired_against_a_reference() -> None:
    reform, reference = table_of({1: 2.0, 2: 4.0}), table_of({1: 1.0, 2: 1.0})
    gini = distributions.over_years(reform, "gini", "city")
    assert gini.year.tolist() == [2010, 2011]
    assert gini["mean"].tolist() == pytest.approx([0.9, 0.9])
    paired = distributions.paired({"none": reference, "reform": reform}, ["city"])
    row = paired[
        (paired.scenario == "reform") & (paired.year == 2011) & (paired.measure == "poverty_share")
    ]
    assert row["diff"].item() == pytest.approx(0.1 * 3.0 - 0.1)
    poorest = paired[(paired.scenario == "reform") & (paired.measure == distributions.POOREST)]
    assert poorest["mean"].tolist() == pytest.approx([3.0, 3.0])  # in yuan of 2010
