"""``ezhou decompose``: the four variants, the growth decomposition and the command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_messages import one_error_line

from experiments.analysis.growth import (
    DEMAND,
    INTERACTION,
    LOCAL,
    REAL_GROWTH,
    contributions,
    effects,
)
from experiments.cli import main
from experiments.decomposition import DECOMPOSE_FILES, variants
from experiments.runner import spawn_seeds
from model.api import simulate
from model.scenario import Conditions, Levers, load_scenario

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "scenarios" / "historical_2011_2020.toml"
# a small city and two years: the whole decomposition in a few seconds
QUICK = ["--seeds", "2", "--scale", "1000", "--end-year", "2012", "--quiet"]


@pytest.fixture(scope="module")
def historical():
    return load_scenario(HISTORICAL)


@pytest.fixture(scope="module")
def decomposed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("decompose") / "historical"
    assert main(["decompose", str(HISTORICAL), *QUICK, "--out", str(out)]) == 0
    return out


def test_variants_take_levers_and_conditions_as_stated(historical) -> None:
    found = variants(historical)
    assert list(found) == ["full", "conditions_only", "reforms_only", "neither"]
    assert found["full"].levers == historical.levers
    assert found["full"].conditions == historical.conditions
    assert found["conditions_only"].levers == Levers()
    assert found["conditions_only"].conditions == historical.conditions
    assert found["reforms_only"].levers == historical.levers
    assert found["reforms_only"].conditions == Conditions()
    assert found["neither"].levers == Levers() and found["neither"].conditions == Conditions()
    # the historical scenario has reforms and conditions of its own, so all four differ
    assert historical.levers != Levers() and historical.conditions != Conditions()
    for variant in found.values():
        assert variant.run == historical.run


def test_the_variants_run_as_stated(historical) -> None:
    """In the runs: the reforms act only where they are on (rural infrastructure, reform
    10's action, from 2012), and China's growth follows the scenario only where its
    conditions are kept."""
    runs = {
        name: simulate(scenario.with_run(scale=1000, end_year=2012), 5, check_invariants=False)
        for name, scenario in variants(historical).items()
    }
    year_2012 = {name: run.annual.set_index("year").loc[2012] for name, run in runs.items()}
    for name in ("full", "reforms_only"):
        assert year_2012[name]["rural_infrastructure_bn_yuan"] > 0, name
    for name in ("conditions_only", "neither"):
        assert year_2012[name]["rural_infrastructure_bn_yuan"] == 0, name
    national = {name: year_2012[name]["national_real_index"] for name in runs}
    assert national["full"] == national["conditions_only"]
    assert national["reforms_only"] == national["neither"]
    # 2011 and 2012 grew 9.6% and 7.9% in the scenario, 10.6% in the default conditions
    assert national["full"] < national["neither"]


@pytest.fixture(scope="module")
def one_run(historical) -> pd.DataFrame:
    return simulate(historical.with_run(scale=1000, end_year=2012), 3).quarterly


def test_expenditure_adds_up_to_gdp_every_quarter(one_run) -> None:
    q = one_run
    spent = (
        q.household_consumption_yuan
        + q.government_purchases_yuan
        + q.public_wages_yuan
        + q.firm_fixed_investment_yuan
        + q.government_fixed_investment_yuan
        + q.household_fixed_investment_yuan
        + q.outside_housing_investment_yuan
        + q.exports_yuan
        - q.imports_yuan
    )
    np.testing.assert_allclose(spent, q.gdp_yuan, rtol=1e-9)
    bought_outside = [column for column in q.columns if column.endswith("_imports_yuan")]
    assert len(bought_outside) == 6
    np.testing.assert_allclose(q[bought_outside].sum(axis=1), q.imports_yuan, rtol=1e-9)
    investment = [
        "firm_fixed_investment_yuan",
        "government_fixed_investment_yuan",
        "household_fixed_investment_yuan",
        "outside_housing_investment_yuan",
    ]
    np.testing.assert_allclose(q[investment].sum(axis=1), q.fai_yuan, rtol=1e-9)


def test_demand_contributions_add_up_to_real_growth(one_run) -> None:
    table = contributions(one_run).set_index(["seed", "year", "side", "component"])["pp"]
    for year in (2011, 2012):
        growth = table.xs((year, "total", REAL_GROWTH), level=["year", "side", "component"])
        assert 3 < float(growth.iloc[0]) < 25
        for side, components in (("demand", DEMAND), ("local demand", LOCAL)):
            parts = table.xs((year, side), level=["year", "side"])
            total = sum(
                float(parts.xs(label, level="component").iloc[0]) for _, label in components
            )
            assert total == pytest.approx(float(growth.iloc[0]), abs=1e-6), (year, side)


def test_effects_pair_the_variants_as_named() -> None:
    values = {"full": 10.0, "conditions_only": 7.0, "reforms_only": 12.0, "neither": 8.0}
    by_seed = pd.DataFrame(
        [
            {"variant": name, "seed": 1, "year": 2011, "side": "total", "component": "g", "pp": pp}
            for name, pp in values.items()
        ]
    )
    found = effects(by_seed).set_index("effect")["pp"]
    assert found["conditions, without reforms (C - N)"] == -1
    assert found["conditions, with reforms (F - R)"] == -2
    assert found["reforms, under default conditions (R - N)"] == 4
    assert found["reforms, under the scenario's conditions (F - C)"] == 3
    assert found[INTERACTION] == -1


def test_decompose_writes_its_tables_and_summary(decomposed) -> None:
    assert sorted(path.name for path in decomposed.iterdir()) == sorted(DECOMPOSE_FILES)
    meta = json.loads((decomposed / "decompose.json").read_text())
    assert meta["seeds"] == spawn_seeds(20110101, 2)
    summary = (decomposed / "decomposition.md").read_text()
    assert meta["command"] in summary and "ezhou decompose" in meta["command"]
    growth = pd.read_csv(decomposed / "growth.csv")
    assert sorted(growth.year.unique()) == [2011, 2012]
    assert set(growth.variant) == {"full", "conditions_only", "reforms_only", "neither"}
    by_seed = pd.read_csv(decomposed / "by_seed.csv")
    # talent's spill-overs are the reforms' alone: none in a variant without reforms
    spill = by_seed[by_seed.component == "of which knowledge spill-overs"]
    by_variant = spill.groupby("variant").pp
    assert (by_variant.max()[["conditions_only", "neither"]] == 0).all()
    # and some with them (not on every seed: where the reforms' knowledge workers do not
    # lift the city's knowledge share above 2010's in a year, that year has none)
    with_reforms = spill[spill.variant.isin(["full", "reforms_only"])]
    assert (with_reforms.groupby("variant").pp.max() > 0).all()
    assert (with_reforms.pp >= 0).all()


def test_same_seeds_give_identical_tables(decomposed, tmp_path) -> None:
    again = tmp_path / "again"
    assert main(["decompose", str(HISTORICAL), *QUICK, "--out", str(again)]) == 0
    for name in ("growth.csv", "effects.csv", "mechanisms.csv", "by_seed.csv"):
        assert (again / name).read_bytes() == (decomposed / name).read_bytes(), name


@pytest.mark.parametrize(
    ("options", "needles"),
    [
        (["--years", "2010"], ["--years", "2011 to"]),
        (["--years", "2011,abc"], ["--years", "comma-separated"]),
        (["--years", "2013", "--end-year", "2012"], ["2013", "--end-year"]),
        (["--seeds", "1"], ["--seeds 1", "allowed 2 to 10000"]),
        (["--end-year", "2099"], ["end-year", "2099"]),
        (["--scale", "0"], ["scale"]),
    ],
)
def test_bad_options_give_one_line_and_exit_2(options, needles, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["decompose", str(HISTORICAL), "--out", str(out), *options]) == 2
    one_error_line(capsys, *needles)
    assert not out.exists()


def test_bad_scenario_or_folder_gives_one_line_and_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[conditions]\nnational_growth = 3\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["decompose", str(bad), "--out", str(out)]) == 2
    one_error_line(capsys, str(bad), "conditions.national_growth", "allowed")
    assert main(["decompose", str(tmp_path / "missing.toml"), "--out", str(out)]) == 2
    one_error_line(capsys, "missing.toml", "no such file")
    assert not out.exists()
    # a folder holding someone else's files is refused before anything runs, and kept
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["decompose", str(HISTORICAL), "--out", str(other)]) == 2
    one_error_line(capsys, "notes.txt", "ezhou decompose")
    assert [path.name for path in other.iterdir()] == ["notes.txt"]
