"""Charts drawn in the browser (Vega-Lite through Altair), so Chinese text needs no font on
the server; every title and label is passed in the chosen language."""

from __future__ import annotations

import zlib

import altair as alt
import pandas as pd

from ui import labels

# One colour per series wherever it is drawn, so that a series never changes colour from one
# chart to the next: the goals, then other indicators in the order they come.
GOAL_COLOURS = {
    "goal1_levels_score": "#1f77b4",
    "goal2_per_capita_score": "#e6550d",
    "goal3_quality_score": "#2ca02c",
}
OTHER_COLOURS = ["#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#d62728"]
# runs: without reform always grey; each scenario its own colour on every page
REFERENCE_COLOUR = "#8c8c8c"
SCENARIO_COLOURS = [
    "#1f77b4", "#ff7f0e", "#d62728", "#9467bd", "#2ca02c", "#8c564b", "#e377c2",
    "#17becf", "#bcbd22", "#393b79", "#e6550d", "#637939",
]  # fmt: skip
# legends below the chart, labels and titles never cut
LEGEND = {"orient": "bottom", "labelLimit": 0, "titleLimit": 0, "labelFontSize": 12}


def output_colours(outputs: list[str]) -> list[str]:
    """Colours of outputs named ``indicator`` or ``indicator.year``: a goal's own colour,
    the other palette in turn for the rest."""
    others = iter(OTHER_COLOURS * (1 + len(outputs) // len(OTHER_COLOURS)))
    return [GOAL_COLOURS.get(o.partition(".")[0]) or next(others) for o in outputs]


def scenario_colour(key: str) -> str:
    """A scenario's colour: the baseline (no reform) grey, a shipped file its own colour, an
    uploaded one a colour fixed by its name."""
    from ui.catalogue import SCENARIOS

    if key == "baseline":
        return REFERENCE_COLOUR
    shipped = [k for k in SCENARIOS if k != "baseline"]
    index = shipped.index(key) if key in shipped else zlib.crc32(key.encode()) + len(shipped)
    return SCENARIO_COLOURS[index % len(SCENARIO_COLOURS)]


def series_colour(colours: dict[str, str]) -> dict:
    """A colour scale that gives each named series its colour, in this order."""
    return {"scale": alt.Scale(domain=list(colours), range=list(colours.values()))}


def bands(
    frame: pd.DataFrame,
    y_title: str,
    series_title: str,
    colours: dict[str, str],
    x: str = "year",
    y_format: str | None = None,
) -> alt.Chart:
    """Mean lines with shaded seed intervals: ``frame`` has x, mean, lo, hi, series; each
    series drawn in its colour of ``colours``."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:O" if x == "year" else f"{x}:N", title=None),
        color=alt.Color(
            "series:N",
            title=series_title,
            legend=alt.Legend(**LEGEND),
            **series_colour(colours),
        ),
    )
    axis = alt.Axis(format=y_format) if y_format else alt.Axis()
    area = base.mark_area(opacity=0.25).encode(y=alt.Y("lo:Q", title=y_title), y2="hi:Q")
    line = base.mark_line(point=True).encode(
        y=alt.Y("mean:Q", title=y_title, scale=alt.Scale(zero=False), axis=axis),
        tooltip=[
            alt.Tooltip("series:N", title=series_title),
            alt.Tooltip(f"{x}:N"),
            alt.Tooltip("mean:Q", format=",.4~g"),
            alt.Tooltip("lo:Q", format=",.4~g"),
            alt.Tooltip("hi:Q", format=",.4~g"),
        ],
    )
    return (area + line).properties(height=320)


def sector_bars(frame: pd.DataFrame, title: str, lang: str) -> alt.Chart:
    df = frame.assign(name=[labels.sector(s, lang) for s in frame.sector])
    axis = alt.Axis(labelLimit=0)  # sector names whole, never cut
    base = alt.Chart(df).encode(y=alt.Y("name:N", title=None, sort="-x", axis=axis))
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


def lorenz(
    frame: pd.DataFrame,
    colours: dict[str, str],
    groups: list[str],
    x_title: str,
    y_title: str,
    panel: int = 140,
) -> alt.HConcatChart:
    """Lorenz curves, a square panel of ``panel`` pixels per group (in the order of
    ``groups``): ``frame`` has group and series (labels), population, mean, lo and hi
    (shares); each series in its colour of ``colours`` with its seed interval shaded, the
    first series drawn last (on top) and the others dashed, so that a curve lying on
    another still shows; the dotted diagonal is equal shares."""
    share = {"format": ".0%", "values": [0, 0.5, 1], "labelFontSize": 12, "titleFontSize": 12}
    unit = alt.Scale(domain=[0, 1], nice=False)
    diagonal = pd.DataFrame({"population": [0.0, 1.0], "mean": [0.0, 1.0]})
    order = {series: i for i, series in enumerate(reversed(list(colours)))}
    dashes = alt.Scale(domain=list(colours), range=[[1, 0]] + [[6, 3]] * (len(colours) - 1))
    frame = frame.sort_values("series", key=lambda column: column.map(order), kind="stable")
    panels = []
    for i, group in enumerate(groups):
        x_axis = alt.Axis(**share, title=x_title if i == len(groups) // 2 else None)
        y_axis = alt.Axis(**share, title=y_title if i == 0 else None, labels=i == 0)
        base = alt.Chart(frame[frame.group == group]).encode(
            x=alt.X("population:Q", axis=x_axis, scale=unit),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(
                    **LEGEND, symbolType="stroke", symbolStrokeWidth=3, symbolOpacity=1
                ),
                **series_colour(colours),
            ),
        )
        band = base.mark_area(opacity=0.25).encode(y=alt.Y("lo:Q", scale=unit), y2="hi:Q")
        line = base.mark_line(strokeWidth=2.5).encode(
            y=alt.Y("mean:Q", axis=y_axis, scale=unit),
            strokeDash=alt.StrokeDash("series:N", scale=dashes, legend=None),
            tooltip=[
                alt.Tooltip("series:N", title=group),
                alt.Tooltip("population:Q", format=".0%", title=x_title),
                alt.Tooltip("mean:Q", format=".1%", title=y_title),
                alt.Tooltip("lo:Q", format=".1%"),
                alt.Tooltip("hi:Q", format=".1%"),
            ],
        )
        equal = (
            alt.Chart(diagonal)
            .mark_line(color="#9a9a9a", strokeDash=[2, 3], strokeWidth=1.5)
            .encode(x="population:Q", y="mean:Q")
        )
        title = alt.TitleParams(group, fontSize=13, anchor="middle")
        panels.append((equal + band + line).properties(width=panel, height=panel, title=title))
    return alt.hconcat(*panels, spacing=14)


def decile_bars(
    frame: pd.DataFrame, colours: dict[str, str], x_title: str, y_title: str, y_format: str
) -> alt.Chart:
    """Bars by decile: ``frame`` has decile, series (labels), mean, lo and hi; the series
    side by side in their colours of ``colours``, whiskers over the seed interval."""
    order = list(colours)
    base = alt.Chart(frame).encode(
        x=alt.X("decile:O", title=x_title, axis=alt.Axis(labelAngle=0, labelFontSize=12)),
        xOffset=alt.XOffset("series:N", sort=order),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("mean:Q", title=y_title, axis=alt.Axis(format=y_format)),
        color=alt.Color(
            "series:N",
            title=None,
            legend=alt.Legend(**LEGEND),
            sort=order,
            **series_colour(colours),
        ),
        tooltip=[
            alt.Tooltip("series:N", title=""),
            alt.Tooltip("decile:O", title=x_title),
            alt.Tooltip("mean:Q", format=",.4~g"),
            alt.Tooltip("lo:Q", format=",.4~g"),
            alt.Tooltip("hi:Q", format=",.4~g"),
        ],
    )
    whiskers = base.mark_rule(color="#222222", strokeWidth=1.5).encode(y="lo:Q", y2="hi:Q")
    return (bars + whiskers).properties(height=340)
