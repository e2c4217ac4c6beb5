"""Printed tables of the three goals: each goal's score and the indicators it is made of.

The rows are the score's own indicators (``model/calibration/scores.toml``) under the app's
labels (:mod:`experiments.i18n`), so that the command line and the app show the same figures:
money in yuan of 2010, as the scores use it. A money column that is nominal says so.
"""

from __future__ import annotations

import pandas as pd

from experiments.i18n import INDICATORS
from model.indicators import GOAL_COLUMNS, score_spec

GOAL_TITLES = {
    "goal1_levels": "Goal 1  levels: industrialisation, urbanisation, integration",
    "goal2_per_capita": "Goal 2  per capita: GDP, fiscal revenue, public services",
    "goal3_quality": "Goal 3  quality: institutions, environment, development model",
}
SCORE_LABEL = "score (0-100)"
NOTES = (
    f"{SCORE_LABEL}: each indicator scores 0 at a worst value and 100 at a best one, and a",
    "goal's score is the mean of its indicators' scores (bounds and reasons: docs/indicators.md).",
    "Money is in yuan of 2010 (deflated by the GDP deflator), as in the scores and the app;",
)


def goal_rows() -> list[tuple[str, str, list[str]]]:
    """(score column, title, indicator columns) for each goal, in the score's order."""
    return [
        (GOAL_COLUMNS[goal], GOAL_TITLES[goal], list(indicators))
        for goal, indicators in score_spec().items()
    ]


def label(column: str) -> str:
    """The app's English label of an indicator; a nominal money column says it is nominal."""
    text = INDICATORS.get(column, (column.replace("_", " "),))[0]
    if "yuan" in column and "real" not in column and "2010" not in text:
        text += " (nominal)"
    return text


def number_format(column: str) -> str:
    """How a figure of ``column`` is printed."""
    if "yuan" in column or column.endswith("_vs_national"):
        return "{:,.0f}"
    if column.endswith(("_rate", "_share")):
        return "{:.3f}"
    if column.endswith(("_ratio", "_class")):
        return "{:.2f}"
    return "{:.1f}"


def interval(values: pd.Series, fmt: str, level: float = 0.90) -> str:
    """Mean [interval] across seeds; the mean alone for one seed, which has no spread."""
    if len(values) < 2:
        return fmt.format(values.mean())
    lo, hi = values.quantile((1 - level) / 2), values.quantile(1 - (1 - level) / 2)
    return f"{fmt.format(values.mean())} [{fmt.format(lo)}, {fmt.format(hi)}]"


def label_width(rows: list[tuple[str, str, list[str]]]) -> int:
    """Room for the longest indicator label, indented under its goal."""
    return 4 + max(len(label(column)) for _, _, columns in rows for column in columns) + 2


def seeds_note(n_seeds: int) -> str:
    if n_seeds == 1:
        return "one seed: no interval across seeds (run several with --seeds N)"
    return f"mean [90% interval] across {n_seeds} seeds"


def goals_table(annual: pd.DataFrame, years: list[int]) -> str:
    """A text table: each goal's score and its indicators for the given years."""
    rows = goal_rows()
    width = label_width(rows)
    table: list[tuple[str, list[str]] | str] = []  # (label, cells) rows and goal titles
    for score, title, columns in rows:
        table += ["", title]
        cells = [interval(annual.loc[annual.year == y, score], "{:.1f}") for y in years]
        table.append((f"  {SCORE_LABEL}", cells))
        for column in columns:
            fmt = number_format(column)
            cells = [interval(annual.loc[annual.year == y, column], fmt) for y in years]
            table.append((f"    {label(column)}", cells))
    col = 3 + max(len(cell) for row in table if isinstance(row, tuple) for cell in row[1])
    lines = [" " * width + "".join(f"{y:>{col}}" for y in years)]
    for row in table:
        if isinstance(row, str):
            lines.append(row)
        else:
            lines.append(f"{row[0]:<{width}}" + "".join(f"{c:>{col}}" for c in row[1]))
    lines.append("")
    lines.append(seeds_note(annual.seed.nunique()))
    lines.extend(NOTES)
    lines.append("annual.csv also holds the nominal figures.")
    return "\n".join(lines)
