"""Several scenarios on the same seeds, each against the first: paired differences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import DISTRIBUTION_FILE, replaced, run_replications
from experiments.tables import NOTES, SCORE_LABEL, goal_rows, label, label_width
from model.scenario import Scenario

# what `ezhou compare` writes; compare.csv marks a folder as an earlier comparison
COMPARE_FILES = ("annual.csv", "compare.csv", DISTRIBUTION_FILE)
COMPARE_MARKER = "compare.csv"
# columns of the annual table that are not indicators
KEYS = ("scenario", "seed", "year")


def compare(
    scenarios: list[Scenario], seeds: list[int], progress=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annual and the distribution tables of every scenario on the same seeds, each with
    a ``scenario`` column."""
    annual, distribution = [], []
    for i, sc in enumerate(scenarios):
        reps = run_replications(
            sc, seeds, progress=(lambda k, n, i=i: progress(i, k, n)) if progress else None
        )
        annual.append(reps.annual.assign(scenario=sc.name))
        distribution.append(reps.distribution.assign(scenario=sc.name))
    return pd.concat(annual, ignore_index=True), pd.concat(distribution, ignore_index=True)


def indicator_columns(annual: pd.DataFrame) -> list[str]:
    """Every indicator of an annual table: its numeric columns but the keys."""
    numeric = annual.select_dtypes("number").columns
    return [column for column in numeric if column not in KEYS]


def differences(
    annual: pd.DataFrame, columns: list[str] | None = None, level: float = 0.90
) -> pd.DataFrame:
    """Per scenario, year and indicator (every one unless ``columns`` are given): the mean
    across seeds and the ``level`` interval of the seeds (``seed_lo``, ``seed_hi``), and the
    mean paired difference from the first scenario (``diff``) with its ``level`` confidence
    interval (``diff_lo``, ``diff_hi``, Student's t over ``seeds`` pairs)."""
    # imported here, not at the top: scipy.stats takes about a second to import, and most
    # commands never need it
    from scipy import stats

    columns = list(columns) if columns is not None else indicator_columns(annual)
    names = list(dict.fromkeys(annual.scenario))
    base = annual[annual.scenario == names[0]].set_index(["seed", "year"])[columns]
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    frames = []
    for name in names:
        this = annual[annual.scenario == name].set_index(["seed", "year"])[columns]
        diff = (this - base).dropna(how="all")
        for year in sorted(this.index.get_level_values("year").unique()):
            # whole columns at once: the same figures as column by column, many times faster
            x = this.xs(year, level="year")
            d = diff.xs(year, level="year")
            n = len(d)
            t = stats.t.ppf(1 - (1 - level) / 2, n - 1) if n > 1 else np.nan
            spread = x.quantile([lo_q, hi_q])
            d_mean = d.mean()
            se = d.std(ddof=1) / np.sqrt(n) if n > 1 else pd.Series(np.nan, index=columns)
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": name,
                        "year": year,
                        "indicator": columns,
                        "mean": x.mean().to_numpy(),
                        "seed_lo": spread.loc[lo_q].to_numpy(),
                        "seed_hi": spread.loc[hi_q].to_numpy(),
                        "diff": d_mean.to_numpy(),
                        "diff_lo": (d_mean - t * se).to_numpy(),
                        "diff_hi": (d_mean + t * se).to_numpy(),
                        "seeds": n,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def diff_table(diffs: pd.DataFrame, years: list[int]) -> str:
    """Text table: each scenario's difference from the first in each goal's score and its
    indicators, with its interval."""
    names = list(dict.fromkeys(diffs.scenario))
    base, others = names[0], names[1:]
    rows = goal_rows()
    width, col = label_width(rows), 30
    cell = diffs.set_index(["scenario", "year", "indicator"])
    out = []
    for score, title, columns in rows:
        out.append("")
        out.append(title)
        for column in [score, *columns]:
            text = f"  {SCORE_LABEL}" if column == score else f"    {label(column)}"
            for name in others:
                cells = []
                for year in years:
                    r = cell.loc[(name, year, column)]
                    cells.append(f"{_num(r['diff'])} [{_num(r.diff_lo)}, {_num(r.diff_hi)}]")
                tag = f"{text[: width - 1]:<{width}}" if name == others[0] else " " * width
                out.append(tag + f"{name[:24]:<26}" + "".join(f"{c:>{col}}" for c in cells))
    head = " " * (width + 26) + "".join(f"{y:>{col}}" for y in years)
    n = int(diffs.seeds.max())
    foot = (
        f"\n\ndifference from {base}: mean over {n} paired seeds "
        "[90% confidence interval of the mean difference]\n"
        + "\n".join(NOTES)
        + "\ncompare.csv holds every indicator of annual.csv, the nominal ones too."
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


def write_compare(
    annual: pd.DataFrame, diffs: pd.DataFrame, distribution: pd.DataFrame, out: Path
) -> None:
    """Write the comparison's files (:data:`COMPARE_FILES`) as the whole of ``out``, all at
    once (nothing half-written, an earlier comparison replaced whole)."""
    with replaced(out) as tmp:
        annual.to_csv(tmp / "annual.csv", index=False, float_format="%.10g")
        diffs.to_csv(tmp / "compare.csv", index=False, float_format="%.10g")
        distribution.to_parquet(tmp / DISTRIBUTION_FILE, index=False)
