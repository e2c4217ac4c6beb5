"""The lab's results: the goal cards of the first seeds while a job runs, then the cards,
trajectories, zones, distributions and downloads of every seed.

A module of its own, imported once there is a job or a result: what it needs (pandas,
Altair, the map, the model's results) is heavy, and the lab's settings are drawn without it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from experiments.views import (
    GOALS,
    Job,
    annual_csv,
    bands,
    distribution_csv,
    goal_cards,
    seconds_per_agent_step,
    sector_value_added,
    zone_view,
    zones_csv,
)
from ui import catalogue, charts, distribution_tab, labels
from ui.common import busy, harvest, job_panel, lasting
from ui.i18n import t
from ui.zone_map import zone_map

ZONE_COLUMNS = [
    "income_per_capita_yuan",
    "gdp_per_capita_yuan",
    "population",
    "urbanisation_rate",
    "public_service_spending_per_capita_yuan",
    "firms",
    "approval_days",
    "farmland_km2",
    "urban_construction_km2",
]


def results_panel(lg: str) -> None:
    """The running job's progress and first cards, or the last results, or a word on where
    they will appear."""
    collect(lg)
    if st.session_state.get("lab_message"):
        st.info(st.session_state["lab_message"])
    result = st.session_state.get("lab_result")
    if busy("lab_job"):
        pass  # the first seeds' cards are drawn beside the progress bar
    elif result:
        show_results(result, lg)
    else:
        st.info(t("lab_empty"))


def collect(lg: str) -> None:
    """Progress of the running job (with the goal cards of its first seeds); its results
    once it has finished."""
    job = job_panel("lab_job", live=lambda running: live_cards(running, lg))
    if job is None:
        return
    results, msg = harvest(job)
    st.session_state["lab_message"] = msg
    if results:
        reps = results["scenario"]
        st.session_state["lab_result"] = {
            "reps": reps,
            "ref": results.get("reference"),
            # summed up once here, so that the tab only picks rows when a widget changes
            "distribution": distribution_tab.summarise(reps, results.get("reference")),
            "seconds": job.seconds,
            "reused": job.reused,
            **st.session_state.get("lab_job_meta", {}),
        }
        spa = seconds_per_agent_step(reps)
        if spa:
            st.session_state["seconds_per_agent_step"] = spa


def live_cards(job: Job, lg: str) -> None:
    """The goal cards from the seeds done so far, while the others run: the same cards the
    results will show, on fewer seeds."""
    partial = job.partial()
    if partial is None or len(partial["scenario"].seeds) == len(job.seeds):
        return
    reps, ref = partial["scenario"], partial.get("reference")
    years = sorted(reps.annual.year.unique())
    st.caption(t("live_cards", done=len(reps.seeds), total=len(job.seeds), year=years[-1]))
    draw_cards(goal_cards(reps.annual, ref.annual if ref else None, years[-1]), years, lg)


def draw_cards(cards: pd.DataFrame, years: list[int], lg: str) -> None:
    """The three goal cards (rows of ``goal_cards``): the mean across seeds and the change
    against the reference (or since the first year), with their intervals."""
    cols = st.columns(3)
    for col, (_, row) in zip(cols, cards.iterrows(), strict=True):
        against = t("vs_reference") if row.against == "reference" else t("vs_start", year=years[0])
        # as on the card: scores with one decimal, changes with two
        spans = {
            "lo": labels.value_text(row.goal, row.lo, decimals=1),
            "hi": labels.value_text(row.goal, row.hi, decimals=1),
            "dlo": labels.value_text(row.goal, row.delta_lo, sign=True, decimals=2),
            "dhi": labels.value_text(row.goal, row.delta_hi, sign=True, decimals=2),
        }
        col.metric(
            t(f"card_{row.goal}"),
            f"{row['mean']:.1f}",
            f"{row.delta:+.2f}",
            delta_description=against,
            help=labels.indicator(row.goal, lg) + ". " + t("card_help", **spans),
        )
        col.caption(t("card_caption", **spans))


def show_results(result: dict, lg: str) -> None:
    reps, ref = result["reps"], result["ref"]
    sc = reps.scenario
    annual = reps.annual
    years = sorted(annual.year.unique())
    key = result.get("name", sc.name)
    shown_name = catalogue.scenario_name(key, lg)
    st.subheader(t("results_title", name=shown_name))
    st.caption(
        t(
            "results_meta",
            seeds=len(reps.seeds),
            scale=sc.run.scale,
            start=sc.run.start_year,
            end=sc.run.end_year,
            seconds=result["seconds"],
        )
        + (" " + t("reused", n=result["reused"]) if result.get("reused") else "")
    )
    year = lasting(
        st.select_slider, t("year"), years, f"lab_year|{years[0]}-{years[-1]}", years[-1]
    )
    draw_cards(goal_cards(annual, ref.annual if ref else None, year), years, lg)

    tabs = st.tabs([t("trajectories"), t("zones"), t("distributions"), t("downloads")])
    with tabs[0]:
        numeric = [c for c in annual.columns if c not in ("year", "seed")]
        col = lasting(
            st.selectbox,
            t("indicator"),
            numeric,
            "lab_indicator",
            "goal1_levels_score" if "goal1_levels_score" in numeric else numeric[0],
            format_func=lambda c: labels.indicator(c, lg),
        )
        colours = {shown_name: charts.scenario_colour(key)}
        frames = [bands(annual, col).assign(series=shown_name)]
        if ref is not None:
            colours[t("no_reform")] = charts.REFERENCE_COLOUR
            frames.append(bands(ref.annual, col).assign(series=t("no_reform")))
        st.altair_chart(
            charts.bands(
                pd.concat(frames),
                labels.indicator(col, lg),
                t("series"),
                colours,
                y_format=labels.vega_format(col, pd.concat(frames)["mean"]),
            ),
            width="stretch",
        )
        st.caption(t("band_caption", n=len(reps.seeds)))
    with tabs[1]:
        zcol = lasting(
            st.selectbox,
            t("indicator"),
            ZONE_COLUMNS,
            "lab_zone_indicator",
            ZONE_COLUMNS[0],
            format_func=lambda c: labels.indicator(c, lg),
        )
        zv = zone_view(reps.zones, zcol, year)
        st.altair_chart(
            zone_map(zv, zcol, labels.indicator(zcol, lg), lg, t("yangtze"), t("to_wuhan")),
            width="content",
        )
        st.caption(t("zone_caption", year=year))
        table = pd.DataFrame(
            {
                t("zone"): [labels.zone(z, lg) for z in zv.zone],
                t("mean"): [labels.value_text(zcol, v) for v in zv["mean"]],
                "5%": [labels.value_text(zcol, v) for v in zv.lo],
                "95%": [labels.value_text(zcol, v) for v in zv.hi],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
    with tabs[2]:
        summary = result.get("distribution") or distribution_tab.summarise(reps, ref)
        distribution_tab.show(summary, year, shown_name, charts.scenario_colour(key), lg)
        st.markdown(f"**{t('sectors_title', year=year)}**")
        sv = sector_value_added(reps.quarterly, year)
        st.altair_chart(charts.sector_bars(sv, t("bn_yuan"), lg), width="stretch")
        st.caption(t("sectors_caption"))
    with tabs[3]:
        n = len(reps.seeds)
        stem = key.removeprefix("↑ ").replace(" ", "_")
        files = [
            ("csv", annual_csv(reps), f"{stem}_annual.csv", "text/csv"),
            ("zones", zones_csv(reps), f"{stem}_zones.csv", "text/csv"),
            ("distribution", distribution_csv(reps), f"{stem}_distribution.csv", "text/csv"),
            ("toml", sc.to_toml(), f"{stem}.toml", "application/toml"),
        ]
        for what, data, name, mime in files:
            st.download_button(
                t(f"download_{what}"),
                data,
                file_name=name,
                mime=mime,
                key=f"dl_{what}",
                on_click="ignore",
            )
        opt = "" if n == 1 else f" --seeds {n}"
        st.caption(t("reproduce"))
        st.code(f"ezhou run {stem}.toml{opt}", language="bash")
    goals = [labels.indicator(g, lg) for g in GOALS]
    st.caption(t("goals_note", goals=" · ".join(goals)))
