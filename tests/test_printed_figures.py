"""What the commands print: figures a reader can take at their word (nominal or yuan of 2010,
the same columns as the app), and no interval where one seed cannot give one."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.cli import main
from experiments.compare import differences
from experiments.provenance import git_commit, package_version
from experiments.tables import label
from model.api import simulate
from model.indicators import score_spec
from model.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"


def test_batch_with_one_seed_per_point_prints_no_interval(tmp_path, capsys) -> None:
    spec = tmp_path / "one_seed.toml"
    spec.write_text(
        f'base = "{BASELINE.as_posix()}"\nend_year = 2011\nscale = 1000\nreplications = 1\n'
        '[factors."levers.talent.enabled"]\nvalues = [false, true]\n',
        encoding="utf-8",
    )
    args = ["batch", str(spec), "--out", str(tmp_path / "out"), "--executor", "serial"]
    assert main([*args, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "goal scores in 2011" in out
    assert "[" not in out.split("goal scores in 2011")[1].split("results in")[0]
    assert "no interval across seeds" in out and "across 1 seeds" not in out


# ---------------------------------------------------------------- nominal or real (item 13)


def printed_rows(text: str) -> dict[str, str]:
    """Indicator label -> the rest of its line, for the indented rows of a goals table."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("    ") and line.strip():
            label, _, rest = line.strip().partition("  ")
            rows[label] = rest.strip()
    return rows


def test_run_prints_real_money_as_the_scores_and_the_app_do(tmp_path, capsys) -> None:
    out = tmp_path / "res"
    args = ["run", str(BASELINE), "--seed", "4", "--scale", "1000", "--end-year", "2011"]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    annual = pd.read_csv(out / "annual.csv")
    rows = printed_rows(text)
    # the score's own indicators, GDP per capita among them in yuan of 2010 (against China's
    # growth since 2010, as goal 2 scores it)
    gdp = rows[label("gdp_per_capita_vs_national")].split()
    expected = annual.set_index("year").gdp_per_capita_vs_national
    assert gdp == [f"{expected[2010]:,.0f}", f"{expected[2011]:,.0f}"]
    assert f"{annual.gdp_per_capita_yuan.iloc[-1]:,.0f}" not in text  # not the nominal one
    for goal, indicators in score_spec().items():
        for column in indicators:
            assert label(column) in rows, (goal, column)
    for row in rows:
        if "yuan" in row:
            assert "yuan of 2010" in row or "nominal" in row, row
    assert "score (0-100): each indicator scores 0 at a worst value" in text
    assert "docs/indicators.md" in text and "Money is in yuan of 2010" in text


def test_one_seed_has_no_interval_and_several_have_one(tmp_path, capsys) -> None:
    args = ["run", str(BASELINE), "--scale", "1000", "--end-year", "2011", "--quiet"]
    assert main([*args, "--seed", "4", "--out", str(tmp_path / "one")]) == 0
    text = capsys.readouterr().out
    assert "across 1 seed" not in text and "[" not in text.split("results in")[0]
    assert "one seed: no interval across seeds" in text
    assert main([*args, "--seeds", "2", "--out", str(tmp_path / "two")]) == 0
    assert "mean [90% interval] across 2 seeds" in capsys.readouterr().out


def test_nominal_money_says_so() -> None:
    assert label("gdp_per_capita_yuan") == "GDP per capita, yuan (nominal)"
    assert label("gdp_per_capita_real_yuan") == "Real GDP per capita, yuan of 2010"
    assert label("gdp_real_bn_yuan_2010").endswith("bn yuan of 2010")
    assert "nominal" not in label("urbanisation_rate")


# ---------------------------------------------------------------- compare


def test_compare_prints_real_differences_and_writes_every_indicator(tmp_path, capsys) -> None:
    out = tmp_path / "cmp"
    full = ROOT / "scenarios" / "full_programme.toml"
    args = ["compare", str(BASELINE), str(full), "--seeds", "2", "--scale", "1000"]
    assert main([*args, "--end-year", "2012", "--years", "2012", "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    annual = pd.read_csv(out / "annual.csv")
    saved = pd.read_csv(out / "compare.csv")
    indicators = [c for c in annual.columns if c not in ("scenario", "seed", "year")]
    assert list(dict.fromkeys(saved.indicator)) == indicators
    assert {"seed_lo", "seed_hi", "diff_lo", "diff_hi", "seeds"} <= set(saved.columns)
    pairs = annual.pivot_table(
        index="seed", columns=["scenario", "year"], values="gdp_per_capita_vs_national"
    )
    gain = (pairs[("full_programme", 2012)] - pairs[("baseline", 2012)]).mean()
    row = printed_rows(text)[label("gdp_per_capita_vs_national")]
    printed = float(row.split()[1].replace(",", ""))
    assert abs(printed - gain) <= 0.5, row  # as rounded for print; the nominal gain is far off
    assert "compare.csv holds every indicator" in text


def test_differences_match_the_statistics_column_by_column(tmp_path) -> None:
    runs = [
        simulate(scenario.with_run(scale=1000, end_year=2011), seed).annual.assign(
            scenario=scenario.name
        )
        for scenario in (
            Scenario(name="a"),
            load_scenario(ROOT / "scenarios" / "full_programme.toml"),
        )
        for seed in (1, 2, 3)
    ]
    annual = pd.concat(runs, ignore_index=True)
    columns = ["goal2_per_capita_score", "gdp_per_capita_real_yuan", "population", "firms"]
    diffs = differences(annual, columns).set_index(["scenario", "year", "indicator"])
    base = annual[annual.scenario == "a"].set_index(["seed", "year"])
    t = stats.t.ppf(0.95, 2)
    for name in ("a", "full_programme"):
        this = annual[annual.scenario == name].set_index(["seed", "year"])
        for year in (2010, 2011):
            for column in columns:
                x = this.xs(year, level="year")[column]
                d = (this[column] - base[column]).xs(year, level="year")
                row = diffs.loc[(name, year, column)]
                se = d.std(ddof=1) / np.sqrt(3)
                # (the same statistics, summed in another order: equal to rounding)
                close = {"rel": 1e-12, "abs": 1e-9}
                assert row["mean"] == pytest.approx(x.mean(), **close) and row.seeds == 3
                assert (row.seed_lo, row.seed_hi) == pytest.approx(
                    (x.quantile(0.05), x.quantile(0.95)), **close
                )
                assert row["diff"] == pytest.approx(d.mean(), **close)
                assert (row.diff_lo, row.diff_hi) == pytest.approx(
                    (d.mean() - t * se, d.mean() + t * se), **close
                )


# ---------------------------------------------------------------- version and documents


def test_version_prints_the_package_version_and_commit(capsys) -> None:
    assert main(["--version"]) == 0
    text = capsys.readouterr().out.strip()
    assert text.startswith(f"ezhou {package_version('ezhou-reform-simulator')} (")
    commit = git_commit()
    assert (commit in text) if commit else ("not a git checkout" in text)


def test_compare_csv_columns_and_indicators_are_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for column in ("seed_lo", "seed_hi", "diff_lo", "diff_hi", "seeds"):
        assert f"`{column}`" in readme, column
    indicators_doc = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    annual = simulate(Scenario(name="a").with_run(scale=1000, end_year=2010)).annual
    sector_shares = re.compile(
        r"(agriculture|steel|building_materials|light_manufacturing|"
        r"high_tech|construction|logistics|services|tourism)_va_share"
    )
    for column in annual.columns:
        if not sector_shares.fullmatch(column):
            assert f"`{column}`" in indicators_doc, column
