"""The report's section on who gains, from the distribution tables of a run or comparison
folder (``distribution.parquet``): Lorenz curves and income by decile in the first and last
year, the Gini coefficient and poverty share over the years and with their seed intervals,
and, for a comparison, each scenario against the first on the same seeds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from experiments import distributions
from experiments.i18n import t
from experiments.reports.figures import decile_figure, lorenz_figure, over_years_figure

INCOME = "income_per_capita_real_yuan"
SHOWN_MEASURES = ("gini", "poverty_share")  # over the years and in the table of groups
SHARES = {"poverty_share"}  # written in percent, their differences in percentage points


def measure_text(measure: str, value: float, sign: bool = False) -> str:
    """A group figure as the report writes it: a share in percent (with ``sign``, a
    difference, in percentage points without a unit), the Gini coefficient with three
    decimals, money in whole yuan."""
    if not np.isfinite(value):
        return "–"
    plus = "+" if sign else ""
    if measure in SHARES:
        return f"{100 * value:{plus}.1f}" + ("" if sign else "%")
    if measure == "gini":
        return f"{value:{plus}.3f}"
    return f"{value:{plus},.0f}"


def _interval(measure: str, mean: float, lo: float, hi: float, lang: str, sign=False) -> str:
    """A figure and its interval, ``mean [lo, hi]``; a difference of shares is followed by
    its unit once, percentage points."""
    text = (
        f"{measure_text(measure, mean, sign)} "
        f"[{measure_text(measure, lo, sign)}, {measure_text(measure, hi, sign)}]"
    )
    return text + t("report.points", lang) if sign and measure in SHARES else text


def _with_year(label: str, year: int, lang: str) -> str:
    return f"{label}（{year}年）" if lang == "zh" else f"{label}, {year}"


def distribution_section(tables: dict[str, pd.DataFrame] | None, lang: str) -> dict[str, Any]:
    """What the template's distribution section shows. ``tables`` maps each scenario's name to
    its distribution table (in the folder's order, the first the reference); None when the
    folder has none."""
    if not tables:
        return {"distribution_missing": t("report.no_distribution", lang)}
    prepared = {name: distributions.prepared(table) for name, table in tables.items()}
    first_table = next(iter(prepared.values()))
    years = sorted(first_table.year.unique())
    shown_years = sorted({int(years[0]), int(years[-1])})
    groups = {group: t(f"group.{group}", lang) for group in distributions.MAIN_GROUPS}
    figures = []
    for year in shown_years:
        curves = {name: distributions.lorenz(table, year) for name, table in prepared.items()}
        figures.append(lorenz_figure(curves, groups, t("report.lorenz", lang, year=year), lang))
    for year in shown_years:
        bars = {
            name: {group: distributions.deciles(table, INCOME, year, group) for group in groups}
            for name, table in prepared.items()
        }
        title = t("report.deciles", lang, year=year)
        figures.append(decile_figure(bars, groups, title, t(INCOME, lang), lang))
    for group in groups:
        lines = {
            name: {m: distributions.over_years(table, m, group) for m in SHOWN_MEASURES}
            for name, table in prepared.items()
        }
        measures = {measure: t(measure, lang) for measure in SHOWN_MEASURES}
        title = t("report.over_years", lang, group=groups[group])
        figures.append(over_years_figure(lines, measures, title, lang))
    section = {
        "distribution_note": t("report.households_note", lang),
        "distribution_figures": figures,
        "groups_note": t("report.group_figures_note", lang),
        **_group_table(prepared, groups, shown_years, lang),
    }
    if len(prepared) > 1:
        section.update(_against_first(prepared, groups, shown_years[-1], lang))
    return section


def _group_table(
    prepared: dict[str, pd.DataFrame], groups: dict[str, str], years: list[int], lang: str
) -> dict[str, Any]:
    """Gini and poverty share of each scenario and group in the first and last year."""
    low, high = (1 - distributions.LEVEL) / 2, (1 + distributions.LEVEL) / 2
    several = len(prepared) > 1
    head = [t("report.scenario", lang)] if several else []
    head += [t("report.group", lang)]
    head += [_with_year(t(m, lang), year, lang) for m in SHOWN_MEASURES for year in years]
    rows = []
    for name, table in prepared.items():
        figures = distributions.group_rows(table)
        for group, label in groups.items():
            cells = [name] if several else []
            cells.append(label)
            for measure in SHOWN_MEASURES:
                for year in years:
                    values = figures[(figures.group == group) & (figures.year == year)][measure]
                    cells.append(
                        _interval(
                            measure,
                            values.mean(),
                            values.quantile(low),
                            values.quantile(high),
                            lang,
                        )
                    )
            rows.append(cells)
    labels = len(head) - len(SHOWN_MEASURES) * len(years)  # columns that name, not count
    return {"groups_head": head, "groups_rows": rows, "groups_label_columns": labels}


def _against_first(
    prepared: dict[str, pd.DataFrame], groups: dict[str, str], year: int, lang: str
) -> dict[str, Any]:
    """Each scenario's group figures in ``year`` and their paired difference from the
    first scenario's on the same seeds."""
    base = next(iter(prepared))
    paired = distributions.paired(prepared, list(groups))
    paired = paired[paired.year == year].set_index(["scenario", "group", "measure"])
    measures = distributions.GROUP_MEASURES
    rows = []
    for name in list(prepared)[1:]:
        for group, label in groups.items():
            cells = [name, label]
            for measure in measures:
                row = paired.loc[(name, group, measure)]
                cells.append(
                    [
                        measure_text(measure, row["mean"]),
                        _interval(measure, row["diff"], row.diff_lo, row.diff_hi, lang, True),
                    ]
                )
            rows.append(cells)
    return {
        "against_title": t("report.against_baseline", lang, base=base),
        "against_note": t("report.against_baseline_note", lang, year=year, base=base),
        "against_head": [
            t("report.scenario", lang),
            t("report.group", lang),
            *[t(measure, lang) for measure in measures],
        ],
        "against_rows": rows,
    }
