"""Several scenarios on the same seeds, each against the first: paired differences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.runner import run_replications, write_frame
from experiments.tables import GOAL_ROWS
from model.scenario import Scenario

# what `ezhou compare` writes; compare.csv marks a folder as an earlier comparison
COMPARE_FILES = ("annual.csv", "compare.csv")
COMPARE_MARKER = "compare.csv"

COMPARE_COLUMNS = [c for score, _, rows in GOAL_ROWS for c in [score] + [r[0] for r in rows]] + [
    "gdp_real_bn_yuan_2010",
    "rural_income_per_capita_yuan",
    "urban_income_per_capita_yuan",
    "unemployment_rate",
    "firm_entry_rate",
    "knowledge_worker_share",
    "industrial_value_added_real_bn_yuan",
    "industry_workers",
]


def compare(scenarios: list[Scenario], seeds: list[int], progress=None) -> pd.DataFrame:
    """Annual tables of every scenario on the same seeds, with a ``scenario`` column."""
    frames = []
    for i, sc in enumerate(scenarios):
        reps = run_replications(
            sc, seeds, progress=(lambda k, n, i=i: progress(i, k, n)) if progress else None
        )
        frames.append(reps.annual.assign(scenario=sc.name))
    return pd.concat(frames, ignore_index=True)


def differences(
    annual: pd.DataFrame, columns: list[str] | None = None, level: float = 0.90
) -> pd.DataFrame:
    """Per scenario, year and indicator: the mean, its spread across seeds, and the mean
    paired difference from the first scenario with a ``level`` confidence interval."""
    columns = columns or COMPARE_COLUMNS
    names = list(dict.fromkeys(annual.scenario))
    base = annual[annual.scenario == names[0]].set_index(["seed", "year"])[columns]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for name in names:
        this = annual[annual.scenario == name].set_index(["seed", "year"])[columns]
        diff = (this - base).dropna(how="all")
        for year in sorted(this.index.get_level_values("year").unique()):
            x = this.xs(year, level="year")
            d = diff.xs(year, level="year")
            n = len(d)
            t = stats.t.ppf(1 - (1 - level) / 2, n - 1) if n > 1 else np.nan
            for col in columns:
                se = d[col].std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
                rows.append(
                    {
                        "scenario": name,
                        "year": year,
                        "indicator": col,
                        "mean": x[col].mean(),
                        "seed_lo": x[col].quantile(lo_q),
                        "seed_hi": x[col].quantile(hi_q),
                        "diff": d[col].mean(),
                        "diff_lo": d[col].mean() - t * se,
                        "diff_hi": d[col].mean() + t * se,
                        "seeds": n,
                    }
                )
    return pd.DataFrame(rows)


def diff_table(diffs: pd.DataFrame, years: list[int]) -> str:
    """Text table: each scenario's difference from the first, with its interval."""
    names = list(dict.fromkeys(diffs.scenario))
    base, others = names[0], names[1:]
    labels = {c: lab for _, _, rows in GOAL_ROWS for c, lab, _ in rows}
    width, col = 40, 30
    out = []
    for score, title, rows in GOAL_ROWS:
        out.append("")
        out.append(title)
        for column in [score] + [r[0] for r in rows]:
            label = "  score (0-100)" if column == score else "    " + labels[column]
            for name in others:
                cells = []
                for y in years:
                    r = diffs[
                        (diffs.scenario == name) & (diffs.year == y) & (diffs.indicator == column)
                    ].iloc[0]
                    cells.append(f"{_num(r['diff'])} [{_num(r.diff_lo)}, {_num(r.diff_hi)}]")
                tag = f"{label[: width - 1]:<{width}}" if name == others[0] else " " * width
                out.append(tag + f"{name[:24]:<26}" + "".join(f"{c:>{col}}" for c in cells))
    head = " " * (width + 26) + "".join(f"{y:>{col}}" for y in years)
    n = int(diffs.seeds.max())
    foot = (
        f"\n\ndifference from {base}: mean over {n} paired seeds "
        "[90% confidence interval of the mean difference]"
    )
    return head + "\n" + "\n".join(out) + foot


def _num(x: float) -> str:
    if not np.isfinite(x):
        return "nan"
    a = abs(x)
    if a >= 1000:
        return f"{x:+,.0f}"
    if a >= 10:
        return f"{x:+.1f}"
    if a >= 0.1:
        return f"{x:+.2f}"
    return f"{x:+.4f}"


def write_compare(annual: pd.DataFrame, diffs: pd.DataFrame, out: Path) -> None:
    write_frame({"annual.csv": annual, "compare.csv": diffs}, out)
