"""Classroom: guided lessons (question, prediction, paired runs, mechanism) and a
step-by-step mode that advances a run quarter by quarter."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from experiments.views import StepRun, paired_effect, quarterly_series, reforms_off, seed_list
from ui import charts, labels
from ui.common import busy, get_scenario, harvest, job_panel, submit
from ui.i18n import join_lines, lang, t
from ui.lessons import BY_KEY, LESSONS, SERIES, Lesson

LESSON_SEEDS = 5
CHOICES = ["up", "down", "flat"]


def page() -> None:
    lg = lang()
    st.title(t("class_title"))
    st.caption(t("class_intro"))
    key = st.radio(
        t("lesson"),
        [lesson.key for lesson in LESSONS],
        key="lesson",
        horizontal=True,
        format_func=lambda k: labels._pick(BY_KEY[k].title, lg),
    )
    lesson = BY_KEY[key]
    guided, stepwise = st.tabs([t("guided"), t("stepwise")])
    with guided:
        guided_lesson(lesson, lg)
    with stepwise:
        step_mode(lesson, lg)


def guided_lesson(lesson: Lesson, lg: str) -> None:
    st.subheader(t("question"))
    st.write(labels._pick(lesson.question, lg))
    preds = {}
    for col, year in lesson.predictions:
        preds[(col, year)] = st.radio(
            f"{labels.indicator(col, lg)}, {year}",
            CHOICES,
            index=None,
            key=f"pred|{lesson.key}|{col}",
            horizontal=True,
            format_func=lambda c: t(f"pred_{c}"),
        )
    missing = any(v is None for v in preds.values())
    if missing:
        st.caption(t("predict_first"))
    slot = f"lesson_job|{lesson.key}"
    if st.button(
        t("run_lesson"),
        type="primary",
        key=f"lesson_run|{lesson.key}",
        disabled=missing or busy(slot),
    ):
        sc, err = get_scenario(lesson.scenario)
        if sc is None:
            st.error(err)
            return
        sc = sc.with_run(end_year=lesson.end_year)
        groups = {"reform": sc, "reference": reforms_off(sc)}
        submit(slot, groups, seed_list(sc, LESSON_SEEDS))
        st.session_state[f"lesson_locked|{lesson.key}"] = dict(preds)
        st.rerun()
    job = job_panel(slot)
    if job is not None:
        results, msg = harvest(job)
        if msg:
            st.info(msg)
        else:
            st.session_state[f"lesson_result|{lesson.key}"] = results
    results = st.session_state.get(f"lesson_result|{lesson.key}")
    if not results:
        return
    locked = st.session_state.get(f"lesson_locked|{lesson.key}", preds)
    reform, ref = results["reform"].annual, results["reference"].annual
    st.subheader(t("what_happened"))
    for col, year in lesson.predictions:
        e = paired_effect(reform, ref, col, year)
        outcome = {1: "up", -1: "down", 0: "flat"}[e["direction"]]
        guess = locked.get((col, year))
        right = guess == outcome
        box = st.success if right else st.warning
        box(
            t(
                "verdict",
                name=labels.indicator(col, lg),
                year=year,
                guess=t(f"pred_{guess}") if guess else "-",
                outcome=t(f"pred_{outcome}"),
                n=e["seeds"],
                **effect_texts(col, e),
            )
        )
    rows = []
    for col in lesson.also:
        year = lesson.predictions[0][1]
        e = paired_effect(reform, ref, col, year)
        text = effect_texts(col, e)
        rows.append(
            {
                t("indicator"): f"{labels.indicator(col, lg)} ({year})",
                t("no_reform"): text["ref"],
                t("with_reform"): text["value"],
                t("difference"): f"{text['diff']} [{text['lo']}, {text['hi']}]",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("lesson_caption", n=len(results["reform"].seeds)))
    st.subheader(t("mechanism"))
    st.markdown(join_lines(labels._pick(lesson.mechanism, lg), lg))


def step_chart(part: pd.DataFrame, series: str, colours: dict[str, str], lg: str) -> alt.Chart:
    """One quarterly series of both runs, large enough to read on a projector: several
    ticks on the value axis, quarters labelled by year."""
    fmt = ".1%" if series.endswith("_share") else labels.vega_format(series, part["value"])
    big = {"labelFontSize": 14, "titleFontSize": 14}
    return (
        alt.Chart(part)
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X(
                "quarter:O",
                title=None,
                axis=alt.Axis(
                    labelExpr="slice(datum.value, 4) == 'Q1' ? slice(datum.value, 0, 4) : ''",
                    labelAngle=0,
                    **big,
                ),
            ),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(tickCount=6, format=fmt, **big),
            ),
            color=alt.Color(
                "run:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelFontSize=14, labelLimit=0),
                **charts.series_colour(colours),
            ),
            tooltip=["run:N", "quarter:O", alt.Tooltip("value:Q", format=fmt)],
        )
        .properties(
            title=alt.TitleParams(labels._pick(SERIES[series], lg), fontSize=16, anchor="start"),
            height=320,
        )
    )


def effect_texts(column: str, effect: dict) -> dict[str, str]:
    """An effect's numbers written alike: shares in percent (changes in percentage points),
    counts whole, other values with the decimals that suit the value without reform."""
    decimals = labels.decimals_for(column, effect["reference"])
    out = {
        key: labels.value_text(column, effect[key], decimals=decimals)
        for key in ("reference", "value")
    }
    out |= {
        key: labels.value_text(column, effect[key], sign=True, decimals=decimals)
        for key in ("diff", "lo", "hi")
    }
    out["ref"] = out.pop("reference")
    return out


def step_mode(lesson: Lesson, lg: str) -> None:
    st.caption(t("step_intro"))
    skey = f"stepper|{lesson.key}"
    runs: dict[str, StepRun] | None = st.session_state.get(skey)
    c = st.columns(5)
    if c[0].button(t("step_start"), key=f"step_start|{lesson.key}") or runs is None:
        sc, err = get_scenario(lesson.scenario)
        if sc is None:
            st.error(err)
            return
        sc = sc.with_run(end_year=lesson.end_year)
        runs = {"reform": StepRun(sc), "reference": StepRun(reforms_off(sc))}
        st.session_state[skey] = runs
    advance = 0
    if c[1].button(t("step_quarter"), key=f"step_q|{lesson.key}"):
        advance = 1
    if c[2].button(t("step_year"), key=f"step_y|{lesson.key}"):
        advance = 4
    if c[3].button(t("step_end"), key=f"step_end|{lesson.key}"):
        advance = runs["reform"].n_quarters
    if advance:
        with st.spinner(t("stepping")):
            for r in runs.values():
                r.step(advance)
    run = runs["reform"]
    c[4].metric(t("quarter"), run.label())
    st.progress(run.t / run.n_quarters, text=t("step_progress", t=run.t, n=run.n_quarters))
    if run.t == 0:
        st.info(t("step_none"))
        return
    with_reform, without = t("with_reform"), t("no_reform")
    colours = {
        with_reform: charts.scenario_colour(lesson.scenario),
        without: charts.REFERENCE_COLOUR,
    }
    frames = []
    for name, r in runs.items():
        q = quarterly_series(r.quarterly(), list(lesson.steps))
        frames.append(q.assign(run=with_reform if name == "reform" else without))
    df = pd.concat(frames, ignore_index=True)
    grid = st.columns(2)
    for i, s in enumerate(lesson.steps):
        grid[i % 2].altair_chart(step_chart(df[df.series == s], s, colours, lg), width="stretch")
    st.caption(t("step_caption", seed=run.scenario.run.seed))
