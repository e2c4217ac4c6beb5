"""The small search the Policy design page can start: reforms, objectives and sizes chosen on
the page, run in the background through the search engine (progress, Cancel), its results
written as a new folder under the app's results folder, as ``ezhou search`` writes them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from experiments.errors import UserError
from experiments.formats.search import parse_search
from experiments.i18n import t as label
from experiments.views.search import OBJECTIVES, SearchJob, shipped_levers, small_search_text
from ui import catalogue, labels
from ui.common import busy, job_panel, scenario_files
from ui.i18n import lang, t

DEFAULT_REFORMS = ["talent", "investment_financing", "heavy_industry"]
DEFAULT_OBJECTIVES = ["goal1_levels_score", "goal2_per_capita_score", "government_debt_bn_yuan"]
SCALES = [50, 100, 200, 500, 1000]
SLOT = "pol_job"


def search_form(root: Path) -> None:
    """Choices of a small search, its Run button, then its progress and Cancel while it runs
    and a line on how it ended."""
    lg = lang()
    st.caption(t("pol_run_intro"))
    files = list(scenario_files())
    if st.session_state.get("pol_base") not in files:
        st.session_state["pol_base"] = "full_programme" if "full_programme" in files else files[0]
    base = st.selectbox(
        t("pol_base"),
        files,
        key="pol_base",
        format_func=lambda name: catalogue.scenario_name(name, lg),
    )
    reforms = list(shipped_levers())
    st.session_state.setdefault("pol_reforms", list(DEFAULT_REFORMS))
    st.session_state.setdefault("pol_objectives", list(DEFAULT_OBJECTIVES))
    chosen = st.multiselect(
        t("pol_reforms"),
        reforms,
        key="pol_reforms",
        format_func=lambda reform: label(f"reform.{reform}", lg),
    )
    objectives = st.multiselect(
        t("pol_objectives"),
        list(OBJECTIVES),
        key="pol_objectives",
        format_func=lambda column: (
            f"{labels.indicator(column, lg)} {'↑' if OBJECTIVES[column] == 'max' else '↓'}"
        ),
    )
    left, middle, right = st.columns(3)
    population = left.slider(t("pol_population"), 4, 40, 8, key="pol_population")
    generations = middle.slider(t("pol_generations"), 1, 10, 3, key="pol_generations")
    futures = right.slider(t("pol_futures"), 1, 8, 1, key="pol_futures")
    left, right = st.columns(2)
    end_year = left.slider(labels.lever("end_year", lg), 2011, 2035, 2015, key="pol_end_year")
    scale = right.select_slider(labels.lever("scale", lg), SCALES, value=200, key="pol_scale")
    st.caption(t("pol_runs", runs=population * generations * futures))
    ready = bool(chosen) and len(objectives) >= 2 and population >= len(objectives)
    if st.button(t("pol_run"), key="pol_run", disabled=busy(SLOT) or not ready):
        start(root, scenario_files()[base].resolve(), chosen, objectives, population,
              generations, end_year, scale, futures)  # fmt: skip
    job = job_panel(SLOT)
    if job is not None:  # it has just ended: say how, once
        st.session_state["pol_message"] = ending(job, root)
    if st.session_state.get("pol_message"):
        kind, text = st.session_state["pol_message"]
        {"success": st.success, "info": st.info}.get(kind, st.error)(text)


def start(root: Path, base: Path, reforms, objectives, population, generations, end_year,
          scale, futures) -> None:  # fmt: skip
    """Check the search file the choices make and start it in the background."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = root / f"app_search_{stamp}"
    text = small_search_text(
        f"app_search_{stamp}",
        base,
        reforms,
        objectives,
        population=population,
        generations=generations,
        end_year=end_year,
        scale=scale,
        futures=futures,
        description=t("pol_description"),
    )
    try:
        search = parse_search(text, out / "spec.toml")
    except UserError as exc:  # the engine's one line
        st.error(str(exc))
        return
    executor = os.environ.get("EZHOU_APP_SEARCH_EXECUTOR", "processes")
    workers = int(os.environ.get("EZHOU_APP_WORKERS", "0")) or None
    st.session_state[SLOT] = SearchJob.start(search, out, executor=executor, workers=workers)
    st.session_state["pol_out"] = out
    st.session_state["pol_message"] = None
    st.rerun()


def ending(job: SearchJob, root: Path) -> tuple[str, str]:
    """How a search ended, as (kind of message, text); a finished one is opened below."""
    out = st.session_state["pol_out"]
    name = out.relative_to(root).as_posix()
    if job.stopped:
        return "info", t("pol_cancelled", done=job.runs_done, folder=name)
    if job.error():
        return "error", t("pol_failed", error=job.error())
    st.session_state["pol_folder"] = name  # before the folder list is drawn
    return "success", t("pol_done", seconds=job.seconds, folder=name)
