"""Compare: several scenarios on the same seeds, side by side on the three goals and chosen
indicators, each against the first with a paired 90% interval."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from experiments.compare import differences
from experiments.views import GOALS, bands, seconds_estimate, seed_list
from model.scenario import ScenarioError
from ui import catalogue, charts, labels
from ui.common import (
    DEFAULT_SEEDS,
    HEAVY_SCALE,
    HEAVY_SECONDS,
    HEAVY_SEEDS,
    busy,
    get_scenario,
    harvest,
    job_panel,
    scenario_names,
    submit,
    upload_box,
    workers,
)
from ui.i18n import lang, t
from ui.widgets import SCALES

DEFAULT = ["baseline", "full_programme"]
DEFAULT_INDICATORS = [
    "gdp_per_capita_real_yuan",
    "urban_rural_income_ratio",
    "emission_intensity_index",
]


def page() -> None:
    lg = lang()
    st.title(t("cmp_title"))
    st.caption(t("cmp_intro"))
    with st.expander(t("upload_title")):
        upload_box("cmp_upload")
    names = scenario_names()
    if "cmp_names" not in st.session_state:
        st.session_state["cmp_names"] = [n for n in DEFAULT if n in names]
    chosen = st.multiselect(
        t("cmp_scenarios"),
        names,
        key="cmp_names",
        help=t("cmp_scenarios_help"),
        format_func=lambda n: catalogue.scenario_name(n, lg),
    )
    c1, c2, c3 = st.columns(3)
    n_seeds = c1.number_input(t("seeds"), 2, 200, DEFAULT_SEEDS, key="cmp_seeds")
    scale = c2.select_slider(labels.lever("scale", lg), SCALES, value=100, key="cmp_scale")
    end_year = c3.slider(labels.lever("end_year", lg), 2011, 2035, 2020, key="cmp_end")
    scenarios, errors = {}, []
    for n in chosen:
        sc, err = get_scenario(n)
        if sc is None:
            errors.append(err)
            continue
        try:
            scenarios[n] = sc.with_run(scale=scale, end_year=end_year)
        except ScenarioError as exc:
            errors.append(str(exc))
    for e in errors:
        st.error(e)
    running = busy("cmp_job")
    runs = n_seeds * len(scenarios)
    per = st.session_state.get("seconds_per_agent_step")
    est = sum(seconds_estimate(sc, n_seeds, workers(), per) for sc in scenarios.values())
    heavy = scale <= HEAVY_SCALE or runs > 3 * HEAVY_SEEDS or est > HEAVY_SECONDS
    ok = True
    if heavy:
        st.warning(t("heavy", runs=runs, scale=scale, minutes=est / 60))
        ok = st.checkbox(t("heavy_confirm"), key="cmp_confirm")
    if len(scenarios) < 2:
        st.info(t("cmp_need_two"))
    if st.button(
        t("run"),
        type="primary",
        key="cmp_run",
        disabled=running or len(scenarios) < 2 or not ok or bool(errors),
    ):
        first = next(iter(scenarios.values()))
        submit("cmp_job", scenarios, seed_list(first, n_seeds))
        st.rerun()
    job = job_panel("cmp_job")
    if job is not None:
        results, msg = harvest(job)
        st.session_state["cmp_message"] = msg
        if results:
            annual = pd.concat(
                [r.annual.assign(scenario=name) for name, r in results.items()], ignore_index=True
            )
            st.session_state["cmp_result"] = annual
    if st.session_state.get("cmp_message"):
        st.info(st.session_state["cmp_message"])
    annual = st.session_state.get("cmp_result")
    if annual is not None:
        show(annual, lg)


def show(annual: pd.DataFrame, lg: str) -> None:
    names = list(dict.fromkeys(annual.scenario))
    years = sorted(annual.year.unique())
    numeric = [c for c in annual.columns if c not in ("year", "seed", "scenario")]
    st.divider()
    if "cmp_extra" not in st.session_state:
        st.session_state["cmp_extra"] = [c for c in DEFAULT_INDICATORS if c in numeric]
    extra = st.multiselect(
        t("cmp_indicators"),
        [c for c in numeric if c not in GOALS],
        key="cmp_extra",
        format_func=lambda c: labels.indicator(c, lg),
    )
    year = st.select_slider(
        t("year"), years, value=years[-1], key=f"cmp_year|{years[0]}-{years[-1]}"
    )
    cols = GOALS + extra
    diffs = differences(annual, columns=cols)
    d = diffs[diffs.year == year]
    rows = []
    shown = {name: catalogue.scenario_name(name, lg) for name in names}
    for col in cols:
        row = {t("indicator"): labels.indicator(col, lg)}
        # one number of decimals a row, from the reference's value: the row reads alike
        first = d[(d.scenario == names[0]) & (d.indicator == col)].iloc[0]["mean"]
        decimals = labels.decimals_for(col, first)
        for name in names:
            r = d[(d.scenario == name) & (d.indicator == col)].iloc[0]
            cell = labels.value_text(col, r["mean"], decimals=decimals)
            if name != names[0]:
                d_ = [
                    labels.value_text(col, v, sign=True, decimals=decimals)
                    for v in (r["diff"], r.diff_lo, r.diff_hi)
                ]
                cell += f"  ({d_[0]} [{d_[1]}, {d_[2]}])"
            row[shown[name]] = cell
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("cmp_caption", base=shown[names[0]], n=annual.seed.nunique()))
    col = st.selectbox(
        t("indicator"), cols, key="cmp_chart", format_func=lambda c: labels.indicator(c, lg)
    )
    frame = pd.concat(
        [bands(annual[annual.scenario == n], col).assign(series=shown[n]) for n in names],
        ignore_index=True,
    )
    colours = {shown[n]: charts.scenario_colour(n) for n in names}
    chart = charts.bands(
        frame,
        labels.indicator(col, lg),
        t("scenario"),
        colours,
        y_format=labels.vega_format(col, frame["mean"]),
    )
    st.altair_chart(chart, width="stretch")
    st.download_button(
        t("download_csv"),
        annual.to_csv(index=False, float_format="%.10g").encode("utf-8"),
        file_name="compare_annual.csv",
        mime="text/csv",
        key="cmp_dl",
        on_click="ignore",
    )
