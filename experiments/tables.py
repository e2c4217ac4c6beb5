"""Printed tables of the three goals: mean and 90% interval across seeds."""

from __future__ import annotations

import pandas as pd

# (column, label, format) grouped by goal
GOAL_ROWS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "goal1_levels_score",
        "Goal 1  levels: industrialisation, urbanisation, integration",
        [
            ("industrialisation_rate", "industrialisation rate", "{:.3f}"),
            ("urbanisation_rate", "urbanisation rate", "{:.3f}"),
            ("urban_rural_income_ratio", "urban / rural income ratio", "{:.2f}"),
        ],
    ),
    (
        "goal2_per_capita_score",
        "Goal 2  per capita: GDP, fiscal revenue, public services",
        [
            ("gdp_per_capita_yuan", "GDP per capita, yuan", "{:,.0f}"),
            ("fiscal_revenue_per_capita_yuan", "local revenue per capita, yuan", "{:,.0f}"),
            (
                "public_service_spending_per_capita_yuan",
                "public services per capita, yuan",
                "{:,.0f}",
            ),
        ],
    ),
    (
        "goal3_quality_score",
        "Goal 3  quality: institutions, environment, model",
        [
            ("approval_days", "approval days", "{:.1f}"),
            ("emission_intensity_index", "emission intensity (2010 = 100)", "{:.1f}"),
            ("lake_water_quality_class", "Liangzi Lake water class (1-5)", "{:.2f}"),
            ("hightech_share", "high-tech share of GDP", "{:.3f}"),
        ],
    ),
]


def interval(values: pd.Series, fmt: str, level: float = 0.90) -> str:
    lo, hi = values.quantile((1 - level) / 2), values.quantile(1 - (1 - level) / 2)
    if len(values) < 2:
        return fmt.format(values.mean())
    return f"{fmt.format(values.mean())} [{fmt.format(lo)}, {fmt.format(hi)}]"


def goals_table(annual: pd.DataFrame, years: list[int]) -> str:
    """A text table: each goal's score and indicators for the given years."""
    width = 44
    col = 30
    lines = [" " * width + "".join(f"{y:>{col}}" for y in years)]
    for score, title, rows in GOAL_ROWS:
        lines.append("")
        lines.append(title)
        cells = [interval(annual.loc[annual.year == y, score], "{:.1f}") for y in years]
        lines.append(f"{'  score (0-100)':<{width}}" + "".join(f"{c:>{col}}" for c in cells))
        for column, label, fmt in rows:
            cells = [interval(annual.loc[annual.year == y, column], fmt) for y in years]
            lines.append(f"{'    ' + label:<{width}}" + "".join(f"{c:>{col}}" for c in cells))
    n = annual.seed.nunique()
    lines.append("")
    lines.append(f"mean [90% interval] across {n} seed{'s' if n != 1 else ''}")
    return "\n".join(lines)
