"""A small search of the model and a discovery on its runs, for the tests of the report, the
app page and the browser: 6 packages x 2 generations x 2 futures, to 2011 at scale 1000, in a
few seconds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.cli import main

ROOT = Path(__file__).resolve().parent.parent
FULL = (ROOT / "scenarios" / "full_programme.toml").as_posix()
GOAL1 = "goal1_levels_score@2011"
SEARCH = f"""
name = "tiny_packages"
description = "Three reforms' levers, two goals and debt in 2011."
base = "{FULL}"
seed = 5
end_year = 2011
scale = 1000
[algorithm]
population = 6
generations = 2
[decisions."levers.talent.enabled"]
[decisions."levers.talent.recruits_per_year"]
range = [200, 4000]
[decisions."levers.five_securities.rural_pension_yuan"]
range = [100, 800]
[decisions."levers.investment_financing.selection"]
choices = ["high_tech", "young"]
[[objectives]]
indicator = "goal1_levels_score"
year = 2011
sense = "max"
[[objectives]]
indicator = "goal2_per_capita_score"
year = 2011
sense = "max"
[[objectives]]
indicator = "government_debt_bn_yuan"
year = 2011
sense = "min"
[[robustness.futures]]
name = "slow"
"conditions.national_real_growth_pct" = 6.0
[[robustness.futures]]
name = "fast"
"conditions.national_real_growth_pct" = 11.0
"""


def search_with_discovery(results: Path, name: str = "tiny_packages") -> Path:
    """The search in ``results/name``, and in its discovery/ folder the runs whose goal 1 in
    2011 falls below the runs' median (a condition some runs meet and some do not)."""
    results.mkdir(parents=True, exist_ok=True)
    spec = results.parent / f"{name}.toml"
    spec.write_text(SEARCH, encoding="utf-8")
    out = results / name
    assert main(["search", str(spec), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    median = pd.read_csv(out / "evaluations.csv")[GOAL1].median()
    assert main(["discover", str(out), "--where", f"{GOAL1} < {median}"]) == 0
    return out
