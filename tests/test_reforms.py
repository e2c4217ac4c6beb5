"""Each reform's pathway, shown on paired seeds.

For every reform, twenty seeds are run with and without it (same seeds, scale 100). The reform
must move the intermediate variable it acts on, and the goal indicators it should move, with
the 95% interval of the mean paired difference excluding zero.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.cli import main
from model.api import simulate
from model.reforms import REFORMS
from model.scenario import Scenario, load_scenario, validate_scenario

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(1, 21)
SCALE = 100
END = 2014


@cache
def runs(levers: str) -> pd.DataFrame:
    """Annual tables of one lever setting (a repr of the levers dict) on the test seeds."""
    sc = validate_scenario({"levers": eval(levers)}) if levers != "{}" else Scenario()
    frames = [
        simulate(sc.with_run(seed=s, scale=SCALE, end_year=END), check_invariants=False).annual
        for s in SEEDS
    ]
    return pd.concat(frames).set_index(["seed", "year"])


def paired(key: str, **levers) -> pd.DataFrame:
    group = {"enabled": True, "start_year": 2011, **levers}
    return runs(repr({key: group})) - runs("{}")


def moves(diff: pd.DataFrame, column: str, year: int | range, sign: int) -> None:
    """The mean paired difference (in a year, or summed over a range of years) has the given
    sign, its 95% interval excluding zero."""
    years = [year] if isinstance(year, int) else list(year)
    d = diff[diff.index.get_level_values("year").isin(years)][column].groupby("seed").sum()
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    lo, hi = d.mean() - half, d.mean() + half
    assert lo > 0 if sign > 0 else hi < 0, f"{column} {year}: {d.mean():.4g} [{lo:.4g}, {hi:.4g}]"


def test_functional_zones_pathway() -> None:
    d = paired("functional_zones")
    moves(d, "approval_days", 2013, -1)
    moves(d, "firm_entry_rate", 2014, +1)
    moves(d, "admin_cost_share", 2013, -1)
    moves(d, "goal3_quality_score", 2013, +1)


def test_public_institutions_pathway() -> None:
    d = paired("public_institutions")
    moves(d, "public_staff", 2013, -1)  # services bought instead of staffed
    # bought services deliver more per yuan at first; as the cut posts' wages move into the
    # general budget the gain fades: posts are cut at most 2% a quarter, so the gain shows
    # in 2011 and is gone by 2012 (20 paired seeds at feccb85: +56 yuan a head in 2011,
    # -18 in 2012; the 2012 gain once measured here came from the baseline's own mistaken
    # post cuts using up that pace and holding the reform's back)
    moves(d, "public_service_provision_per_capita_real_yuan", 2011, +1)


def test_five_securities_pathway() -> None:
    d = paired("five_securities")
    # the budget pays the securities (medical cover, child allowances, rent support) ...
    moves(d, "social_security_bn_yuan", 2011, +1)
    # ... which raise rural-registered households' incomes ...
    moves(d, "rural_income_per_capita_yuan", 2013, +1)
    moves(d, "urban_rural_income_ratio", 2014, -1)
    # ... and make moving to town worth more to those who pay rent there
    moves(d, "moved_to_town_households", range(2011, 2015), +1)


def test_social_requisition_pathway() -> None:
    d = paired("social_requisition")
    moves(d, "compensation_bn_yuan", 2013, +1)
    # households paid more contest less land, and more staff settle disputes sooner
    moves(d, "disputes_contested_mu", 2011, -1)
    moves(d, "social_staff", 2011, +1)
    moves(d, "dispute_days", 2012, -1)
    moves(d, "rural_income_per_capita_yuan", 2013, +1)
    moves(d, "urban_rural_income_ratio", 2013, -1)


def test_heavy_industry_pathway() -> None:
    d = paired("heavy_industry")
    moves(d, "audits", 2011, +1)
    moves(d, "heavy_abatement_share", 2011, +1)
    moves(d, "emission_intensity_index", 2013, -1)
    moves(d, "lake_water_quality_class", 2013, -1)  # lower class = cleaner water
    # the short-run cost: retrofits stop lines, closures and non-compliance cut output
    moves(d, "industrial_value_added_real_bn_yuan", 2011, -1)


def test_inland_opening_pathway() -> None:
    d = paired("inland_opening")
    # a cheaper trip: more commute to Wuhan, and Wuhan's visitors buy more services
    moves(d, "commuters_to_wuhan", 2011, +1)
    moves(d, "tertiary_share", 2011, +1)
    # berths paid from 2011 come into use over two years: more capacity, the city's own
    # cargo back on the water (lower freight), and transit cargo won for logistics
    moves(d, "port_capacity_mt", 2012, +1)
    moves(d, "freight_cost_index", 2013, -1)
    # the ports handle more of the city's cargo (+6 points by 2014). What logistics earns
    # from it is small beside GDP: +0.0012 of GDP in 2014, its 95% interval touching zero
    # on these seeds since the job-finding rate was derived from 2010's unemployment
    # (firms then grow with fewer hires, and logistics' share with the rest), so the share
    # itself is not asserted
    moves(d, "port_handled_share", 2014, +1)


def test_talent_pathway() -> None:
    d = paired("talent")
    moves(d, "recruits", 2011, +1)
    moves(d, "knowledge_worker_share", 2013, +1)
    moves(d, "gdp_per_capita_yuan", 2013, +1)


def test_investment_financing_pathway() -> None:
    d = paired("investment_financing")
    moves(d, "fund_invested_bn_yuan", 2011, +1)
    moves(d, "hightech_share", 2013, +1)
    # firms founded in the fund's first year (later, ordinary entry into the same sectors
    # slows as the fund's firms take their place, so the four-year total is not clear-cut)
    moves(d, "firm_entrants", 2011, +1)


def test_land_capitalisation_pathway() -> None:
    d = paired("land_capitalisation")
    moves(d, "farmland_rent_bn_yuan", 2012, +1)
    # villagers gain land income (rent, co-op dividends) and, with their plots rented out,
    # turn to wage work; they farm less. Since wages and job access differ by registration
    # these gains and losses about cancel in rural income per head (2013: -16 [-82, +51]
    # yuan), and households that give up their homestead take a town registration and a
    # town wage, which raises town income: the ratio no longer falls (docs/reforms.md)
    moves(d, "rural_property_per_capita_yuan", 2012, +1)
    moves(d, "rural_wages_per_capita_yuan", 2013, +1)
    moves(d, "rural_operations_per_capita_yuan", 2013, -1)
    moves(d, "homestead_exits", 2013, +1)


def test_urban_rural_equalisation_pathway() -> None:
    d = paired("urban_rural_equalisation")
    moves(d, "public_service_gap_ratio", 2013, -1)
    moves(d, "rural_income_per_capita_yuan", 2014, +1)
    moves(d, "lake_water_quality_class", 2013, -1)


def test_every_reform_has_a_pathway_test() -> None:
    names = {n for n in globals() if n.startswith("test_") and n.endswith("_pathway")}
    assert names == {f"test_{cls.key}_pathway" for cls in REFORMS}


def test_all_levers_off_reproduces_the_baseline_exactly() -> None:
    # every group present, switched off, with other values than the defaults
    levers = {
        cls.key: {"enabled": False, "start_year": 2012, "phase_in_years": 3.0} for cls in REFORMS
    }
    levers["heavy_industry"]["audit_abatement"] = 0.5
    off = validate_scenario({"levers": levers})
    for seed in (3, 4):
        a = simulate(Scenario().with_run(seed=seed, scale=400, end_year=2015)).annual
        b = simulate(off.with_run(seed=seed, scale=400, end_year=2015)).annual
        pd.testing.assert_frame_equal(a, b)


def test_reform_scenario_files_are_valid_and_switch_on_their_reform() -> None:
    for cls in REFORMS:
        sc = load_scenario(ROOT / "scenarios" / f"reform_{cls.key}.toml")
        on = [c.key for c in REFORMS if getattr(sc.levers, c.key).enabled]
        assert on == [cls.key]
    full = load_scenario(ROOT / "scenarios" / "full_programme.toml")
    assert all(getattr(full.levers, c.key).enabled for c in REFORMS)


def test_historical_scenario_runs_2010_2020_with_every_invariant() -> None:
    sc = load_scenario(ROOT / "scenarios" / "historical_2011_2020.toml")
    assert all(getattr(sc.levers, c.key).enabled for c in REFORMS)
    res = simulate(sc.with_run(seed=5, scale=200), check_invariants=True)
    assert res.annual.year.tolist() == list(range(2010, 2021))


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("[levers.talent]\nrecruit_rate = 3\n", "levers.talent.recruit_rate: unknown key"),
        ('[levers.talent]\nenabled = "yes"\n', "levers.talent.enabled"),
        ("[levers.heavy_industry]\naudit_abatement = 0.9\n", "from 0 to 0.6 (share of emissions)"),
        ("[levers.land_capitalisation]\nstart_year = 2040\n", "from 2010 to 2035 (year)"),
        ('[levers.investment_financing]\nselection = "best"\n', "'best' is not allowed"),
        ("[levers.no_such_reform]\nenabled = true\n", "allowed here: functional_zones"),
    ],
)
def test_bad_levers_exit_2_with_one_line(tmp_path, capsys, text, expect) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and expect in err, err


def test_compare_reports_goal_differences_with_intervals(tmp_path, capsys) -> None:
    out = tmp_path / "cmp"
    code = main(
        [
            "compare",
            str(ROOT / "scenarios" / "baseline.toml"),
            str(ROOT / "scenarios" / "full_programme.toml"),
            "--seeds",
            "3",
            "--scale",
            "400",
            "--end-year",
            "2015",
            "--years",
            "2012,2015",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "full_programme" in text and "score (0-100)" in text
    diffs = pd.read_csv(out / "compare.csv")
    goal = diffs[
        (diffs.scenario == "full_programme")
        & (diffs.indicator == "goal3_quality_score")
        & (diffs.year == 2015)
    ].iloc[0]
    assert goal["diff_lo"] <= goal["diff"] <= goal["diff_hi"]
    base = diffs[diffs.scenario == "baseline"]
    assert (base["diff"] == 0).all()
