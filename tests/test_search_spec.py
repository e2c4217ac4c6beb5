"""The search file of ``ezhou search``: what a valid file becomes (decisions as genes, the
futures and seeds of the ensemble), the shipped example's dry run, and every kind of mistake
as one line naming the file and the key, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_messages import one_error_line

from experiments.cli import main
from experiments.errors import SpecError
from experiments.formats.search import load_search, parse_search

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "experiments" / "specs"
FULL = (ROOT / "scenarios" / "full_programme.toml").as_posix()
BASELINE = (ROOT / "scenarios" / "baseline.toml").as_posix()

GOOD = f"""
name = "small"
base = "{FULL}"
seed = 3
end_year = 2012
scale = 1000
[algorithm]
population = 6
generations = 2
[decisions."levers.talent.enabled"]
[decisions."levers.talent.start_year"]
range = [2011, 2013]
[decisions."levers.talent.recruits_per_year"]
range = [0, 4000]
[decisions."levers.investment_financing.selection"]
choices = ["high_tech", "young"]
[[objectives]]
indicator = "goal2_per_capita_score"
year = 2012
sense = "max"
[[objectives]]
indicator = "government_debt_bn_yuan"
years = [2011, 2012]
sense = "min"
[[constraints]]
indicator = "unemployment_rate"
year = 2012
max = 0.2
[robustness]
seeds = 2
samples = 3
[robustness.conditions."conditions.national_real_growth_pct"]
range = [6.0, 11.0]
[robustness.conditions."conditions.steel_demand_growth_pct"]
values = [-5.0, 9.0]
"""


def test_a_valid_file_becomes_genes_futures_and_seeds(tmp_path) -> None:
    search = parse_search(GOOD, tmp_path / "small.toml")
    kinds = {
        decision.path: (decision.kind, decision.low, decision.high) for decision in search.decisions
    }
    assert kinds == {
        "levers.talent.enabled": ("choice", 0.0, 1.0),
        "levers.talent.start_year": ("integer", 2011.0, 2013.0),
        "levers.talent.recruits_per_year": ("real", 0.0, 4000.0),
        "levers.investment_financing.selection": ("choice", 0.0, 1.0),
    }
    switch, year, recruits, selection = search.decisions
    assert [switch.value(0.0), switch.value(1.0)] == [False, True]
    assert year.value(2012.0) == 2012 and isinstance(year.value(2012.0), int)
    assert selection.value(1.0) == "young"
    assert search.objective_names == [
        "goal2_per_capita_score@2012",
        "government_debt_bn_yuan@2011-2012",
    ]
    assert search.constraint_names == ["unemployment_rate@2012"]
    assert search.algorithm == "nsga2"  # "auto" with two objectives
    # a Latin hypercube of three futures: each growth third hit once, steel from its list
    growth = sorted(future["conditions.national_real_growth_pct"] for future in search.futures)
    assert [int((g - 6.0) / (5.0 / 3)) for g in growth] == [0, 1, 2]
    assert {f["conditions.steel_demand_growth_pct"] for f in search.futures} <= {-5.0, 9.0}
    assert len(search.seeds) == 2 and search.runs_per_candidate == 6
    assert search.n_runs == 6 * 2 * 6
    # the fingerprint follows what decides results, not the name
    renamed = parse_search(GOOD.replace('"small"', '"other"'), tmp_path / "small.toml")
    assert renamed.fingerprint() == search.fingerprint()
    reseeded = parse_search(GOOD.replace("seed = 3", "seed = 4"), tmp_path / "small.toml")
    assert reseeded.fingerprint() != search.fingerprint()


def test_more_than_three_objectives_choose_nsga3(tmp_path) -> None:
    text = GOOD + '[[objectives]]\nindicator = "goal1_levels_score"\nyear = 2012\nsense = "max"\n'
    text += '[[objectives]]\nindicator = "goal3_quality_score"\nyear = 2012\nsense = "max"\n'
    assert parse_search(text, tmp_path / "s.toml").algorithm == "nsga3"


def test_listed_futures_keep_their_names(tmp_path) -> None:
    text = GOOD.split("[robustness]")[0] + (
        '[robustness]\nstatistic = "percentile"\npercentile = 10\n'
        '[[robustness.futures]]\nname = "slump"\n"conditions.steel_demand_growth_pct" = -10.0\n'
        '[[robustness.futures]]\nname = "boom"\n"conditions.steel_demand_growth_pct" = 12.0\n'
    )
    search = parse_search(text, tmp_path / "s.toml")
    assert search.futures == [
        {"point_name": "slump", "conditions.steel_demand_growth_pct": -10.0},
        {"point_name": "boom", "conditions.steel_demand_growth_pct": 12.0},
    ]
    assert search.seeds and len(search.seeds) == 1


def test_the_shipped_search_spec_passes_its_dry_run(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    spec = SPECS / "search_packages.toml"
    assert main(["search", str(spec), "--out", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "nsga3, 20 candidates x 10 generations x 4 future(s) x 1 seed(s) = 800 runs" in text
    assert text.count("decision ") == 30 and text.count("objective ") == 4
    assert not out.exists()
    search = load_search(spec)
    reforms = {decision.path.split(".")[1] for decision in search.decisions}
    assert len(reforms) == 10
    conditions = set(search.futures[0])
    assert conditions == {
        "conditions.national_real_growth_pct",
        "conditions.steel_demand_growth_pct",
        "conditions.wuhan_wage_growth_pct",
    }


BAD = [
    # (replace this, by this, the key named, words of what is allowed)
    ("seed = 3", 'seed = 3\ncolour = "red"', "colour", "unknown key"),
    (
        '[decisions."levers.talent.enabled"]',
        '[decisions."conditions.cpi_inflation_pct"]\nrange = [1, 2]\n'
        '[decisions."levers.talent.enabled"]',
        "decisions.conditions.cpi_inflation_pct",
        "not a lever",
    ),
    (
        "range = [0, 4000]",
        "range = [0, 40000]",
        "decisions.levers.talent.recruits_per_year.range",
        "out of range",
    ),
    (
        "range = [0, 4000]",
        "range = [4000, 0]",
        "decisions.levers.talent.recruits_per_year.range",
        "below the high",
    ),
    (
        'choices = ["high_tech", "young"]',
        'choices = ["high_tech", "old"]',
        "decisions.levers.investment_financing.selection.choices",
        "allowed",
    ),
    (
        'choices = ["high_tech", "young"]',
        "",
        "decisions.levers.investment_financing.selection",
        "choices",
    ),
    (
        "range = [2011, 2013]",
        "range = [2011.2, 2011.9]",
        "decisions.levers.talent.start_year.range",
        "valid integer",
    ),
    (
        'indicator = "goal2_per_capita_score"',
        'indicator = "goal2_per_capita_scor"',
        "objectives.0.indicator",
        "did you mean",
    ),
    ("year = 2012\nsense", "year = 2030\nsense", "objectives.0.year", "allowed: 2010 to 2012"),
    ('sense = "max"', 'sense = "up"', "objectives.0.sense", "'max' or 'min'"),
    ("max = 0.2", "max = 0.2\nmin = 0.0", "constraints.0", "one of them"),
    ("population = 6", "population = 2", "algorithm.population", "out of range"),
    ("population = 6", "population = 6\npartitions = 3", "algorithm.partitions", "nsga3"),
    ("seeds = 2", 'seeds = 2\nstatistic = "percentile"', "robustness.percentile", "percentile = p"),
    ("samples = 3\n", "", "robustness.samples", "Latin hypercube"),
    (
        '[robustness.conditions."conditions.national_real_growth_pct"]',
        '[robustness.conditions."levers.talent.founder_share"]',
        "robustness.conditions.levers.talent.founder_share",
        "outside condition",
    ),
    (
        "range = [6.0, 11.0]",
        "range = [6.0, 110.0]",
        "robustness.conditions.conditions.national_real_growth_pct.range",
        "out of range",
    ),
    (
        "population = 6\ngenerations = 2",
        "population = 100000\ngenerations = 100",
        "algorithm",
        "allowed at most",
    ),
    (f'base = "{FULL}"', 'base = "nowhere.toml"', "base", "no such scenario file"),
]


@pytest.mark.parametrize(("old", "new", "key", "allowed"), BAD)
def test_a_mistake_is_one_line_exit_2_and_nothing_written(
    tmp_path, capsys, old, new, key, allowed
) -> None:
    assert old in GOOD
    spec = tmp_path / "bad.toml"
    spec.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    for extra in (["--dry-run"], []):
        assert main(["search", str(spec), "--out", str(out), "--executor", "serial", *extra]) == 2
        one_error_line(capsys, str(spec), f" {key}", allowed)
        assert not out.exists()


def test_a_lever_of_a_reform_that_stays_off_is_refused(tmp_path, capsys) -> None:
    text = GOOD.replace(FULL, BASELINE).replace('[decisions."levers.talent.enabled"]\n', "")
    with pytest.raises(
        SpecError, match=r"decisions\.levers\.talent\.start_year: the reform 'talent' is off"
    ):
        parse_search(text, tmp_path / "s.toml")
    # switched by a decision, its levers are fine
    switched = GOOD.replace(FULL, BASELINE).replace(
        '[decisions."levers.investment_financing.selection"]',
        '[decisions."levers.investment_financing.enabled"]\n'
        '[decisions."levers.investment_financing.selection"]',
    )
    parse_search(switched, tmp_path / "s.toml")


def test_dtlz2_takes_its_own_decisions_and_objectives(tmp_path) -> None:
    text = (
        'name = "d"\nmodel = "dtlz2"\n[decisions.x1]\nrange = [0, 1]\n[decisions.x2]\n'
        'range = [0, 1]\n[[objectives]]\nindicator = "f1"\nsense = "min"\n'
        '[[objectives]]\nindicator = "f2"\nsense = "min"\n'
    )
    parse_search(text, tmp_path / "d.toml")
    for old, new, message in [
        ("decisions.x2]", "decisions.y2]", "x1, x2"),
        ('"f2"', '"f3"', "'f2'"),
        ('name = "d"', 'name = "d"\nscale = 10', "scale: not used"),
        ("[decisions.x1]\nrange = [0, 1]", "[decisions.x1]\nrange = [0, 2]", r"within \[0, 1\]"),
    ]:
        with pytest.raises(SpecError, match=message):
            parse_search(text.replace(old, new), tmp_path / "d.toml")
