"""The markdown summary of ``ezhou decompose``: real growth by variant, the effects of the
conditions and of the reforms, and the full scenario's growth by mechanism."""

from __future__ import annotations

import pandas as pd

from experiments.analysis.growth import (
    DEMAND,
    DEMAND_TOTALS,
    EFFECTS,
    INTERACTION,
    LOCAL,
    LOCAL_TOTALS,
    REAL_GROWTH,
    ROUNDING,
    SUPPLY,
)

# the effects a mechanism table shows beside the full scenario's contributions
MECHANISM_EFFECTS = {
    "reforms (F - C)": EFFECTS[3][0],
    "conditions (F - R)": EFFECTS[1][0],
}
DEMAND_ORDER = (*(label for _, label in DEMAND), *DEMAND_TOTALS, ROUNDING)
LOCAL_ORDER = (*(label for _, label in LOCAL), *LOCAL_TOTALS, ROUNDING)


def _with_interval(row: pd.Series, digits: int, low: str, high: str) -> str:
    return f"{row['mean']:+.{digits}f} [{row[low]:+.{digits}f}, {row[high]:+.{digits}f}]"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def summary_markdown(result, scenario, variant_titles: dict[str, str], command: str) -> str:
    """The summary of a :class:`experiments.decomposition.Decomposition` of ``scenario``
    made by ``command``."""
    years = sorted(result.growth.year.unique())
    seeds = int(result.growth.seeds.max())
    lines = [
        f"# Real growth of {scenario.name}, {', '.join(map(str, years))}: conditions, reforms "
        "and mechanisms",
        "",
        f"Command: `{command}`",
        "",
        f"{seeds} paired seeds derived from the scenario's seed {scenario.run.seed} (listed in "
        f"decompose.json), scale {scenario.run.scale}. Every variant runs on the same seeds. "
        "Figures are means across seeds; brackets give the 5-95% interval of the seeds, "
        "except where they say they give the 90% confidence interval of the mean.",
        "",
        "Variants: F the full scenario; C conditions only (the scenario's conditions, every "
        "reform off); R reforms only (the scenario's levers under the default conditions, "
        "2010's values held); N neither.",
        "",
        "## Real GDP growth, percent",
        "",
    ]
    growth = result.growth.set_index(["variant", "year"])
    rows = [
        [
            title,
            *(_with_interval(growth.loc[(name, year)], 1, "seed_lo", "seed_hi") for year in years),
        ]
        for name, title in variant_titles.items()
    ]
    lines += _table(["variant", *map(str, years)], rows)
    lines += [
        "",
        "## Effects on real growth, percentage points",
        "",
        "Paired differences across seeds: mean [90% confidence interval of the mean] "
        "(5-95% interval of the seeds).",
        "",
    ]
    effects = result.effects.set_index(["effect", "year", "side", "component"])
    rows = []
    for name in (*(name for name, _, _ in EFFECTS), INTERACTION):
        cells = []
        for year in years:
            row = effects.loc[(name, year, "total", REAL_GROWTH)]
            cells.append(
                _with_interval(row, 2, "mean_lo", "mean_hi")
                + f" ({row['seed_lo']:+.2f}, {row['seed_hi']:+.2f})"
            )
        rows.append([name, *cells])
    lines += _table(["effect", *map(str, years)], rows)
    mechanisms = result.mechanisms.set_index(["variant", "year", "side", "component"])
    for side, order, title in (
        ("demand", DEMAND_ORDER, "demand: contributions to real growth"),
        (
            "local demand",
            LOCAL_ORDER,
            "demand net of imports: what the city's producers sold to each buyer",
        ),
        ("supply", SUPPLY, "supply: growth accounting"),
    ):
        lines += [
            "",
            f"## Full scenario by mechanism, {title}, percentage points",
            "",
            "Full scenario: mean [5-95% of seeds]; then the mean paired effect of the "
            "reforms and of the conditions on each line.",
            "",
        ]
        header = ["component", *(f"F {year}" for year in years)]
        header += [f"{name} {year}" for name in MECHANISM_EFFECTS for year in years]
        rows = []
        for component in (REAL_GROWTH, *order):
            where = "total" if component == REAL_GROWTH else side
            cells = [
                _with_interval(
                    mechanisms.loc[("full", year, where, component)], 2, "seed_lo", "seed_hi"
                )
                for year in years
            ]
            cells += [
                f"{effects.loc[(effect, year, where, component)]['mean']:+.2f}"
                for effect in MECHANISM_EFFECTS.values()
                for year in years
            ]
            rows.append([component, *cells])
        lines += _table(header, rows)
    lines += [
        "",
        "Tables: growth.csv (each variant's real growth), effects.csv (every effect on every "
        "line), mechanisms.csv (every variant by mechanism), by_seed.csv (every seed).",
        "",
    ]
    return "\n".join(lines)
