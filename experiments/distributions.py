"""Who gains, across seeds: each run's distribution table (``RunResult.distribution``, written
as ``distribution.parquet``; its columns are described in docs/indicators.md) summed up for the
app's distributions tab and for reports.

- :func:`prepared`: a ``group`` column (``city``, ``urban``, ``rural`` or a zone) and money in
  yuan of 2010 beside the nominal figures;
- :func:`lorenz`, :func:`deciles`, :func:`over_years`: Lorenz curves, a figure by decile, and a
  group's Gini coefficient, poverty share or mean income year by year, each as the mean across
  seeds with the interval of single seeds;
- :func:`paired`: each scenario against the first on the same seeds (the paired difference with
  its confidence interval, as ``ezhou compare`` gives it for the annual table).

Only the persons-weighted figures of the table are used, so nothing depends on the agent scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.compare import differences

LEVEL = 0.90  # the interval across seeds, as everywhere in the app and the reports
CITY, URBAN, RURAL = "city", "urban", "rural"
MAIN_GROUPS = (CITY, URBAN, RURAL)
ALL = "all"  # the table's word for "not split by this"
# the table's money columns (nominal yuan of the year) and their names in yuan of 2010
REAL_MONEY = {
    "income_per_capita_yuan": "income_per_capita_real_yuan",
    "income_upper_yuan": "income_upper_real_yuan",
    "wealth_per_capita_yuan": "wealth_per_capita_real_yuan",
    "group_income_per_capita_yuan": "group_income_per_capita_real_yuan",
    "poverty_line_yuan": "poverty_line_real_yuan",
}
# per-head figures a decile chart can show
DECILE_MEASURES = (
    "income_per_capita_real_yuan",
    "wealth_per_capita_real_yuan",
    "land_mu_per_capita",
)
# figures of a whole group in a year, and the poorest tenth's income beside them
POOREST = "poorest_tenth_income_real_yuan"
GROUP_MEASURES = ("gini", "poverty_share", "group_income_per_capita_real_yuan", POOREST)
SEPARATOR = "|"  # between a measure and its group in the paired comparison's columns


def prepared(table: pd.DataFrame) -> pd.DataFrame:
    """The distribution table with its ``group`` and money in yuan of 2010 (each year's
    figures divided by that year's consumer price index, ``cpi``, 2010 = 1)."""
    out = table.copy()
    zone, residence = out["zone"].astype(str), out["residence"].astype(str)
    out["group"] = np.where(zone != ALL, zone, np.where(residence == ALL, CITY, residence))
    for nominal, real in REAL_MONEY.items():
        out[real] = out[nominal] / out["cpi"]
    return out


def groups(table: pd.DataFrame) -> list[str]:
    """The table's groups: the city, urban, rural, then the zones in the table's order."""
    found = list(dict.fromkeys(table["group"]))
    return [g for g in MAIN_GROUPS if g in found] + [g for g in found if g not in MAIN_GROUPS]


def _spread(grouped, level: float) -> pd.DataFrame:
    """Mean, the ``level`` interval and the number of seeds of a grouped column."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "lo": grouped.quantile(lo),
            "hi": grouped.quantile(hi),
            "seeds": grouped.size(),
        }
    )


def lorenz(
    table: pd.DataFrame, year: int, shown: tuple[str, ...] = MAIN_GROUPS, level: float = LEVEL
) -> pd.DataFrame:
    """Lorenz curves in ``year``: for each group the share of its income held by the poorest
    0%, 10%, ... 100% of its persons (``population``), as the mean across seeds (``mean``)
    and the ``level`` interval of single seeds (``lo``, ``hi``)."""
    rows = table[(table.year == year) & table.group.isin(shown)]
    rows = rows.sort_values(["group", "seed", "decile"], kind="stable")
    mass = rows.income_per_capita_yuan * rows.persons
    by_run = [rows.group, rows.seed]
    share = mass.groupby(by_run).cumsum() / mass.groupby(by_run).transform("sum")
    points = pd.DataFrame(
        {
            "group": rows.group,
            "population": rows.decile / rows.decile.max(),
            "share": share,
        }
    )
    out = _spread(points.groupby(["group", "population"])["share"], level).reset_index()
    start = pd.DataFrame(
        {"group": out.group.unique(), "population": 0.0, "mean": 0.0, "lo": 0.0, "hi": 0.0}
    )
    start["seeds"] = out.groupby("group", sort=False).seeds.first().to_numpy()
    out = pd.concat([start, out], ignore_index=True)
    rank = out.group.map({group: i for i, group in enumerate(shown)})
    return out.assign(rank=rank).sort_values(["rank", "population"]).drop(columns="rank")


def deciles(
    table: pd.DataFrame, measure: str, year: int, group: str, level: float = LEVEL
) -> pd.DataFrame:
    """``measure`` by decile of ``group`` in ``year``: mean across seeds and the interval."""
    rows = table[(table.year == year) & (table.group == group)]
    return _spread(rows.groupby("decile")[measure], level).reset_index()


def group_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per seed, year and group with the group's figures (:data:`GROUP_MEASURES`)."""
    first = table[table.decile == 1]
    out = first[["seed", "year", "group", *GROUP_MEASURES[:-1]]].copy()
    out[POOREST] = first["income_per_capita_real_yuan"].to_numpy()
    return out.reset_index(drop=True)


def over_years(table: pd.DataFrame, measure: str, group: str, level: float = LEVEL) -> pd.DataFrame:
    """A group figure (:data:`GROUP_MEASURES`) year by year: mean across seeds, interval."""
    rows = group_rows(table)
    rows = rows[rows.group == group]
    return _spread(rows.groupby("year")[measure], level).reset_index()


def column_name(measure: str, group: str) -> str:
    return f"{measure}{SEPARATOR}{group}"


def wide(table: pd.DataFrame, shown: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """Per seed and year, a column per group figure and group (``gini|urban``): the shape of
    an annual table, which :func:`experiments.compare.differences` pairs by seed."""
    rows = group_rows(table)
    rows = rows[rows.group.isin(shown)]
    out = rows.pivot(index=["seed", "year"], columns="group", values=list(GROUP_MEASURES))
    out.columns = [column_name(measure, group) for measure, group in out.columns]
    return out.reset_index()


def paired(
    tables: dict[str, pd.DataFrame],
    shown: tuple[str, ...] | list[str] = MAIN_GROUPS,
    level: float = LEVEL,
) -> pd.DataFrame:
    """Each scenario's group figures against the first's on the same seeds: per scenario,
    year, group and measure the mean across seeds with its interval (``seed_lo``,
    ``seed_hi``) and the mean paired difference from the first scenario (``diff``) with its
    ``level`` confidence interval (``diff_lo``, ``diff_hi``)."""
    frames = [wide(table, shown).assign(scenario=name) for name, table in tables.items()]
    both = pd.concat(frames, ignore_index=True)
    columns = [c for c in both.columns if SEPARATOR in c]
    out = differences(both, columns=columns, level=level)
    split = out.indicator.str.split(SEPARATOR, n=1, expand=True)
    return out.assign(measure=split[0], group=split[1]).drop(columns="indicator")
