"""Policy design: open a finished search or scenario discovery from the app's results folder,
narrow the Pareto set objective by objective, look at a package's levers and download it as a
scenario file to run in the lab; or start a small search in the background."""

from __future__ import annotations

import math
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from experiments.errors import UserError
from experiments.i18n import t as label
from experiments.reports.discovery import (
    case_counts,
    limit_rows,
    read_discovery_head,
    summary_text,
)
from experiments.reports.policies import group_cell, group_header, lever_groups, read_table, scaled
from experiments.reports.search import ALGORITHM_NAMES, objective_label
from experiments.reports.text import format_number
from experiments.views.search import SearchView, design_folders, read_search_view
from ui.common import busy, results_root
from ui.i18n import lang, t
from ui.pages.sensitivity import folder_name, report_section
from ui.policy_search import SLOT, search_form

KEPT, LEFT_OUT = "#1f77b4", "#d0d0d0"
COMMAND = {"search": "search", "discovery": "discover"}
FILTER_STEPS = 20  # a limit's slider moves in this many steps across the Pareto set


def page() -> None:
    lg = lang()
    st.title(t("pol_title"))
    st.caption(t("pol_intro"))
    root = results_root()
    with st.expander(t("pol_run_title"), expanded=busy(SLOT)):
        search_form(root)
    folders = {folder_name(root, folder): (folder, kind) for folder, kind in design_folders(root)}
    if not folders:
        st.info(t("pol_none", root=root))
        return
    if st.session_state.get("pol_folder") not in folders:
        st.session_state["pol_folder"] = next(iter(folders))
    chosen = st.selectbox(
        t("pol_folder"),
        list(folders),
        key="pol_folder",
        # the command that wrote it: the same words in both languages
        format_func=lambda name: f"{name} · ezhou {COMMAND[folders[name][1]]}",
        help=t("pol_folder_help", root=root),
    )
    folder, kind = folders[chosen]
    try:
        if kind == "search":
            show_search(read_search_view(folder), lg)
        else:
            show_discovery(folder, lg)
    except UserError as exc:  # a damaged folder: its one line, and the page goes on
        st.error(t("pol_unreadable", error=str(exc)))
        return
    report_section(folder)


# ---------------------------------------------------------------------- a search
def show_search(view: SearchView, lg: str) -> None:
    head = view.head
    st.subheader(view.name)
    if head.get("description"):
        st.caption(head["description"])
    robustness = head.get("robustness", {})
    st.markdown(
        t(
            "pol_summary",
            algorithm=ALGORITHM_NAMES.get(head.get("algorithm"), head.get("algorithm")),
            candidates=len(view.candidates),
            generations=head.get("generations"),
            futures=robustness.get("futures", 1),
            seeds=len(robustness.get("seeds", [])),
            runs=format_number(int(head.get("runs", 0))),
            pareto=len(view.front),
        )
    )
    st.markdown(f"**{t('pol_filter')}**")
    st.caption(t("pol_filter_note"))
    kept = view.within(limits(view, lg))
    st.caption(t("pol_kept", kept=len(kept), n=len(view.front)))
    st.altair_chart(parallel_chart(view, kept, lg), width="stretch")
    st.caption(t("pol_chart_caption"))
    if kept.empty:
        st.warning(t("pol_none_kept"))
        return
    st.dataframe(package_table(view, kept, lg), hide_index=True, width="stretch")
    ids = view.ids(kept)
    key = f"pol_pick|{view.folder}"
    if st.session_state.get(key) not in ids:
        st.session_state[key] = ids[0]
    values = {pid: row for pid, (_, row) in zip(ids, kept.iterrows(), strict=True)}
    names = [objective["name"] for objective in view.objectives]
    picked = st.selectbox(
        t("pol_pick"),
        ids,
        key=key,
        format_func=lambda pid: (
            f"{pid}: " + ", ".join(format_number(float(values[pid][name])) for name in names)
        ),
    )
    show_package(view, picked, lg)


def limits(view: SearchView, lg: str) -> dict[str, float]:
    """A slider per objective: at least (to maximise) or at most (to minimise) this much.
    Starts where it keeps every package."""
    chosen = {}
    columns = st.columns(min(len(view.objectives), 4))
    for k, objective in enumerate(view.objectives):
        name, column = objective["name"], columns[k % len(columns)]
        title = objective_label(objective, lg)
        low, high = float(view.front[name].min()), float(view.front[name].max())
        if not high - low > 1e-9 * max(1.0, abs(high)):
            column.caption(t("pol_same", objective=title, value=format_number(low)))
            continue
        step = nice_step((high - low) / FILTER_STEPS)
        digits = max(0, -math.floor(math.log10(step)))
        bottom = round(math.floor(low / step) * step, digits)
        top = round(math.ceil(high / step) * step, digits)
        at_least = objective["sense"] == "max"
        chosen[name] = column.slider(
            t("pol_at_least" if at_least else "pol_at_most", objective=title),
            min_value=bottom,
            max_value=top,
            value=bottom if at_least else top,
            step=step,
            format=f"%.{digits}f",
            key=f"pol_limit|{view.folder}|{name}",
        )
    return chosen


def nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw``."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def parallel_chart(view: SearchView, kept: pd.DataFrame, lg: str) -> alt.Chart:
    """Each package of the Pareto set across the objectives, from the worst package tried
    (0) to the best (1); those the limits leave out in grey."""
    tried = view.candidates[view.candidates.feasible.astype(bool)]
    positions = scaled(view.front, tried if len(tried) else view.front, view.objectives)
    kept_ids = set(view.ids(kept))
    axes = [objective_label(objective, lg) for objective in view.objectives]
    rows = []
    for i, package in enumerate(view.ids()):
        for k, objective in enumerate(view.objectives):
            rows.append(
                {
                    "package": package,
                    "axis": axes[k],
                    "position": positions[i, k],
                    "value": float(view.front[objective["name"]].iloc[i]),
                    "kept": package in kept_ids,
                }
            )
    frame = pd.DataFrame(rows)
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("axis:N", sort=axes, title=None, axis=alt.Axis(labelAngle=0, labelLimit=260)),
            y=alt.Y("position:Q", scale=alt.Scale(domain=[0, 1]), title=t("pol_position")),
            detail="package:N",
            color=alt.Color(
                "kept:N", scale=alt.Scale(domain=[True, False], range=[KEPT, LEFT_OUT]), legend=None
            ),
            opacity=alt.condition("datum.kept", alt.value(0.9), alt.value(0.5)),
            tooltip=[
                alt.Tooltip("package:N", title=t("pol_package")),
                alt.Tooltip("axis:N", title=t("pol_axis")),
                alt.Tooltip("value:Q", format=",.4~g", title=""),
            ],
        )
        .properties(height=300)
    )


def package_table(view: SearchView, kept: pd.DataFrame, lg: str) -> pd.DataFrame:
    """The packages kept: their objectives and what each does with each reform."""
    table = {t("pol_package"): view.ids(kept)}
    for objective in view.objectives:
        table[objective_label(objective, lg)] = kept[objective["name"]].round(2).to_numpy()
    for key, group in lever_groups(view.decisions):
        title, _ = group_header(key, group, lg)
        table[title] = [group_cell(row, group, lg) for _, row in kept.iterrows()]
    return pd.DataFrame(table)


def show_package(view: SearchView, package: str, lg: str) -> None:
    """A package's levers, reform by reform, and its scenario file to download."""
    row = view.package(package)
    st.markdown(f"**{t('pol_levers')}**")
    levers = []
    for key, group in lever_groups(view.decisions):
        title, which = group_header(key, group, lg)
        levers.append({t("pol_reform"): title, t("pol_setting"): group_cell(row, group, lg),
                       "": t("pol_levers_of", levers=which)})  # fmt: skip
    st.dataframe(pd.DataFrame(levers), hide_index=True, width="stretch")
    if view.base is None:
        st.info(t("pol_no_scenario"))
        return
    scenario = view.scenario(package)
    text = scenario.to_toml()
    file = f"{scenario.name}.toml"
    st.markdown(f"**{t('pol_scenario')}**")
    st.caption(
        t(
            "pol_scenario_note",
            base=view.head.get("base_scenario"),
            file=file,
            futures=view.head.get("robustness", {}).get("futures", 1),
        )
    )
    st.download_button(
        t("pol_download", file=file),
        text.encode("utf-8"),
        file_name=file,
        mime="application/toml",
        key=f"pol_download|{view.folder}|{package}",
        on_click="ignore",
    )
    with st.expander("TOML"):
        st.code(text, language="toml")


# ---------------------------------------------------------------------- a discovery
def show_discovery(folder: Path, lg: str) -> None:
    """The discovery's sentence, its peeling trajectory, the box and the runs in and out."""
    head = read_discovery_head(folder)
    box = read_table(folder / "box.csv")
    trajectory = read_table(folder / "trajectory.csv")
    cases = read_table(folder / "cases.csv")
    st.subheader(f"{label('report.discovery_title', lg)}: {head['where']}")
    st.markdown(summary_text(head, box, lg))
    st.markdown(f"**{label('report.peeling', lg)}**")
    st.altair_chart(peeling_chart(trajectory, lg), width="stretch")
    st.caption(label("report.peeling_note", lg))
    st.markdown(f"**{label('report.box_limits', lg)}**")
    if box.empty:
        st.caption(label("report.no_restriction", lg))
    else:
        head_row = ["report.in_box", "report.runs_range", "report.qp_value", "report.significant"]
        frame = pd.DataFrame(limit_rows(box, lg), columns=[label(k, lg) for k in head_row])
        st.dataframe(frame, hide_index=True, width="stretch")
        st.caption(label("report.box_limits_note", lg))
    st.markdown(f"**{label('report.cases', lg)}**")
    columns = ["", "report.of_interest", "report.other_runs", "report.total", "report.case_share"]
    header = [label(column, lg) if column else "" for column in columns]
    counts = pd.DataFrame(case_counts(cases, lg), columns=header)
    st.dataframe(counts, hide_index=True)
    st.caption(label("report.cases_note", lg, where=head["where"]))


def peeling_chart(trajectory: pd.DataFrame, lg: str) -> alt.Chart:
    """Coverage against density of each box PRIM passed through; the box kept larger."""
    frame = trajectory.assign(chosen=trajectory.chosen.astype(bool))
    coverage, density = label("report.coverage", lg), label("report.density", lg)
    return (
        alt.Chart(frame)
        .mark_circle()
        .encode(
            x=alt.X(
                "coverage:Q",
                title=coverage,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y(
                "density:Q",
                title=density,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("restricted:Q", title=label("report.restricted", lg)),
            size=alt.condition("datum.chosen", alt.value(260), alt.value(50)),
            tooltip=[
                alt.Tooltip("box:Q", title="#"),
                alt.Tooltip("coverage:Q", format=".0%", title=coverage),
                alt.Tooltip("density:Q", format=".0%", title=density),
                alt.Tooltip("restricted:Q", title=label("report.restricted", lg)),
            ],
        )  # fmt: skip
        .properties(height=300)
    )
