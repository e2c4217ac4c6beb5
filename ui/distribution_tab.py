"""The lab's Distributions tab: who gains. Lorenz curves of the city, its urban and its rural
residents, a figure by income decile (income, savings less debt, or farmland per head), the
Gini coefficient and the poverty share over the years, and the scenario against the same seeds
with every reform off (the lab runs that reference in the same background job). Every figure
is the mean across seeds with the interval of 90% of seeds; money is in yuan of 2010.

The tables are prepared and paired once, when a job's results are collected
(:func:`summarise`); what a chart draws is summed up the first time it is asked for and kept
with them, so a change of year, group or figure later picks what was drawn before.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from experiments import distributions
from experiments.runner import Replications
from ui import charts, labels
from ui.common import lasting
from ui.i18n import t

SCENARIO, REFERENCE = "scenario", "reference"  # the two runs' names in the paired table


def summarise(reps: Replications, ref: Replications | None) -> dict:
    """What the tab draws from: both runs' tables prepared, and the paired figures."""
    table = distributions.prepared(reps.distribution)
    reference = distributions.prepared(ref.distribution) if ref is not None else None
    paired = (
        distributions.paired({REFERENCE: reference, SCENARIO: table})
        if reference is not None
        else None
    )
    return {"table": table, "reference": reference, "paired": paired}


def _once(summary: dict, key: tuple, compute):
    """A summary drawn before is taken again: a change of widget redraws the tab without
    summing up the same rows twice (kept with the job's results, so per run and seeds)."""
    drawn = summary.setdefault("drawn", {})
    if key not in drawn:
        drawn[key] = compute()
    return drawn[key]


def show(summary: dict, year: int, name: str, colour: str, lg: str) -> None:
    """The tab for ``year``; ``name`` and ``colour`` are the scenario's label and colour."""
    table, reference = summary["table"], summary["reference"]
    # each run: its role (the cache's key), its label in the charts and its table
    runs = [(SCENARIO, name, table)]
    colours = {name: colour}
    if reference is not None:
        runs.append((REFERENCE, t("no_reform"), reference))
        colours[t("no_reform")] = charts.REFERENCE_COLOUR
    left, right = st.columns(2)
    groups = distributions.groups(table)
    group = lasting(
        left.selectbox,
        t("dist_group"),
        groups,
        "lab_dist_group",
        groups[0],
        format_func=lambda g: labels.group(g, lg),
    )
    measure = lasting(
        right.selectbox,
        t("dist_measure"),
        distributions.DECILE_MEASURES,
        "lab_dist_measure",
        distributions.DECILE_MEASURES[0],
        format_func=lambda m: labels.indicator(m, lg),
    )
    group_name = labels.group(group, lg)

    def each_run(what: str, compute, *args) -> pd.DataFrame:
        """``compute(table, *args)`` of every run, labelled by run, computed once."""
        return pd.concat(
            [
                _once(summary, (role, what, *args), lambda f=frame: compute(f, *args)).assign(
                    series=label
                )
                for role, label, frame in runs
            ],
            ignore_index=True,
        )

    st.markdown(f"**{t('lorenz_title', year=year)}**")
    curves = each_run("lorenz", distributions.lorenz, year)
    curves["group"] = [labels.group(g, lg) for g in curves.group]
    shown = [labels.group(g, lg) for g in distributions.MAIN_GROUPS]
    st.altair_chart(charts.lorenz(curves, colours, shown, t("lorenz_x"), t("lorenz_y")))

    label = labels.indicator(measure, lg)
    st.markdown(f"**{t('deciles_title', measure=label, group=group_name, year=year)}**")
    bars = each_run("deciles", distributions.deciles, measure, year, group)
    fmt = labels.vega_format(measure, bars["mean"])
    st.altair_chart(
        charts.decile_bars(bars, colours, t("decile_axis"), label, fmt), width="stretch"
    )

    for figure in ("gini", "poverty_share"):
        figure_name = labels.indicator(figure, lg)
        st.markdown(f"**{t('years_title', measure=figure_name, group=group_name)}**")
        lines = each_run("years", distributions.over_years, figure, group)
        chart = charts.bands(
            lines, "", t("series"), colours, y_format=labels.vega_format(figure, [0])
        )
        st.altair_chart(chart.properties(height=280), width="stretch")

    title = "effects_title" if reference is not None else "spread_title"
    st.markdown(f"**{t(title, group=group_name, year=year)}**")
    # a static table: its cells wrap, so every column stays in view however narrow the page
    st.table(effect_table(summary, group, year, name, lg).set_index(t("figure")))
    n = table.seed.nunique()
    caption = "effects_caption" if reference is not None else "spread_caption"
    st.caption(t(caption, n=n, name=name))
    st.caption(t("dist_caption"))


def effect_table(summary: dict, group: str, year: int, name: str, lg: str) -> pd.DataFrame:
    """One row per group figure of ``group`` in ``year``: the scenario's (``name``) value
    with its seed interval and, when there is a reference, the reference's value and the
    paired difference with its 90% confidence interval (a value, its change and the
    intervals with the same decimals)."""
    low, high = (1 - distributions.LEVEL) / 2, (1 + distributions.LEVEL) / 2
    figures = distributions.group_rows(summary["table"])
    figures = figures[(figures.year == year) & (figures.group == group)]
    paired = summary["paired"]
    if paired is not None:
        paired = paired[(paired.year == year) & (paired.group == group)]
        paired = paired.set_index(["scenario", "measure"])
    rows = []
    for measure in distributions.GROUP_MEASURES:
        values = figures[measure]
        decimals = labels.decimals_for(measure, values.mean())
        mean, lo, hi = (
            labels.value_text(measure, x, decimals=decimals)
            for x in (values.mean(), values.quantile(low), values.quantile(high))
        )
        row = {
            t("figure"): labels.indicator(measure, lg),
            name: f"{mean} [{lo}, {hi}]",
        }
        if paired is not None:
            mine = paired.loc[(SCENARIO, measure)]
            row[t("column_no_reform")] = labels.value_text(
                measure, paired.loc[(REFERENCE, measure), "mean"], decimals=decimals
            )
            diff, diff_lo, diff_hi = (
                labels.value_text(measure, x, sign=True, decimals=decimals)
                for x in (mine["diff"], mine.diff_lo, mine.diff_hi)
            )
            row[t("difference")] = f"{diff} [{diff_lo}, {diff_hi}]"
        rows.append(row)
    return pd.DataFrame(rows)
