"""The three goals, year by year: annual, quarterly and zone tables, and composite scores.

Every figure is in real-world units whatever the agent scale: the model's records already
weight each agent by the real households or firms it stands for. Money is nominal yuan as
yearbooks report it unless the column name says ``real``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

SCORES_FILE = Path(__file__).parent / "calibration" / "scores.toml"
GOALS = ("goal1_levels", "goal2_per_capita", "goal3_quality")
GOAL_COLUMNS = {g: f"{g}_score" for g in GOALS}

ANNUAL_COLUMNS = [
    "year",
    "seed",
    "population",
    "households",
    "urbanisation_rate",
    "gdp_bn_yuan",
    "gdp_real_bn_yuan_2010",
    "gdp_per_capita_yuan",
    "primary_share",
    "secondary_share",
    "tertiary_share",
    "industrialisation_rate",
    "hightech_share",
    "fiscal_revenue_bn_yuan",
    "fiscal_revenue_per_capita_yuan",
    "public_service_spending_per_capita_yuan",
    "fixed_asset_investment_bn_yuan",
    "urban_income_per_capita_yuan",
    "rural_income_per_capita_yuan",
    "urban_rural_income_ratio",
    "unemployment_rate",
    "firms",
    "above_scale_industrial_firms",
    "firm_entry_rate",
    "approval_days",
    "admin_cost_share",
    "energy_intensity_index",
    "emission_intensity_index",
    "lake_water_quality_class",
    "green_gdp_bn_yuan",
    "goal1_levels_score",
    "goal2_per_capita_score",
    "goal3_quality_score",
]


@lru_cache(maxsize=1)
def score_spec() -> dict[str, dict[str, dict[str, float]]]:
    with SCORES_FILE.open("rb") as fh:
        return tomllib.load(fh)


def score(table: pd.DataFrame, spec: dict | None = None) -> pd.DataFrame:
    """Add one 0-100 column per goal: weighted mean of indicators mapped worst..best."""
    out = table.copy()
    columns = {name: out[name].to_numpy(dtype=float) for name in out.columns}
    for name, values in goal_scores(columns, len(out), spec).items():
        out[name] = values
    return out


def goal_scores(
    columns: dict[str, np.ndarray], rows: int, spec: dict | None = None
) -> dict[str, np.ndarray]:
    """The 0-100 score of each goal (by its column name) from indicator ``columns``."""
    spec = spec or score_spec()
    scores = {}
    for goal, items in spec.items():
        total = np.zeros(rows)
        weights = 0.0
        for name, item in items.items():
            frac = (np.asarray(columns[name], dtype=float) - item["worst"]) / (
                item["best"] - item["worst"]
            )
            total += item["weight"] * 100 * np.clip(frac, 0.0, 1.0)
            weights += item["weight"]
        scores[GOAL_COLUMNS[goal]] = total / weights
    return scores


def annual_table(quarterly: pd.DataFrame) -> pd.DataFrame:
    """One row per seed and year from the model's quarterly records."""
    frames = [_annual_one(q) for _, q in quarterly.groupby("seed", sort=True)]
    return pd.concat(frames, ignore_index=True)


def records_frame(records: list[dict], seed: int) -> pd.DataFrame:
    """Rows kept as dicts (a quarter's, a zone's, a decile's) as a frame, the run's seed
    first."""
    frame = pd.DataFrame.from_records(records)
    frame.insert(0, "seed", seed)
    return frame


def columns_frame(parts: list[dict[str, tuple | np.ndarray]], seed: int) -> pd.DataFrame:
    """Rows kept as columns, a part at a time (a year's deciles, say: each part the same
    columns in the same order; numbers as arrays, labels as tuples), as a frame, the run's
    seed first; the same frame as :func:`records_frame` of the same rows."""
    if not parts:
        return records_frame([], seed)
    names = list(parts[0])
    if any(list(part) != names for part in parts):
        raise ValueError("the parts do not hold the same columns in the same order")
    columns = {}
    for name in names:
        pieces = [part[name] for part in parts]
        if isinstance(pieces[0], np.ndarray):
            columns[name] = np.concatenate(pieces)
        else:
            columns[name] = [value for piece in pieces for value in piece]
    frame = pd.DataFrame(columns)
    frame.insert(0, "seed", seed)
    return frame


def annual_from_records(records: list[dict], seed: int) -> pd.DataFrame:
    """The annual table of one run's quarterly records, as :func:`annual_table` gives it
    from their frame (``records_frame``); the frame is not made when every record holds
    numbers under the same keys in the same order, with none missing and the quarters in
    order (a run's own records; anything else goes through the frame)."""
    names = ["seed", *records[0]] if records else []
    same_keys = all(list(record) == names[1:] for record in records)
    # (one array of them all: numbers stay numbers, anything else makes it another kind)
    table = np.array([[seed, *record.values()] for record in records]) if same_keys else None
    if records and table is not None and table.dtype.kind in "iufb" and "year" in names:
        keep = names.index("year")
        year = np.array([record["year"] for record in records])  # (integers stay integers)
        values = np.delete(table.astype(float).T, keep, axis=0)
        yearly = _yearly_arrays(year, names[:keep] + names[keep + 1 :], values)
        if yearly is not None:
            return _annual_frame(yearly, seed, names)
    return annual_table(records_frame(records, seed))


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """A frame's columns as float arrays: on a dozen rows, pandas' per-column arithmetic
    costs a hundred times the arithmetic itself, which gives the same values on arrays."""
    return dict(zip(frame.columns, frame.to_numpy(dtype=float).T, strict=True))


def _annual_one(q: pd.DataFrame) -> pd.DataFrame:
    # yearly sums, means, last and first quarters as pandas' groupby by year gives them,
    # the arithmetic on their columns as arrays, with pandas' silence on 0/0 and x/0
    yearly = _yearly(q)
    if yearly is None:
        g = q.groupby("year", sort=True)
        sums = g.sum(numeric_only=True)
        aggregates = [sums.index.to_numpy(), _columns(sums)]
        aggregates += [_columns(g.mean(numeric_only=True)), _columns(g.last(numeric_only=True))]
        aggregates += [_columns(g.first(numeric_only=True))]
        yearly = tuple(aggregates)
    return _annual_frame(yearly, int(q["seed"].iloc[0]), list(q.columns))


def _annual_frame(yearly: tuple, seed: int, names: list[str]) -> pd.DataFrame:
    """The annual table from the years and yearly aggregates of one seed's quarters
    (``names``: the quarterly records' columns)."""
    years, flow, mean, last, first = yearly
    with np.errstate(all="ignore"):
        columns = _annual_columns(seed, names, flow, mean, last, first)
    columns["year"] = years
    extra = [c for c in columns if c not in ANNUAL_COLUMNS]
    return pd.DataFrame({name: columns[name] for name in ANNUAL_COLUMNS + extra})


def _yearly(q: pd.DataFrame) -> tuple | None:
    """The years, and each numeric column's yearly sums, means, last and first quarters,
    worked out as pandas' groupby does when the quarters are in order and no value is
    missing (each year's rows added by ``np.add.reduceat``, the mean that sum over the
    quarters); None otherwise, for pandas to do it."""
    numeric = [pd.api.types.is_numeric_dtype(dtype) for dtype in q.dtypes]
    if not all(numeric):
        return None
    names = list(q.columns)
    keep = names.index("year")
    del names[keep]
    # one row a column, as pandas holds them
    values = np.delete(q.to_numpy(dtype=float).T, keep, axis=0)
    return _yearly_arrays(q["year"].to_numpy(), names, values)


def _yearly_arrays(year: np.ndarray, names: list[str], values: np.ndarray) -> tuple | None:
    """:func:`_yearly` on the quarters' years and the other columns' values as float rows."""
    if len(year) == 0 or np.any(year[1:] < year[:-1]) or np.isnan(values).any():
        return None
    starts = np.flatnonzero(np.r_[True, year[1:] != year[:-1]])
    ends = np.r_[starts[1:], len(year)]
    sums = np.add.reduceat(values, starts, axis=1)
    means = sums / (ends - starts).astype(float)
    parts = [dict(zip(names, part, strict=True)) for part in (sums, means)]
    parts += [dict(zip(names, values[:, rows], strict=True)) for rows in (ends - 1, starts)]
    return (year[starts], *parts)


def _annual_columns(
    seed: int,
    names: list[str],
    flow: dict[str, np.ndarray],
    mean: dict[str, np.ndarray],
    last: dict[str, np.ndarray],
    first: dict[str, np.ndarray],
) -> dict:
    """The annual table's columns from the yearly aggregates of one seed's quarters."""
    a: dict = {}  # columns gathered first, the frame built once (much faster than column inserts)
    a["seed"] = seed
    pop = mean["population"]
    price = flow["gdp_yuan"] / flow["gdp_real_yuan"]
    a["population"] = last["population"]
    a["households"] = last["households"]
    a["urbanisation_rate"] = last["urban_population"] / last["population"]
    a["gdp_bn_yuan"] = flow["gdp_yuan"] / 1e9
    a["gdp_real_bn_yuan_2010"] = flow["gdp_real_yuan"] / 1e9
    a["gdp_per_capita_yuan"] = flow["gdp_yuan"] / pop
    a["primary_share"] = flow["primary_yuan"] / flow["gdp_yuan"]
    a["secondary_share"] = flow["secondary_yuan"] / flow["gdp_yuan"]
    a["tertiary_share"] = flow["tertiary_yuan"] / flow["gdp_yuan"]
    a["industrialisation_rate"] = flow["industry_yuan"] / flow["gdp_yuan"]
    a["hightech_share"] = flow["hightech_yuan"] / flow["gdp_yuan"]
    a["fiscal_revenue_bn_yuan"] = flow["local_revenue_yuan"] / 1e9
    a["fiscal_revenue_per_capita_yuan"] = flow["local_revenue_yuan"] / pop
    a["total_fiscal_revenue_bn_yuan"] = flow["total_tax_yuan"] / 1e9
    a["public_service_spending_per_capita_yuan"] = flow["public_service_yuan"] / pop
    a["fixed_asset_investment_bn_yuan"] = flow["fai_yuan"] / 1e9
    a["public_capital_real_bn_yuan"] = last["public_capital_real_yuan"] / 1e9
    a["urban_income_per_capita_yuan"] = flow["urban_disposable_yuan"] / mean["urban_persons"]
    a["rural_income_per_capita_yuan"] = flow["rural_disposable_yuan"] / mean["rural_persons"]
    a["urban_rural_income_ratio"] = (
        a["urban_income_per_capita_yuan"] / a["rural_income_per_capita_yuan"]
    )
    # as the statistics office counts it: registered jobless town registrants (docs/indicators.md)
    a["unemployment_rate"] = mean["registered_unemployed"] / mean["registered_labour_force"]
    a["firms"] = last["firms"]
    a["above_scale_industrial_firms"] = last["above_scale_firms"]
    a["firm_entry_rate"] = flow["entrants"] / first["firms"]
    a["approval_days"] = mean["approval_days"]
    a["admin_cost_share"] = flow["admin_spending_yuan"] / flow["gov_current_spending_yuan"]
    energy_int = flow["energy_tce"] / flow["gdp_real_yuan"]
    emission_int = flow["emissions"] / flow["gdp_real_yuan"]
    a["energy_intensity_index"] = 100 * energy_int / energy_int[0]
    a["emission_intensity_index"] = 100 * emission_int / emission_int[0]
    a["lake_water_quality_class"] = mean["lake_quality"]
    a["green_gdp_bn_yuan"] = flow["green_gdp_yuan"] / 1e9
    # beside the required columns: what the reforms act on, and the real per-capita values
    a["gdp_per_capita_real_yuan"] = a["gdp_per_capita_yuan"] / price
    a["fiscal_revenue_per_capita_real_yuan"] = a["fiscal_revenue_per_capita_yuan"] / price
    a["public_service_spending_per_capita_real_yuan"] = (
        a["public_service_spending_per_capita_yuan"] / price
    )
    # every worker without a job, farmers and rural registrants included, over all workers
    a["unemployment_rate_all_workers"] = mean["unemployed"] / mean["labour_force"]
    # rural residents' income per head by the survey's sources (after taxes: net income)
    for source in ("wages", "operations", "property", "transfers", "taxes"):
        a[f"rural_{source}_per_capita_yuan"] = flow[f"rural_{source}_yuan"] / mean["rural_persons"]
    a["knowledge_worker_share"] = mean["knowledge_workers"] / mean["labour_force"]
    a["commuters_to_wuhan"] = mean["commuters"]
    a["farm_workers"] = mean["farm_workers"]
    a["farmland_transferred_mu"] = flow["transferred_mu"]
    a["farmland_requisitioned_mu"] = flow["requisitioned_mu"]
    a["compensation_bn_yuan"] = flow["compensation_yuan"] / 1e9
    a["farmland_rent_bn_yuan"] = flow["farmland_rent_yuan"] / 1e9
    a["land_sales_bn_yuan"] = flow["land_sales_yuan"] / 1e9
    a["firm_exits"] = flow["exits"]
    a["firm_entrants"] = flow["entrants"]
    a["energy_mtce"] = flow["energy_tce"] / 1e6
    a["government_debt_bn_yuan"] = last["gov_debt_yuan"] / 1e9
    # every debt pays interest: what each borrower paid, and how much of its receipts the
    # city's interest took
    a["city_interest_bn_yuan"] = flow["city_interest_yuan"] / 1e9
    a["city_interest_share_of_receipts"] = flow["city_interest_yuan"] / flow["city_receipts_yuan"]
    a["platform_investment_bn_yuan"] = flow["platform_investment_yuan"] / 1e9
    a["residential_land_sales_bn_yuan"] = flow["residential_land_sales_yuan"] / 1e9
    a["residential_land_price_yuan_per_mu"] = mean["residential_land_price_yuan_per_mu"]
    a["housing_investment_bn_yuan"] = flow["housing_investment_yuan"] / 1e9
    a["housing_price_yuan_per_m2"] = mean["housing_price_yuan_per_m2"]
    a["housing_floor_per_town_resident_m2"] = last["housing_stock_m2"] / last["urban_population"]
    a["firm_interest_bn_yuan"] = flow["firm_interest_yuan"] / 1e9
    a["household_interest_bn_yuan"] = flow["household_interest_yuan"] / 1e9
    a["household_debt_bn_yuan"] = last["household_debt_yuan"] / 1e9
    a["loans_written_off_bn_yuan"] = (
        flow["firm_loans_written_off_yuan"] + flow["household_loans_written_off_yuan"]
    ) / 1e9
    a["firm_defaults"] = flow["firm_defaults"]
    a["bank_outside_claims_bn_yuan"] = last["bank_outside_claims_yuan"] / 1e9
    a["moved_to_town_households"] = flow["moved_to_town"]
    a["industrial_value_added_real_bn_yuan"] = flow["industry_yuan"] / price / 1e9
    for col in names:
        if col.startswith("va_") and col.endswith("_yuan"):
            a[col[3:-5] + "_va_share"] = flow[col] / flow["gdp_yuan"]
    a["industry_workers"] = mean["industry_workers"]
    a["public_staff"] = mean["public_workers"]
    a["heavy_abatement_share"] = last["heavy_abatement_share"]
    a["public_service_provision_per_capita_real_yuan"] = (
        flow["public_service_provision_real_yuan"] / pop
    )
    # the per-capita goals against a moving reference: yuan of 2010 deflated by China's real
    # growth since 2010, so that keeping pace with the country holds a score where it is
    a["national_real_index"] = mean["national_real_index"]
    for name in ("gdp", "fiscal_revenue", "public_service_provision"):
        a[f"{name}_per_capita_vs_national"] = (
            a[f"{name}_per_capita_real_yuan"] / a["national_real_index"]
        )
    # services delivered per town resident over those per village resident
    a["public_service_gap_ratio"] = (
        flow["urban_service_delivered_real_yuan"] / mean["urban_persons"]
    ) / (flow["rural_service_delivered_real_yuan"] / mean["rural_persons"])
    for key in (
        "audits",
        "basin_closures",
        "recruits",
        "talent_firms",
        "trained",
        "returnees",
        "fund_new_firms",
        "homestead_exits",
        "collective_land_leased_mu",
    ):
        a[key] = flow[key]
    for key in (
        "eco_compensation_yuan",
        "standard_capacity_lost_yuan",
        "fund_invested_yuan",
        "rural_infrastructure_yuan",
        "port_investment_yuan",
        "pensions_yuan",
        "social_security_yuan",
        "startup_grants_yuan",
    ):
        a[key.replace("_yuan", "_bn_yuan")] = flow[key] / 1e9
    # social management: requisitioned land contested, and how long a dispute takes
    a["disputes_contested_mu"] = flow["disputes_contested_mu"]
    a["disputes_waiting_mu"] = last["disputes_waiting_mu"]
    a["dispute_days"] = mean["dispute_days"]
    a["social_staff"] = mean["social_staff"]
    # the ports: capacity at the year's end, and how the year's cargo fared
    a["port_capacity_mt"] = last["port_capacity_mt"]
    a["port_handled_share"] = mean["port_handled_share"]
    a["freight_cost_index"] = mean["freight_cost_index"]
    a.update(goal_scores(a, len(flow["gdp_yuan"])))
    return a


def zone_table(zones: pd.DataFrame) -> pd.DataFrame:
    """One row per seed, year and zone."""
    decided = ["works_gain_per_yuan", "works_needs_per_yuan", "green_weight"]
    decided += [column for column in zones.columns if column.startswith("courting_")]
    summed = ["gdp_yuan", "disposable_yuan", "public_service_yuan", "works_real_yuan"]
    averaged = ["population", "approval_days", *decided]
    kept = ["population", "urban_population", "firms", "farmland_mu", "urban_construction_mu"]
    by_zone = _by_zone(zones, summed, averaged, kept)
    if by_zone is None:
        by_zone = _by_zone_in_pandas(zones, summed, averaged, kept)
    keys, flow, mean, last, year_works = by_zone
    z: dict[str, np.ndarray] = {}  # (arrays, as in the annual table; the frame built once)
    with np.errstate(all="ignore"):
        z["population"] = last["population"]
        z["urbanisation_rate"] = last["urban_population"] / last["population"]
        z["gdp_bn_yuan"] = flow["gdp_yuan"] / 1e9
        z["gdp_per_capita_yuan"] = flow["gdp_yuan"] / mean["population"]
        z["income_per_capita_yuan"] = flow["disposable_yuan"] / mean["population"]
        z["public_service_spending_per_capita_yuan"] = (
            flow["public_service_yuan"] / mean["population"]
        )
        z["firms"] = last["firms"]
        z["approval_days"] = mean["approval_days"]
        z["farmland_km2"] = last["farmland_mu"] / 1500
        z["urban_construction_km2"] = last["urban_construction_mu"] / 1500
        # the zone governments' decisions (model/zone_policy.py): works got, case, courting
        z["new_works_share"] = flow["works_real_yuan"] / year_works
    z.update({name: mean[name] for name in decided})
    return pd.DataFrame({**keys, **z})


def _by_zone_in_pandas(
    zones: pd.DataFrame, summed: list[str], averaged: list[str], kept: list[str]
) -> tuple:
    """The keys of each seed, year and zone (in the order they first come), the sums,
    means and last values of those columns, and the year's works, by pandas' groupby."""
    g = zones.groupby(["seed", "year", "zone"], sort=False)
    sums = g[summed].sum()
    works = sums["works_real_yuan"]
    year_works = works.groupby(["seed", "year"]).transform("sum").to_numpy()
    keys = sums.index.to_frame(index=False)
    keys = {name: keys[name] for name in keys.columns}
    aggregates = [_columns(sums), _columns(g[averaged].mean()), _columns(g[kept].last())]
    return keys, *aggregates, year_works


def _by_zone(
    zones: pd.DataFrame, summed: list[str], averaged: list[str], kept: list[str]
) -> tuple | None:
    """What :func:`_by_zone_in_pandas` gives, worked out on arrays as pandas does it when no
    value is missing and the zones' rows come quarter by quarter (sums and means
    compensated, Kahan's way, in the order of the rows; the year's works added by
    ``np.add.reduceat``); None otherwise."""
    columns = list(dict.fromkeys(summed + averaged + kept))
    values = zones[columns].to_numpy(dtype=float)
    seed, year = zones["seed"].to_numpy(), zones["year"].to_numpy()
    if np.isnan(values).any() or seed.dtype != np.int64 or year.dtype != np.int64:
        return None
    if not pd.api.types.is_string_dtype(zones["zone"].dtype):
        return None
    if np.any(seed[1:] < seed[:-1]) or np.any((seed[1:] == seed[:-1]) & (year[1:] < year[:-1])):
        return None
    first: dict = {}
    rows = zip(seed.tolist(), year.tolist(), zones["zone"].tolist(), strict=True)
    codes = np.asarray([first.setdefault(key, len(first)) for key in rows])
    if len(first) == 0 or np.all(codes[1:] >= codes[:-1]):
        return None  # (groups in a row: pandas adds them another way)
    total, count = _compensated_sums(values, codes, len(first))
    at = {name: k for k, name in enumerate(columns)}
    flow = {name: total[:, at[name]] for name in summed}
    mean = {name: total[:, at[name]] / count for name in averaged}
    # each group's last row: its first from the end
    ends = len(codes) - 1 - np.unique(codes[::-1], return_index=True)[1]
    last = {name: values[ends, at[name]] for name in kept}
    key_seed, key_year, key_zone = (list(part) for part in zip(*first, strict=True))
    keys = {"seed": np.asarray(key_seed), "year": np.asarray(key_year), "zone": key_zone}
    # the year's works over its zones, each seed's and year's groups being in a row
    new_year = (keys["seed"][1:] != keys["seed"][:-1]) | (keys["year"][1:] != keys["year"][:-1])
    starts = np.flatnonzero(np.r_[True, new_year])
    by_year = np.add.reduceat(flow["works_real_yuan"], starts)
    year_works = np.repeat(by_year, np.diff(np.r_[starts, len(first)]))
    return keys, flow, mean, last, year_works


def _compensated_sums(
    values: np.ndarray, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each group's column sums (rows: groups) and its count of rows, added as pandas'
    groupby adds them: in the order of the rows, with Kahan's compensation (a compensation
    that is not a number, as an infinite value makes it, is dropped). The k-th row of every
    group is added at once."""
    counts = np.bincount(codes, minlength=n_groups)
    order = np.argsort(codes, kind="stable")
    starts = np.cumsum(counts) - counts
    total = np.zeros((n_groups, values.shape[1]))
    compensation = np.zeros_like(total)
    for k in range(int(counts.max(initial=0))):
        groups = np.flatnonzero(counts > k)
        value = values[order[starts[groups] + k]]
        before, carried = total[groups], compensation[groups]
        y = value - carried
        t = before + y
        carried = t - before - y
        carried[np.isnan(carried)] = 0.0
        compensation[groups] = carried
        total[groups] = t
    return total, counts.astype(float)


def summarise(
    annual: pd.DataFrame,
    columns: list[str] | None = None,
    by: list[str] | None = None,
    level: float = 0.90,
) -> pd.DataFrame:
    """Mean and central interval across seeds, per year (and any ``by`` columns)."""
    by = (by or []) + ["year"]
    columns = columns or [c for c in ANNUAL_COLUMNS if c not in ("year", "seed")]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    g = annual.groupby(by, sort=True)[columns]
    out = pd.concat(
        {"mean": g.mean(), "lo": g.quantile(lo_q), "hi": g.quantile(hi_q), "sd": g.std(ddof=1)},
        axis=1,
    )
    return out
