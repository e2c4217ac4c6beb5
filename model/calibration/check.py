"""Print the 2010 calibration check as a Markdown table.

``python -m model.calibration.check [--seeds 10]`` runs 2010 at scale 10 on seeds 1..N and
at scale 100 on seeds 1..2N (seeds the fit never used) and compares the means with Ezhou's
figures and the derived income targets.
"""

from __future__ import annotations

import argparse

import pandas as pd

from model.api import simulate
from model.calibration import load_parameters, target
from model.calibration.incomes import income_targets_2010
from model.scenario import Scenario

TARGETS = [
    (
        "resident population",
        "population",
        lambda: target("resident_population", 2010),
        0.02,
        "{:,.0f}",
    ),
    ("GDP, bn yuan", "gdp_bn_yuan", lambda: target("gdp", 2010), 0.02, "{:.3f}"),
    (
        "GDP per capita, yuan",
        "gdp_per_capita_yuan",
        lambda: target("gdp", 2010) * 1e9 / target("resident_population", 2010),
        0.02,
        "{:,.0f}",
    ),
    (
        "local general budget revenue, bn yuan",
        "fiscal_revenue_bn_yuan",
        lambda: target("local_general_budget_revenue", 2010),
        0.02,
        "{:.3f}",
    ),
    (
        "fixed-asset investment, bn yuan",
        "fixed_asset_investment_bn_yuan",
        lambda: target("fixed_asset_investment", 2010),
        0.02,
        "{:.3f}",
    ),
    (
        "above-scale industrial firms",
        "above_scale_industrial_firms",
        lambda: target("above_scale_industrial_firms", 2010),
        0.05,
        "{:.0f}",
    ),
    (
        "urban disposable income per head, yuan (derived)",
        "urban_income_per_capita_yuan",
        lambda: income_targets_2010(load_parameters()).urban_disposable,
        0.02,
        "{:,.0f}",
    ),
    (
        "rural net income per head, yuan (derived)",
        "rural_income_per_capita_yuan",
        lambda: income_targets_2010(load_parameters()).rural_net,
        0.02,
        "{:,.0f}",
    ),
]
SHARES = [
    ("primary share", "primary_share", "primary"),
    ("secondary share", "secondary_share", "secondary"),
    ("tertiary share", "tertiary_share", "tertiary"),
]
REPORTED = [
    ("urbanisation rate", "urbanisation_rate", "{:.3f}"),
    ("urban income per capita, yuan", "urban_income_per_capita_yuan", "{:,.0f}"),
    ("rural income per capita, yuan", "rural_income_per_capita_yuan", "{:,.0f}"),
    ("urban / rural income ratio", "urban_rural_income_ratio", "{:.2f}"),
    ("rural wages per head, yuan", "rural_wages_per_capita_yuan", "{:,.0f}"),
    ("rural household operations per head, yuan", "rural_operations_per_capita_yuan", "{:,.0f}"),
    ("rural property income per head, yuan", "rural_property_per_capita_yuan", "{:,.0f}"),
    ("rural transfers per head, yuan", "rural_transfers_per_capita_yuan", "{:,.0f}"),
    ("rural taxes and contributions per head, yuan", "rural_taxes_per_capita_yuan", "{:,.0f}"),
    ("registered urban unemployment rate", "unemployment_rate", "{:.3f}"),
    ("unemployment rate (whole labour force)", "unemployment_rate_all_workers", "{:.3f}"),
    ("goal 1 / 2 / 3 scores", None, "{:.1f}"),
]


def runs(scale: int, seeds: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            simulate(
                Scenario().with_run(seed=s, scale=scale, end_year=2010), check_invariants=False
            ).annual.iloc[0]
            for s in range(1, seeds + 1)
        ]
    )


def cell(x: pd.Series, fmt: str) -> str:
    return (
        f"{fmt.format(x.mean())} [{fmt.format(x.quantile(0.05))}, {fmt.format(x.quantile(0.95))}]"
    )


def table(seeds: int = 10) -> str:
    # twice the seeds at scale 100, where a run varies more and costs less (as the tests do)
    data = {100: runs(100, 2 * seeds), 10: runs(10, seeds)}
    out = [
        "| target | Ezhou | tolerance | scale 100: mean [5%, 95%] | scale 10: mean [5%, 95%] "
        "| deviation (100 / 10) | within tolerance |",
        "| --- " * 7 + "|",
    ]
    for label, col, goal_fn, tol, fmt in TARGETS:
        goal = goal_fn()
        dev = [data[s][col].mean() / goal - 1 for s in (100, 10)]
        ok = all(abs(d) <= tol for d in dev)
        out.append(
            f"| {label} | {fmt.format(goal)} | ±{tol:.0%} | {cell(data[100][col], fmt)} "
            f"| {cell(data[10][col], fmt)} | {dev[0]:+.1%} / {dev[1]:+.1%} "
            f"| {'yes' if ok else 'NO'} |"
        )
    for label, col, name in SHARES:
        goal = target(f"gdp_structure_{name}", 2012)
        dev = [data[s][col].mean() - goal for s in (100, 10)]
        ok = all(abs(d) <= 0.02 for d in dev)
        out.append(
            f"| {label} | {goal:.3f} (2012) | ±0.02 | {cell(data[100][col], '{:.3f}')} "
            f"| {cell(data[10][col], '{:.3f}')} | {dev[0]:+.3f} / {dev[1]:+.3f} "
            f"| {'yes' if ok else 'NO'} |"
        )
    out += [
        "",
        "Not calibrated, reported for transparency:",
        "",
        "| indicator | scale 100: mean [5%, 95%] | scale 10: mean [5%, 95%] |",
        "| --- | --- | --- |",
    ]
    for label, col, fmt in REPORTED:
        if col is None:
            cells = [
                " / ".join(
                    fmt.format(data[s][f"{g}_score"].mean())
                    for g in ("goal1_levels", "goal2_per_capita", "goal3_quality")
                )
                for s in (100, 10)
            ]
        else:
            cells = [cell(data[s][col], fmt) for s in (100, 10)]
        out.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=10)
    print(table(ap.parse_args().seeds))


if __name__ == "__main__":
    main()
