"""Runs whose random streams differ are still statistically the same model.

``tests/data/reference_annual.csv.gz`` holds the annual tables of fixed runs (see
``tests/reference_runs.py``, which records the commit that made them). ``tests/test_identity.py``
pins results bit for bit; this test is for changes that keep the model's behaviour but not its
random stream (a faster sampler, another order of draws): for every indicator and checked year,
the mean paired difference (new minus reference, same seed) over twenty seeds must have a
confidence interval that contains zero. The intervals are Bonferroni-corrected over all the
checks, so that the family of checks has a 5% chance of one false alarm; a real change in
behaviour of the size of the seed noise fails. Like the identity files, the reference is
remade only by a change meant to alter results (first made before the performance work, at
13c2a56; remade when the banks got a balance sheet).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference_runs import REFERENCE, RUNS, run_all
from scipy import stats

INDICATORS = [
    "population",
    "urbanisation_rate",
    "gdp_bn_yuan",
    "gdp_per_capita_yuan",
    "secondary_share",
    "tertiary_share",
    "hightech_share",
    "fiscal_revenue_bn_yuan",
    "public_service_spending_per_capita_yuan",
    "fixed_asset_investment_bn_yuan",
    "urban_income_per_capita_yuan",
    "rural_income_per_capita_yuan",
    "unemployment_rate",
    "firms",
    "above_scale_industrial_firms",
    "emission_intensity_index",
    "lake_water_quality_class",
    "goal1_levels_score",
    "goal2_per_capita_score",
    "goal3_quality_score",
]
YEARS = [2010, 2013, 2016, 2020]
FAMILY_ALPHA = 0.05


@pytest.fixture(scope="module")
def paired() -> pd.DataFrame:
    runs = [r for r in RUNS if r[1] == 100]
    ref = pd.read_csv(REFERENCE)
    new = run_all(runs)
    keys = ["scenario", "scale", "seed", "year"]
    return new.merge(ref, on=keys, suffixes=("", "_ref"), validate="one_to_one")


def test_reference_covers_the_runs(paired):
    assert len(paired) == sum(len(seeds) for _, scale, seeds in RUNS if scale == 100) * 11


def test_indicator_means_match_the_reference(paired):
    rows = paired[paired["year"].isin(YEARS)]
    groups = list(rows.groupby(["scenario", "year"]))
    n_checks = len(groups) * len(INDICATORS)
    failures = []
    for (scenario, year), g in groups:
        n = len(g)
        t_crit = stats.t.ppf(1 - FAMILY_ALPHA / (2 * n_checks), n - 1)
        for name in INDICATORS:
            d = g[name].to_numpy(float) - g[f"{name}_ref"].to_numpy(float)
            half = t_crit * d.std(ddof=1) / np.sqrt(n)
            if abs(d.mean()) > half + 1e-12 * abs(g[f"{name}_ref"]).mean():
                failures.append(
                    f"{scenario} {year} {name}: mean difference {d.mean():.4g}, "
                    f"interval ±{half:.4g} (reference mean {g[f'{name}_ref'].mean():.4g})"
                )
    assert not failures, "\n".join(failures)


def test_the_check_can_fail(paired):
    """A shift of two seed standard deviations in an indicator is caught (with twenty
    seeds and the correction for many checks, smaller shifts may pass unseen)."""
    g = paired[(paired["scenario"] == "full_programme") & (paired["year"] == 2020)]
    name = "gdp_bn_yuan"
    sd = g[f"{name}_ref"].std(ddof=1)
    d = g[name].to_numpy(float) + 2 * sd - g[f"{name}_ref"].to_numpy(float)
    n_checks = len(YEARS) * 2 * len(INDICATORS)
    t_crit = stats.t.ppf(1 - FAMILY_ALPHA / (2 * n_checks), len(g) - 1)
    assert abs(d.mean()) > t_crit * d.std(ddof=1) / np.sqrt(len(g))
