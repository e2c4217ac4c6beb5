"""Charts drawn in the browser (Vega-Lite through Altair), so Chinese text needs no font on
the server; every title and label is passed in the chosen language."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui import labels
from ui.labels import num

# One colour per series wherever it is drawn, so that a series never changes colour from one
# chart to the next: the goals, then other indicators in the order they come.
GOAL_COLOURS = {
    "goal1_levels_score": "#1f77b4",
    "goal2_per_capita_score": "#e6550d",
    "goal3_quality_score": "#2ca02c",
}
OTHER_COLOURS = ["#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#d62728"]

# schematic layout of the five zones (x0, x1, y0, y1 on a 10 x 8 grid, north up): the
# Yangtze along the north, Wuhan to the west, Liangzi Lake to the south
ZONE_TILES = {
    "huarong_port": (0.0, 3.3, 4.6, 7.4),
    "main_city": (3.4, 6.6, 4.6, 7.4),
    "echeng_transformation": (6.7, 10.0, 4.6, 7.4),
    "gehua_science": (0.0, 3.3, 0.0, 4.5),
    "liangzi_lake": (3.4, 10.0, 0.0, 4.5),
}


def output_colours(outputs: list[str]) -> list[str]:
    """Colours of outputs named ``indicator`` or ``indicator.year``: a goal's own colour,
    the other palette in turn for the rest."""
    others = iter(OTHER_COLOURS * (1 + len(outputs) // len(OTHER_COLOURS)))
    return [GOAL_COLOURS.get(o.partition(".")[0]) or next(others) for o in outputs]


def bands(frame: pd.DataFrame, y_title: str, series_title: str, x: str = "year") -> alt.Chart:
    """Mean lines with shaded seed intervals: ``frame`` has x, mean, lo, hi, series."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:O" if x == "year" else f"{x}:N", title=None),
        color=alt.Color("series:N", title=series_title, legend=alt.Legend(orient="bottom")),
    )
    area = base.mark_area(opacity=0.25).encode(y=alt.Y("lo:Q", title=y_title), y2="hi:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=y_title, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip(f"{x}:N"),
            alt.Tooltip("mean:Q", format=",.4~g"),
            alt.Tooltip("lo:Q", format=",.4~g"),
            alt.Tooltip("hi:Q", format=",.4~g"),
        ],
    )
    return (area + line).properties(height=320)


def zone_map(frame: pd.DataFrame, title: str, lang: str, river: str, wuhan: str) -> alt.Chart:
    """The five zones as tiles placed roughly as on the map, coloured by ``mean``."""
    rows = []
    for _, r in frame.iterrows():
        x0, x1, y0, y1 = ZONE_TILES[r["zone"]]
        rows.append(
            {
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y1,
                "cx": (x0 + x1) / 2,
                "cy": (y0 + y1) / 2,
                "name": labels.zone(r["zone"], lang),
                "value": r["mean"],
                "text": num(r["mean"]),
                "range": f"[{num(r['lo'])}, {num(r['hi'])}]",
            }
        )
    df = pd.DataFrame(rows)
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    tiles = (
        alt.Chart(df)
        .mark_rect(stroke="white", strokeWidth=2, cornerRadius=6)
        .encode(
            x=alt.X("x0:Q", axis=axis, scale=alt.Scale(domain=[-1.2, 10])),
            x2="x1:Q",
            y=alt.Y("y0:Q", axis=axis, scale=alt.Scale(domain=[0, 8.2])),
            y2="y1:Q",
            color=alt.Color("value:Q", title=title, scale=alt.Scale(scheme="viridis")),
            tooltip=[
                alt.Tooltip("name:N", title=""),
                alt.Tooltip("text:N", title=title),
                alt.Tooltip("range:N", title="90%"),
            ],
        )
    )
    names = (
        alt.Chart(df)
        .mark_text(fontSize=12, fontWeight="bold", color="white", dy=-9)
        .encode(x="cx:Q", y="cy:Q", text="name:N")
    )
    values = (
        alt.Chart(df)
        .mark_text(fontSize=12, color="white", dy=9)
        .encode(x="cx:Q", y="cy:Q", text="text:N")
    )
    marks = pd.DataFrame(
        [
            {"x": 5.0, "y": 7.8, "t": river, "c": "#3b7dd8"},
            {"x": -0.6, "y": 4.0, "t": wuhan, "c": "#555"},
        ]
    )
    notes = (
        alt.Chart(marks)
        .mark_text(fontSize=12, fontStyle="italic")
        .encode(x="x:Q", y="y:Q", text="t:N", color=alt.Color("c:N", scale=None))
    )
    return (tiles + names + values + notes).properties(height=380)


def sector_bars(frame: pd.DataFrame, title: str, lang: str) -> alt.Chart:
    df = frame.assign(name=[labels.sector(s, lang) for s in frame.sector])
    base = alt.Chart(df).encode(y=alt.Y("name:N", title=None, sort="-x"))
    bars = base.mark_bar().encode(
        x=alt.X("mean:Q", title=title),
        tooltip=[
            alt.Tooltip("name:N", title=""),
            alt.Tooltip("mean:Q", format=",.3f"),
            alt.Tooltip("share:Q", format=".1%"),
        ],
    )
    err = base.mark_errorbar().encode(x=alt.X("lo:Q", title=title), x2="hi:Q")
    return (bars + err).properties(height=300)
