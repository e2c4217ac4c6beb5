"""Sensitivity: pick a results folder of ``ezhou sensitivity`` from the app's results folder
and read, in plain words and one ranked chart, which levers and conditions move each goal; the
tables, files and the full report are one click further."""

from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from experiments.views.sensitivity import Influence, read_influence, result_folders
from ui import charts, labels
from ui.common import results_root
from ui.i18n import lang, t
from ui.screening import screening, write_report

MAX_TABLE_ROWS = 2000
REPORT_HEIGHT = 900  # pixels of the frame the report scrolls in
INDEX_NAMES = {
    "mu_star": "Morris μ*",
    "ST": "Sobol ST",
    "S1": "Sobol S1",
    "delta": "Borgonovo δ",
    "median": "PAWN",
}


def page() -> None:
    lang()
    st.title(t("sens_title"))
    st.caption(t("sens_intro"))
    root = results_root()
    with st.expander(t("morris_title"), expanded=False):
        screening(root)
    folders = {folder_name(root, f): f for f in result_folders(root)}
    if not folders:
        st.info(t("sens_none", root=root))
        return
    if st.session_state.get("sens_folder") not in folders:
        st.session_state["sens_folder"] = next(iter(folders))
    chosen = st.selectbox(
        t("sens_folder"), list(folders), key="sens_folder", help=t("sens_folder_help", root=root)
    )
    show_folder(folders[chosen])


def folder_name(root: Path, folder: Path) -> str:
    return "." if folder == root else folder.relative_to(root).as_posix()


def output_label(name: str, lg: str) -> str:
    """``goal1_levels_score.2015`` -> the indicator's label and its year."""
    column, _, year = name.partition(".")
    return f"{labels.indicator(column, lg)}, {year}" if year else labels.indicator(column, lg)


def show_folder(folder: Path) -> None:
    lg = lang()
    influence = read_influence(folder)
    if influence is not None:
        st.subheader(influence.name)
        if influence.description:
            st.caption(influence.description)
        outputs = influence.goal_outputs()
        st.markdown(f"**{t('sens_what_matters')}**")
        st.markdown("\n".join(f"- {driver_sentence(influence, o, lg)}" for o in outputs))
        st.altair_chart(ranking_chart(influence, outputs, lg), width="stretch")
        index = INDEX_NAMES.get(influence.main_index, influence.main_index)
        st.caption(t("sens_chart_caption", index=index))
    else:
        st.info(t("sens_no_indices", folder=folder.name))
    with st.expander(t("sens_tables")):
        tables(folder)
    report_section(folder)


def driver_sentence(influence: Influence, output: str, lg: str) -> str:
    """One sentence on what matters for ``output``, in the page's language."""
    d = influence.drivers(output)
    name = output_label(output, lg)
    if d["top"] is None:
        return t("sens_no_values", output=name)
    second = t("sens_then", factor=labels.factor(d["second"], lg)) if d["second"] else ""
    text = t("sens_driver", output=name, factor=labels.factor(d["top"], lg), second=second)
    if d["weak"]:
        text += " " + t("sens_weak", weak=d["weak"], n=d["n"])
    if d["unclear"]:
        text += " " + t("sens_unclear")
    return text


def ranking_chart(influence: Influence, outputs: list[str], lg: str) -> alt.Chart:
    """Factors ranked by their mean influence over ``outputs``; a bar for each output (goal
    colours fixed across the app), as a share of that output's strongest factor."""
    order = influence.overall_order(outputs)
    part = influence.table[influence.table.output.isin(outputs)]
    names = {o: output_label(o, lg) for o in outputs}
    frame = pd.DataFrame(
        {
            "factor": [labels.factor(p, lg) for p in part.parameter],
            "output": [names[o] for o in part.output],
            "share": part.share.to_numpy(),
            "value": part.value.to_numpy(),
            "lo": part.lo.to_numpy(),
            "hi": part.hi.to_numpy(),
        }
    )
    factor_order = [labels.factor(p, lg) for p in order]
    output_order = [names[o] for o in outputs]
    colours = charts.output_colours(outputs)
    share_title = t("sens_share")
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "factor:N",
                sort=factor_order,
                title=None,
                axis=alt.Axis(labelLimit=420, labelFontSize=13),
            ),
            yOffset=alt.YOffset("output:N", sort=output_order),
            x=alt.X(
                "share:Q",
                title=share_title,
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", labelFontSize=12, titleFontSize=13),
            ),
            color=alt.Color(
                "output:N",
                title=None,
                scale=alt.Scale(domain=output_order, range=colours),
                legend=alt.Legend(orient="top", labelLimit=0, labelFontSize=13, columns=1),
            ),
            tooltip=[
                alt.Tooltip("factor:N", title=""),
                alt.Tooltip("output:N", title=""),
                alt.Tooltip("share:Q", title=share_title, format=".0%"),
                alt.Tooltip("value:Q", title=influence.main_index, format=",.3~g"),
                alt.Tooltip("lo:Q", title="lo", format=",.3~g"),
                alt.Tooltip("hi:Q", title="hi", format=",.3~g"),
            ],
        )
        .properties(height=alt.Step(10 if len(outputs) > 2 else 14))
    )


def tables(folder: Path) -> None:
    """Every CSV of the folder (the first rows, and the whole file to download) and its
    figures, for those who want the numbers behind the chart."""
    st.caption(t("sens_tables_note"))
    paths = sorted(folder.glob("*.csv"), key=lambda p: (p.name != "indices.csv", p.name))
    for path in paths:
        try:
            df = pd.read_csv(path)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
            st.error(t("sens_unreadable", name=path.name))
            continue
        st.markdown(f"**{path.name}**")
        st.dataframe(df.head(MAX_TABLE_ROWS), hide_index=True, width="stretch", height=240)
        st.download_button(
            t("download_named", name=path.name),
            path.read_bytes(),
            file_name=path.name,
            mime="text/csv",
            key=f"sens_dl|{path}",
            on_click="ignore",
        )
    for path in sorted(folder.glob("*.png")) + sorted(folder.glob("*.svg")):
        st.image(str(path), caption=path.name)


def sandboxed(document: str, height: int) -> str:
    """An HTML page that shows ``document`` in a frame where nothing may run: no scripts,
    forms, pop-ups or navigation, and an origin of its own, so that a report file found in a
    folder cannot act in the user's browser. The page itself holds no script either."""
    return (
        f'<iframe sandbox="" title="report" referrerpolicy="no-referrer" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd" '
        f'srcdoc="{html.escape(document, quote=True)}"></iframe>'
    )


def report_section(folder: Path) -> None:
    report = folder / "report.html"
    if not report.is_file():
        st.caption(t("sens_no_report", folder=folder.name))
        if write_report is not None and st.button(t("sens_write_report"), key="sens_report"):
            try:
                write_report(folder, lang=lang())
            except Exception as exc:  # the report's own one-line message
                st.error(str(exc))
            else:
                st.rerun()
        return
    document = report.read_text(encoding="utf-8", errors="replace")
    with st.expander(t("sens_report")):
        st.download_button(
            t("download_named", name="report.html"),
            document.encode("utf-8"),
            file_name=f"{folder.name}_report.html",
            mime="text/html",
            key="sens_dl_report",
            on_click="ignore",
        )
        st.caption(t("sens_report_note"))
        st.iframe(sandboxed(document, REPORT_HEIGHT), height=REPORT_HEIGHT + 20)
