"""Scenario lab: pick or upload a scenario, set levers, conditions, seeds and scale, run it in
the background, and read the three goals, trajectories, zones and distributions."""

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
    has_reforms,
    reforms_off,
    seconds_estimate,
    seconds_per_agent_step,
    sector_value_added,
    seed_list,
    zone_view,
    zones_csv,
)
from ui import catalogue, charts, distribution_tab, labels
from ui.common import (
    HEAVY_SCALE,
    HEAVY_SECONDS,
    HEAVY_SEEDS,
    busy,
    get_scenario,
    harvest,
    job_panel,
    lasting,
    scenario_names,
    submit,
    upload_box,
    workers,
)
from ui.i18n import lang, t
from ui.widgets import condition_editor, edited_scenario, reform_editor, reset_widgets, run_settings
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


def page() -> None:
    lg = lang()
    st.title(t("lab_title"))
    st.caption(t("lab_intro"))
    left, right = st.columns([2, 3], gap="large")
    with left:
        chosen = settings()
    with right:
        if chosen is not None:
            scenario, name, n_seeds = chosen
            run_button(scenario, name, n_seeds)
        elif st.session_state.pop("lab_started", None) is not None:
            st.session_state["lab_job"].cancel()  # clicked with a setting now found wrong
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


def settings():
    """Scenario choice and upload, levers, conditions, seeds and scale: the edited scenario."""
    names = scenario_names()
    new = None
    with st.expander(t("upload_title")):
        new = upload_box("lab_upload")
    if new and new in scenario_names():
        st.session_state["lab_scenario"] = new
        names = scenario_names()
    if st.session_state.get("lab_scenario") not in names:
        st.session_state["lab_scenario"] = names[0]
    name = st.selectbox(
        t("scenario"),
        names,
        key="lab_scenario",
        format_func=lambda n: catalogue.scenario_name(n, lang()),
    )
    base, err = get_scenario(name)
    if base is None:
        st.error(err)
        return None
    if base.description:
        st.caption(catalogue.scenario_description(name, base.description, lang()))
    prefix = f"lab|{name}"
    tab_levers, tab_cond, tab_run = st.tabs([t("levers"), t("conditions"), t("run_settings")])
    with tab_levers:
        st.caption(t("levers_intro"))
        levers = reform_editor(base.levers, prefix)
        if st.button(t("reset"), key="lab_reset"):
            reset_widgets(prefix)
            st.rerun()
    with tab_cond:
        st.caption(t("conditions_intro"))
        conditions, mistakes = condition_editor(base.conditions, prefix)
    with tab_run:
        run, n_seeds = run_settings(base.run, prefix)
    if mistakes:
        st.error(f"{name}: {mistakes[0]}")
        return None
    scenario, err = edited_scenario(base, levers, conditions, run, name)
    if scenario is None:
        st.error(err)
        return None
    return scenario, name, n_seeds


def run_button(scenario, name: str, n_seeds: int) -> None:
    """The run button, with a confirmation first for heavy settings."""
    per = st.session_state.get("seconds_per_agent_step")
    runs = n_seeds * (2 if has_reforms(scenario) else 1)
    est = seconds_estimate(scenario, runs, workers(), per)
    heavy = scenario.run.scale <= HEAVY_SCALE or n_seeds > HEAVY_SEEDS or est > HEAVY_SECONDS
    ok = True
    if heavy:
        st.warning(t("heavy", runs=runs, scale=scenario.run.scale, minutes=est / 60))
        ok = st.checkbox(t("heavy_confirm"), key="lab_confirm")
    # the click starts the job in the button's callback, before the page runs again, with
    # the scenario the page drew last: the runs start at once and the page is drawn once,
    # already with the job. A setting typed and not yet sent comes with the click itself:
    # then this run's scenario differs, and the job is started again with it.
    st.session_state["lab_ready"] = (scenario, name, n_seeds)
    started = st.session_state.pop("lab_started", None)
    if started is not None and started != (scenario.model_dump_json(), name, n_seeds):
        st.session_state["lab_job"].cancel()
        start_job()
        st.session_state.pop("lab_started")
    st.button(
        t("run"),
        type="primary",
        key="lab_run",
        disabled=busy("lab_job") or not ok,
        on_click=start_job,
    )


def start_job() -> None:
    """The Run button's callback: submit the scenario the page shows, and its twin with
    every reform off to set it against."""
    scenario, name, n_seeds = st.session_state["lab_ready"]
    groups = {"scenario": scenario}
    if has_reforms(scenario):
        groups["reference"] = reforms_off(scenario)
    submit("lab_job", groups, seed_list(scenario, n_seeds))
    st.session_state["lab_job_meta"] = {"name": name, "n_seeds": n_seeds}
    st.session_state["lab_started"] = (scenario.model_dump_json(), name, n_seeds)


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
