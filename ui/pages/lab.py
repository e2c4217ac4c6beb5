"""Scenario lab: pick or upload a scenario, set levers, conditions, seeds and scale, run it in
the background, and read the three goals, trajectories, zones and distributions.

The page draws only what a user looks at: one section of the settings (reforms, outside
world, seeds and scale) and, among the reforms, the one chosen; every setting keeps its value
while not drawn (``ui.widgets``). The results (``ui.lab_results``) are imported once there is
a job or a result, so the first page needs neither the model nor the charts.
"""

from __future__ import annotations

import streamlit as st

from experiments.views.plans import has_reforms, reforms_off, seconds_estimate, seed_list
from ui import catalogue
from ui.common import (
    HEAVY_SCALE,
    HEAVY_SECONDS,
    HEAVY_SEEDS,
    busy,
    get_scenario,
    scenario_names,
    submit,
    upload_box,
    workers,
)
from ui.i18n import lang, t
from ui.widgets import (
    condition_editor,
    condition_values,
    edited_scenario,
    reform_editor,
    reform_values,
    reset_widgets,
    run_settings,
    run_values,
)

# the settings' sections: only the open one is drawn
SECTIONS = ("levers", "conditions", "run_settings")


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
        shown = ("lab_job", "lab_result", "lab_message")
        if any(st.session_state.get(k) for k in shown):
            from ui.lab_results import results_panel

            results_panel(lg)
        else:
            st.info(t("lab_empty"))


def settings():
    """Scenario choice and upload, levers, conditions, seeds and scale: the edited scenario."""
    lg = lang()
    names = scenario_names()
    new = None
    with st.expander(t("upload_title")):
        new = upload_box("lab_upload")
    if new and new in scenario_names():
        st.session_state["lab_scenario"] = new
        reset_widgets(f"lab|{new}")  # a file uploaded again: its values, not those kept
        names = scenario_names()
    if st.session_state.get("lab_scenario") not in names:
        st.session_state["lab_scenario"] = names[0]
    name = st.selectbox(
        t("scenario"),
        names,
        key="lab_scenario",
        format_func=lambda n: catalogue.scenario_name(n, lg),
    )
    base, err = get_scenario(name)
    if base is None:
        st.error(err)
        return None
    if base.description:
        st.caption(catalogue.scenario_description(name, base.description, lg))
    prefix = f"lab|{name}"
    section = open_section()
    if section == "levers":
        st.caption(t("levers_intro"))
        reform_editor(base.levers, prefix, "lab_open_reforms")
    elif section == "conditions":
        st.caption(t("conditions_intro"))
        condition_editor(base.conditions, prefix)
    else:
        run_settings(base.run, prefix)
    if st.button(t("reset"), key="lab_reset"):
        reset_widgets(prefix)
        st.rerun()
    conditions, mistakes = condition_values(base.conditions, prefix)
    if mistakes:
        st.error(f"{name}: {mistakes[0]}")
        return None
    run, n_seeds = run_values(base.run, prefix)
    levers = reform_values(base.levers, prefix)
    scenario, err = edited_scenario(base, levers, conditions, run, name)
    if scenario is None:
        st.error(err)
        return None
    return scenario, name, n_seeds


def open_section() -> str:
    """The settings' tabs; the open one's name. A tab click runs the page again (only the
    open tab is drawn); the choice outlasts other pages and a language switch, whose tab
    labels are other tabs to Streamlit."""
    labels = [t(s) for s in SECTIONS]
    shown = st.session_state.get("lab_section")
    last = SECTIONS[labels.index(shown)] if shown in labels else None
    last = last or st.session_state.get("kept|lab_section", SECTIONS[0])
    tabs = st.tabs(labels, key="lab_section", on_change="rerun", default=t(last))
    section = next(s for s, tab in zip(SECTIONS, tabs, strict=True) if tab.open)
    st.session_state["kept|lab_section"] = section
    return section


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
