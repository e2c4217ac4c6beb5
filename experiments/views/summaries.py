"""What the app shows of finished runs: means and seed intervals by year, the goal cards, paired
effects, zones, sectors, quarterly series and the CSV files it offers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.compare import differences
from experiments.runner import Replications
from model.indicators import GOAL_COLUMNS

GOALS = list(GOAL_COLUMNS.values())
LEVEL = 0.90  # the interval the app shows across seeds


def bands(annual: pd.DataFrame, column: str, level: float = LEVEL) -> pd.DataFrame:
    """Per year: mean of ``column`` across seeds and the ``level`` interval of the seeds."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    g = annual.groupby("year")[column]
    out = pd.DataFrame({"mean": g.mean(), "lo": g.quantile(lo), "hi": g.quantile(hi)})
    out["seeds"] = g.size()
    return out.reset_index()


def goal_cards(
    annual: pd.DataFrame, reference: pd.DataFrame | None, year: int, level: float = LEVEL
) -> pd.DataFrame:
    """One row per goal score in ``year``: mean, seed interval, and the paired difference
    from ``reference`` (the same seeds without reform) with its confidence interval. With no
    reference the difference is the change since the first year."""
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    if reference is not None:
        both = pd.concat(
            [reference.assign(scenario="reference"), annual.assign(scenario="this")],
            ignore_index=True,
        )
        d = differences(both, columns=GOALS, level=level)
        d = d[(d.scenario == "this") & (d.year == year)].set_index("indicator")
    first = annual.year.min()
    for col in GOALS:
        x = annual.loc[annual.year == year, col]
        row = {
            "goal": col,
            "mean": x.mean(),
            "lo": x.quantile(lo_q),
            "hi": x.quantile(hi_q),
            "seeds": len(x),
        }
        if reference is not None:
            row.update(
                delta=d.at[col, "diff"],
                delta_lo=d.at[col, "diff_lo"],
                delta_hi=d.at[col, "diff_hi"],
                against="reference",
            )
        else:
            start = annual.loc[annual.year == first].set_index("seed")[col]
            change = x.set_axis(annual.loc[annual.year == year, "seed"]) - start
            row.update(
                delta=change.mean(),
                delta_lo=change.quantile(lo_q),
                delta_hi=change.quantile(hi_q),
                against="start",
            )
        rows.append(row)
    return pd.DataFrame(rows)


def paired_effect(
    annual: pd.DataFrame, reference: pd.DataFrame, column: str, year: int, level: float = LEVEL
) -> dict[str, float]:
    """The mean paired difference in one indicator and year, with its confidence interval,
    and the direction it shows: +1 up, -1 down, 0 when the interval includes zero."""
    both = pd.concat(
        [reference.assign(scenario="reference"), annual.assign(scenario="this")],
        ignore_index=True,
    )
    d = differences(both, columns=[column], level=level)
    r = d[(d.scenario == "this") & (d.year == year)].iloc[0]
    base = d[(d.scenario == "reference") & (d.year == year)].iloc[0]
    lo, hi = float(r.diff_lo), float(r.diff_hi)
    direction = (
        0 if not (np.isfinite(lo) and np.isfinite(hi)) or lo <= 0 <= hi else int(np.sign(r["diff"]))
    )
    return {
        "reference": float(base["mean"]),
        "value": float(r["mean"]),
        "diff": float(r["diff"]),
        "lo": lo,
        "hi": hi,
        "direction": direction,
        "seeds": int(r.seeds),
    }


def zone_view(zones: pd.DataFrame, column: str, year: int) -> pd.DataFrame:
    """Per zone in ``year``: mean of ``column`` across seeds and its seed interval."""
    lo, hi = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    g = zones[zones.year == year].groupby("zone", sort=False)[column]
    return pd.DataFrame(
        {"mean": g.mean(), "lo": g.quantile(lo), "hi": g.quantile(hi)}
    ).reset_index()


SECTOR_PREFIX = "va_"


def sector_value_added(quarterly: pd.DataFrame, year: int) -> pd.DataFrame:
    """Value added by sector in ``year`` (bn yuan, current prices): mean across seeds and
    the seed interval, from the quarterly records."""
    # a sector has its value added and its price in the records (va_tax_yuan is a tax)
    cols = [
        c
        for c in quarterly.columns
        if c.startswith(SECTOR_PREFIX)
        and c.endswith("_yuan")
        and f"price_{c[len(SECTOR_PREFIX) : -len('_yuan')]}" in quarterly.columns
    ]
    q = quarterly[quarterly.year == year]
    per_seed = q.groupby("seed")[cols].sum() / 1e9
    lo, hi = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2
    out = pd.DataFrame(
        {
            "sector": [c[len(SECTOR_PREFIX) : -len("_yuan")] for c in cols],
            "mean": per_seed.mean().to_numpy(),
            "lo": per_seed.quantile(lo).to_numpy(),
            "hi": per_seed.quantile(hi).to_numpy(),
        }
    )
    out["share"] = out["mean"] / out["mean"].sum()
    return out


def annual_csv(reps: Replications) -> bytes:
    """The annual table as ``ezhou run`` writes it to annual.csv."""
    annual = reps.annual.sort_values(["seed", "year"], kind="stable")
    return annual.to_csv(index=False, float_format="%.10g").encode("utf-8")


def zones_csv(reps: Replications) -> bytes:
    return reps.zones.to_csv(index=False, float_format="%.10g").encode("utf-8")


def distribution_csv(reps: Replications) -> bytes:
    """The distribution table, the rows of ``ezhou run``'s distribution.parquet, as CSV."""
    return reps.distribution.to_csv(index=False, float_format="%.10g").encode("utf-8")


# quarterly series shown while a run advances step by step: name -> (numerator column,
# denominator column or None, factor); ratios of the model's quarterly records
QUARTERLY_SERIES: dict[str, tuple[str, str | None, float]] = {
    "urban_share": ("urban_population", "population", 1.0),
    "transferred_mu": ("transferred_mu", None, 1.0),
    "homestead_exits": ("homestead_exits", None, 1.0),
    "rural_income_per_person_yuan": ("rural_disposable_yuan", "rural_persons", 1.0),
    "village_dividends_m_yuan": ("village_dividends_yuan", None, 1e-6),
    "emission_intensity_q_index": ("emissions", "gdp_real_yuan", 1.0),  # first quarter = 100
    "lake_quality": ("lake_quality", None, 1.0),
    "audits": ("audits", None, 1.0),
    "basin_closures": ("basin_closures", None, 1.0),
    "industry_bn_yuan": ("industry_yuan", None, 1e-9),
    "fund_invested_m_yuan": ("fund_invested_yuan", None, 1e-6),
    "fund_new_firms": ("fund_new_firms", None, 1.0),
    "entrants": ("entrants", None, 1.0),
    "hightech_share": ("hightech_yuan", "gdp_yuan", 1.0),
    "gov_debt_bn_yuan": ("gov_debt_yuan", None, 1e-9),
    "recruits": ("recruits", None, 1.0),
    "knowledge_share": ("knowledge_workers", "labour_force", 1.0),
    "returnees": ("returnees", None, 1.0),
    "trained": ("trained", None, 1.0),
    "real_gdp_per_person_yuan": ("gdp_real_yuan", "population", 1.0),
    "unemployment_share": ("unemployed", "labour_force", 1.0),
}


def quarterly_series(quarterly: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Long table (quarter label, series, value) of the named quarterly series."""
    if quarterly.empty:
        return pd.DataFrame(columns=["quarter", "t", "series", "value"])
    label = quarterly.year.astype(int).astype(str) + "Q" + quarterly.quarter.astype(int).astype(str)
    frames = []
    for name in names:
        num, den, factor = QUARTERLY_SERIES[name]
        value = quarterly[num] * factor
        if den is not None:
            value = value / quarterly[den].where(quarterly[den] != 0)
        if name.endswith("_index"):
            value = 100 * value / value.iloc[0]
        frames.append(
            pd.DataFrame({"quarter": label, "t": quarterly.t, "series": name, "value": value})
        )
    return pd.concat(frames, ignore_index=True)
