"""Real growth taken apart: by demand (what was bought), by supply (what produced it), and
by cause (the outside conditions, the reforms, and how they interact).

Everything works on the model's quarterly records (``model/growth_records.py`` adds the
figures used here) and is computed seed by seed; the summaries then give the mean and the
5-95% interval across seeds.

- *Demand.* Each expenditure component is deflated by the quarter's price level, the
  deflator of the model's real GDP, and summed over the year; its contribution to real
  growth in year y is its change over y - 1 divided by real GDP of y - 1. The contributions
  add up to real growth, up to the goods market's rounding, which is shown apart. Imports
  subtract as a component of their own (the national accounts' convention); the *local
  demand* view instead nets each buyer's imports out of its own spending, so that each line
  is what the city's producers sold to that buyer, and they add up to real growth too.
- *Supply.* Growth accounting on output at 2010 prices: capital (firms' real capital) and
  labour (workers employed in the city) each weighted by the elasticity of GDP to it in the
  model's production functions (the mean of the two years'); productivity is what is left,
  and the parts of it that come from the national frontier's drift, knowledge spill-overs
  and public capital are firms' share of GDP times the growth of each productivity level.
  Real GDP differs from output at 2010 prices by the change of sectors' relative prices,
  shown as its own line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.api import imports_column

# the expenditure components of the quarterly records, in the order tables list them:
# (column, label); government investment is split into the budget's and the platform's
DEMAND = (
    ("household_consumption_yuan", "household consumption"),
    ("government_purchases_yuan", "government purchases"),
    ("public_wages_yuan", "government staff (public wages)"),
    ("firm_fixed_investment_yuan", "investment: firms"),
    ("government_budget_investment_yuan", "investment: government budget"),
    ("platform_investment_yuan", "investment: construction platform"),
    ("household_fixed_investment_yuan", "investment: households (housing, own businesses)"),
    ("outside_housing_investment_yuan", "investment: housing paid from outside the city"),
    ("exports_yuan", "outside demand: exports"),
    ("imports_yuan", "outside demand: less imports"),
)
DEMAND_LABELS = dict(DEMAND)
# lines of the demand table that are sums of components
DEMAND_TOTALS = {
    "investment": [column for column, _ in DEMAND if column.endswith("investment_yuan")],
    "net outside demand": ["exports_yuan", "imports_yuan"],
}
# the same components net of what each bought outside the city: what the city's producers
# sold to each buyer (the model's producers buy no intermediate goods)
LOCAL = tuple((column, label) for column, label in DEMAND if column != "imports_yuan")
LOCAL_PREFIX = "local_"
LOCAL_TOTALS = {
    "investment": [column for column, _ in LOCAL if column.endswith("investment_yuan")],
}
REAL_GROWTH = "real GDP growth"
ROUNDING = "rounding (goods market)"

# workers employed in the city: every job but commuting to Wuhan
EMPLOYED = ("firm_workers", "public_workers", "farm_workers", "business_workers")
# productivity levels firms' productivity is multiplied by: (column, label)
PRODUCTIVITY_PARTS = (
    ("frontier_productivity_index", "of which the national frontier's drift"),
    ("public_capital_productivity_index", "of which public capital"),
    ("spillover_productivity_index", "of which knowledge spill-overs"),
)
SUPPLY = (
    "capital (firms' real capital)",
    "labour (workers employed in the city)",
    "productivity (residual)",
    *(label for _, label in PRODUCTIVITY_PARTS),
    "of which other (shocks, entry and exit, land, skills, jobs' mix)",
    "relative prices of sectors",
)


def _local_content(q: pd.DataFrame) -> None:
    """Add to ``q`` each component's local content (:data:`LOCAL`): its spending less what
    it bought outside the city; the government's imports of investment goods are shared
    between its budget and the platform in proportion to their spending."""
    platform_share = q["platform_investment_yuan"] / q["government_fixed_investment_yuan"].where(
        q["government_fixed_investment_yuan"] > 0
    )
    government_imports = q[imports_column("government_fixed_investment_yuan")]
    imports = {
        "government_budget_investment_yuan": government_imports * (1 - platform_share.fillna(0)),
        "platform_investment_yuan": government_imports * platform_share.fillna(0),
        "public_wages_yuan": 0.0,
        "exports_yuan": 0.0,
    }
    for column, _ in DEMAND:
        if column == "imports_yuan":
            continue
        bought_outside = imports.get(column)
        if bought_outside is None:
            bought_outside = q[imports_column(column)]
        q[LOCAL_PREFIX + column] = q[column] - bought_outside


def _yearly(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Per seed and year: real expenditure components (spent, and local content) and real
    GDP (quarters deflated by their price level, then summed), output at 2010 prices, and
    the inputs of growth accounting (stocks and levels as the year's mean, elasticities
    weighted by GDP)."""
    q = quarterly.copy()
    q["government_budget_investment_yuan"] = (
        q["government_fixed_investment_yuan"] - q["platform_investment_yuan"]
    )
    _local_content(q)
    q["imports_yuan"] = -q["imports_yuan"]  # imports subtract from GDP
    real = [column for column, _ in DEMAND] + [LOCAL_PREFIX + column for column, _ in LOCAL]
    q[real] = q[real].div(q["price_level"], axis=0)
    q["employed"] = q[list(EMPLOYED)].sum(axis=1)
    weighted = ["capital_output_elasticity", "labour_output_elasticity"]
    q[weighted] = q[weighted].mul(q["gdp_yuan"], axis=0)
    g = q.groupby(["seed", "year"], sort=True)
    flows = g[[*real, "gdp_real_yuan", "gdp_volume_real_yuan", "gdp_yuan", *weighted]].sum()
    flows["firms_share"] = g["firms_value_added_yuan"].sum() / flows["gdp_yuan"]
    for column in weighted:
        flows[column] = flows[column] / flows["gdp_yuan"]
    levels = g[
        ["firm_capital_real_yuan", "employed", *(column for column, _ in PRODUCTIVITY_PARTS)]
    ].mean()
    return pd.concat([flows, levels], axis=1)


def _change(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each seed's values of a year (``now``) and of the year before (``before``), on the
    rows of every year that has one."""
    before = frame.groupby(level="seed").shift(1)
    keep = before.notna().all(axis=1)
    return frame[keep], before[keep]


def contributions(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Per seed and year (from the second year on): real growth and its demand and supply
    contributions, percentage points, in long form (``side``, ``component``, ``pp``)."""
    now, before = _change(_yearly(quarterly))
    base = before["gdp_real_yuan"]
    growth = 100 * (now["gdp_real_yuan"] / base - 1)
    demand = {label: 100 * (now[column] - before[column]) / base for column, label in DEMAND}
    for total, columns in DEMAND_TOTALS.items():
        demand[total] = sum(demand[DEMAND_LABELS[column]] for column in columns)
    demand[ROUNDING] = growth - sum(demand[label] for _, label in DEMAND)
    local = {
        label: 100 * (now[LOCAL_PREFIX + column] - before[LOCAL_PREFIX + column]) / base
        for column, label in LOCAL
    }
    local["investment"] = sum(local[DEMAND_LABELS[column]] for column in LOCAL_TOTALS["investment"])
    local[ROUNDING] = growth - sum(local[label] for _, label in LOCAL)

    def mean_of_two(column: str) -> pd.Series:
        return (now[column] + before[column]) / 2

    def rise(column: str) -> pd.Series:
        return 100 * (now[column] / before[column] - 1)

    volume = rise("gdp_volume_real_yuan")
    capital = mean_of_two("capital_output_elasticity") * rise("firm_capital_real_yuan")
    labour = mean_of_two("labour_output_elasticity") * rise("employed")
    productivity = volume - capital - labour
    firms_share = mean_of_two("firms_share")
    parts_of_productivity = {
        label: firms_share * rise(column) for column, label in PRODUCTIVITY_PARTS
    }
    supply = {
        SUPPLY[0]: capital,
        SUPPLY[1]: labour,
        SUPPLY[2]: productivity,
        **parts_of_productivity,
        SUPPLY[-2]: productivity - sum(parts_of_productivity.values()),
        SUPPLY[-1]: growth - volume,
    }
    frames = [pd.DataFrame({"side": "total", "component": REAL_GROWTH, "pp": growth})]
    for side, table in (("demand", demand), ("local demand", local), ("supply", supply)):
        for component, values in table.items():
            frames.append(pd.DataFrame({"side": side, "component": component, "pp": values}))
    return pd.concat(frames).reset_index()


def spread(values: pd.Series, level: float = 0.90) -> dict[str, float]:
    """Mean of ``values`` (one per seed), the ``level`` interval of the seeds, and the
    ``level`` confidence interval of the mean (Student's t)."""
    # imported here, not at the top: scipy.stats takes about a second to import, and most
    # commands never need it
    from scipy import stats

    values = values.to_numpy(dtype=float)
    n = len(values)
    tail = (1 - level) / 2
    mean = float(values.mean())
    half = (
        float(stats.t.ppf(1 - tail, n - 1) * values.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    )
    return {
        "mean": mean,
        "seed_lo": float(np.quantile(values, tail)),
        "seed_hi": float(np.quantile(values, 1 - tail)),
        "mean_lo": mean - half,
        "mean_hi": mean + half,
        "seeds": n,
    }


def summarise(by_seed: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """:func:`spread` of ``pp`` for each group of ``keys`` (in the order they first appear)."""
    rows = [
        {**dict(zip(keys, group, strict=True)), **spread(frame["pp"])}
        for group, frame in by_seed.groupby(keys, sort=False)
    ]
    return pd.DataFrame(rows)


# the effects of the decomposition: (name, variant minus, variant), with the variants
# full (F), conditions only (C), reforms only (R) and neither (N)
EFFECTS = (
    ("conditions, without reforms (C - N)", "conditions_only", "neither"),
    ("conditions, with reforms (F - R)", "full", "reforms_only"),
    ("reforms, under default conditions (R - N)", "reforms_only", "neither"),
    ("reforms, under the scenario's conditions (F - C)", "full", "conditions_only"),
)
INTERACTION = "interaction (F - R - C + N)"


def effects(by_seed: pd.DataFrame) -> pd.DataFrame:
    """Per seed, year, side and component: each effect of :data:`EFFECTS` and the
    interaction, as paired differences of the variants' percentage points (in the order of
    the full scenario's rows)."""
    keys = ["seed", "year", "side", "component"]
    order = by_seed[by_seed.variant == "full"].set_index(keys).index
    pp = {
        variant: rows.set_index(keys)["pp"].reindex(order)
        for variant, rows in by_seed.groupby("variant", sort=False)
    }
    differences = {name: pp[minuend] - pp[subtrahend] for name, minuend, subtrahend in EFFECTS}
    differences[INTERACTION] = (
        pp["full"] - pp["reforms_only"] - pp["conditions_only"] + pp["neither"]
    )
    frames = [
        values.rename("pp").reset_index().assign(effect=name)
        for name, values in differences.items()
    ]
    return pd.concat(frames, ignore_index=True)[["effect", *keys, "pp"]]
