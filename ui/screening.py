"""The small Morris screening the Sensitivity page can start: factors and outputs chosen on
the page, run in the background through the sensitivity engine, its results written as a new
folder under the app's results folder, as ``ezhou sensitivity`` writes them."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import streamlit as st

from experiments.views import GOALS
from model.reforms import REFORMS
from model.scenario import Conditions
from ui import catalogue, labels
from ui.common import get_scenario, scenario_files
from ui.i18n import lang, t

try:  # the sensitivity engine and its reports
    from experiments.analysis.sensitivity import run_study
    from experiments.formats.sensitivity import parse_study
except ImportError:  # pragma: no cover - an installation without it
    run_study = parse_study = None
try:
    from experiments.reports.render import write_report
except ImportError:  # pragma: no cover
    write_report = None

# levers a first screening looks at, when the base scenario enables their reforms
CORE = [
    "levers.land_capitalisation.homestead_compensation_yuan_per_mu",
    "levers.heavy_industry.audit_share_per_year",
    "levers.investment_financing.fund_size_bn",
    "levers.talent.recruits_per_year",
]


@st.cache_resource(show_spinner=False)
def _screening_thread() -> ThreadPoolExecutor:
    """One background thread for screenings; each runs its own pool of worker processes."""
    return ThreadPoolExecutor(max_workers=1)


def factor_ranges(base) -> dict[str, tuple[float, float]]:
    """Continuous levers of the reforms the base enables, and every condition held constant:
    path -> the schema's range."""
    out = {}
    for cls in REFORMS:
        if not getattr(base.levers, cls.key).enabled:
            continue
        for name, info in cls.Levers.model_fields.items():
            extra = info.json_schema_extra or {}
            if info.annotation is float and "lo" in extra:
                out[f"levers.{cls.key}.{name}"] = (extra["lo"], extra["hi"])
    for name, info in Conditions.model_fields.items():
        if not isinstance(getattr(base.conditions, name), dict):
            extra = info.json_schema_extra or {}
            out[f"conditions.{name}"] = (extra["lo"], extra["hi"])
    return out


def spec_text(name: str, base: Path, paths, ranges, outputs, year, trajectories, scale) -> str:
    """A Morris sensitivity file (the format of `ezhou sensitivity`)."""
    lines = [
        f'name = "{name}"',
        f"description = {json.dumps(t('morris_description'), ensure_ascii=False)}",
        f'base = "{base.as_posix()}"',
        f"end_year = {year}",
        f"scale = {scale}",
        "replications = 1",
        "",
        "[method]",
        'name = "morris"',
        f"trajectories = {trajectories}",
        "levels = 4",
    ]
    for p in paths:
        lo, hi = ranges[p]
        lines += ["", "[[parameters]]", f'path = "{p}"', f"bounds = [{lo!r}, {hi!r}]"]
    for o in outputs:
        lines += ["", "[[outputs]]", f'indicator = "{o}"', f"year = {year}"]
    return "\n".join(lines) + "\n"


def screen_and_report(study, out: Path, executor: str, lg: str):
    """Run the screening through the engine, then write its report in the page's language."""
    outcome = run_study(study, out, executor=executor, quiet=True)
    if not outcome.n_failed and write_report is not None:
        write_report(out, lang=lg)
    return outcome


def screening(root: Path) -> None:
    """A small Morris screening run from the page through the sensitivity engine."""
    lg = lang()
    if run_study is None:
        st.info(t("morris_missing"))
        return
    st.caption(t("morris_intro"))
    files = list(scenario_files())
    # first choices go into the session, not into the widgets (see ui.widgets.field_widget)
    if st.session_state.get("morris_base") not in files:
        first = "full_programme" if "full_programme" in files else files[0]
        st.session_state["morris_base"] = first
    name = st.selectbox(
        t("morris_base"),
        files,
        key="morris_base",
        format_func=lambda n: catalogue.scenario_name(n, lg),
    )
    base, err = get_scenario(name)
    if base is None:
        st.error(err)
        return
    ranges = factor_ranges(base)
    factors_key = f"morris_factors|{name}"
    if factors_key not in st.session_state:
        default = [p for p in CORE if p in ranges]
        if len(default) < 2:
            default = [
                p for p in ranges if p.startswith("levers.") and not p.endswith("phase_in_years")
            ][:4]
        st.session_state[factors_key] = default
    st.session_state.setdefault("morris_outputs", list(GOALS))
    paths = st.multiselect(
        t("morris_factors"),
        list(ranges),
        key=factors_key,
        format_func=lambda p: labels.factor(p, lg),
    )
    outputs = st.multiselect(
        t("morris_outputs"),
        GOALS,
        key="morris_outputs",
        format_func=lambda c: labels.indicator(c, lg),
    )
    c1, c2, c3 = st.columns(3)
    trajectories = c1.slider(t("morris_trajectories"), 2, 20, 4, key="morris_traj")
    year = c2.slider(labels.lever("end_year", lg), 2011, 2035, 2015, key="morris_year")
    scale = c3.select_slider(
        labels.lever("scale", lg), [50, 100, 200, 500, 1000], value=100, key="morris_scale"
    )
    runs = trajectories * (len(paths) + 1)
    st.caption(t("morris_runs", runs=runs))
    future: Future | None = st.session_state.get("morris_future")
    if st.button(
        t("morris_run"),
        key="morris_run",
        disabled=not paths or not outputs or (future is not None and not future.done()),
    ):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = root / f"app_morris_{stamp}"
        text = spec_text(
            f"app_morris_{stamp}",
            scenario_files()[name].resolve(),
            paths,
            ranges,
            outputs,
            year,
            trajectories,
            scale,
        )
        try:
            study = parse_study(text, out / "spec.toml")
        except Exception as exc:  # a one-line UserError from the engine
            st.error(str(exc))
            return
        executor = os.environ.get("EZHOU_APP_SENS_EXECUTOR", "processes")
        st.session_state["morris_future"] = _screening_thread().submit(
            screen_and_report, study, out, executor, lg
        )
        st.session_state["morris_out"] = out
        st.session_state["morris_started"] = time.perf_counter()
        st.rerun()
    if future is not None and not future.done():

        @st.fragment(run_every=1.0)
        def _poll() -> None:
            if future.done():
                st.rerun(scope="app")
            secs = time.perf_counter() - st.session_state["morris_started"]
            st.info(t("morris_running", seconds=secs))

        _poll()
        return
    if future is not None:  # just finished: report once, and open its folder below
        out = st.session_state["morris_out"]
        exc = future.exception()
        if exc is not None:
            msg = ("error", t("run_failed", error=f"{type(exc).__name__}: {exc}"))
        elif future.result().n_failed:
            msg = ("error", t("morris_failed", n=future.result().n_failed, folder=out))
        else:
            msg = ("success", t("morris_done", folder=out, seconds=future.result().wall_seconds))
            st.session_state["sens_folder"] = out.relative_to(root).as_posix()
        st.session_state["morris_message"] = msg
        st.session_state["morris_future"] = None
    if st.session_state.get("morris_message"):
        kind, text = st.session_state["morris_message"]
        (st.success if kind == "success" else st.error)(text)
