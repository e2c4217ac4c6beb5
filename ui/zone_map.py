"""The lab's map of Ezhou: the five zones over the city's real districts (ui/geography.py),
each coloured by an indicator, with a short name and the value in each zone and labels that
never overlap. Drawn in the browser by Vega-Lite on pixel coordinates computed here (an
identity projection), so that the labels' places are known before drawing."""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from ui import geography, labels

MAP_WIDTH, MAP_HEIGHT = 540, 620  # pixels of the map's frame
MAP_MARGIN = 8  # pixels on every side
MAP_FONT = 13
SIMPLIFY_PIXELS = 0.5  # boundary detail finer than this is not drawn
PROJECTION = {"type": "identity", "scale": 1, "translate": [0, 0]}
RIVER_COLOUR, WUHAN_COLOUR = "#2b6cb0", "#555555"


def map_frame(shapes: geography.Layout):
    """km -> pixels of the map's frame (x right, y down, north up, scale kept), and the
    pixels per km."""
    scale = min(
        (MAP_WIDTH - 2 * MAP_MARGIN) / shapes.width_km,
        (MAP_HEIGHT - 2 * MAP_MARGIN) / shapes.height_km,
    )

    def to_pixels(point):
        x, y = point
        return MAP_MARGIN + x * scale, MAP_MARGIN + (shapes.height_km - y) * scale

    return to_pixels, scale


@lru_cache(maxsize=1)
def pixel_geometry() -> dict[tuple[str, str], list]:
    """(kind, key) -> GeoJSON MultiPolygon coordinates in pixels: the zones ("rest" for a
    district's whole or rest, "part" for a zone cut out of it), the districts and the city."""
    shapes = geography.layout()
    to_pixels, _ = map_frame(shapes)

    def polygons(rings):
        out = []
        for ring in rings:
            pixels = geography.simplify([to_pixels(p) for p in ring], SIMPLIFY_PIXELS)
            points = [[round(x, 1), round(y, 1)] for x, y in pixels]
            out.append([points + points[:1]])
        return out

    geometry = {}
    for zone, shape in shapes.zones.items():
        geometry[("part" if shape.cut else "rest", zone)] = polygons(shape.rings)
    for key, rings in shapes.districts.items():
        geometry[("district", key)] = polygons(rings)
    geometry[("city", "city")] = polygons(shapes.city)
    return geometry


def zone_label_lines(frame: pd.DataFrame, column: str, lang: str) -> dict[str, list[str]]:
    """Each zone's label on the map: its short name, then the value of ``column``."""
    means = frame.set_index("zone")["mean"]
    return {
        zone: [
            labels.zone_short(zone, lang),
            labels.value_text(column, means[zone]) if zone in means.index else "–",
        ]
        for zone in geography.ZONE_DISTRICT
    }


def map_labels(lines: dict[str, list[str]]) -> dict[str, geography.Label]:
    """Where the map puts each zone's label (pixels of its frame)."""
    key = tuple((zone, tuple(text)) for zone, text in lines.items())
    return _placed(key)


@lru_cache(maxsize=256)
def _placed(key: tuple) -> dict[str, geography.Label]:
    shapes = geography.layout()
    to_pixels, pixels_per_km = map_frame(shapes)
    lines = {zone: list(text) for zone, text in key}
    return geography.place_labels(
        lines, to_pixels, pixels_per_km, MAP_WIDTH, MAP_HEIGHT, MAP_FONT, shapes
    )


def zone_map(
    frame: pd.DataFrame, column: str, title: str, lang: str, river: str, wuhan: str
) -> alt.LayerChart:
    """Ezhou's districts with the five zones over them, each coloured by ``mean`` of
    ``column`` (its 90% seed interval in the tooltip)."""
    shapes = geography.layout()
    to_pixels, _ = map_frame(shapes)
    values = frame.set_index("zone")
    lines = zone_label_lines(frame, column, lang)
    features = []
    for (kind, key), coordinates in pixel_geometry().items():
        properties = {"kind": kind, "zone": key}
        if kind in ("rest", "part"):
            known = key in values.index
            span = [labels.value_text(column, values.at[key, q]) for q in ("lo", "hi")]
            properties.update(
                name=labels.zone(key, lang),
                value=float(values.at[key, "mean"]) if known else None,
                text=lines[key][1],
                range=" – ".join(span) if known else "",
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
                "properties": properties,
            }
        )
    colour = alt.Color(
        "properties.value:Q",
        title=title,
        scale=alt.Scale(scheme="yellowgreenblue"),
        legend=alt.Legend(
            orient="bottom",
            direction="horizontal",
            gradientLength=320,
            titleLimit=MAP_WIDTH,
            titleFontSize=MAP_FONT,
            titleColor="#222222",
            labelFontSize=12,
            labelColor="#333333",
            format=labels.vega_format(column, values["mean"]),
        ),
    )
    tooltip = [
        alt.Tooltip("properties.name:N", title=""),
        alt.Tooltip("properties.text:N", title=title),
        alt.Tooltip("properties.range:N", title="90%"),
    ]

    def shapes_of(kind: str, **mark) -> alt.Chart:
        chart = alt.Chart().mark_geoshape(**mark).project(**PROJECTION)
        return chart.transform_filter(f"datum.properties.kind == '{kind}'")

    layers = [
        shapes_of("rest", strokeWidth=0).encode(color=colour, tooltip=tooltip),
        # a zone cut out of its district: its cut drawn dashed (district lines cover the rest)
        shapes_of("part", stroke="white", strokeWidth=1.5, strokeDash=[5, 3]).encode(
            color=colour, tooltip=tooltip
        ),
        shapes_of("district", filled=False, stroke="white", strokeWidth=2.5),
        shapes_of("city", filled=False, stroke="#333333", strokeWidth=1.5),
    ]
    layers += _label_layers(lines, map_labels(lines))
    notes = [
        (river, to_pixels(shapes.km(*geography.YANGTZE_AT)), RIVER_COLOUR),
        (wuhan, to_pixels(shapes.km(*geography.WUHAN_SIDE_AT)), WUHAN_COLOUR),
    ]
    for text, (x, y), colour_of_note in notes:
        layers.append(
            alt.Chart(alt.Data(values=[{"x": x, "y": y, "t": text}]))
            .mark_text(
                fontSize=MAP_FONT, fontStyle="italic", baseline="middle", color=colour_of_note
            )
            .encode(**_POSITION)
            .project(**PROJECTION)
        )
    # "pad": the legend goes below the map instead of shrinking it; the side padding keeps
    # the legend's first and last labels whole
    return alt.layer(*layers, data=alt.Data(values=features)).properties(
        width=MAP_WIDTH,
        height=MAP_HEIGHT,
        autosize=alt.AutoSizeParams(type="pad"),
        padding={"left": 24, "right": 24, "top": 4, "bottom": 4},
    )


_POSITION = {
    "longitude": alt.Longitude("x:Q"),
    "latitude": alt.Latitude("y:Q"),
    "text": alt.Text("t:N"),
}


def _label_layers(lines: dict[str, list[str]], placed: dict[str, geography.Label]) -> list:
    """The zones' names (bold) and values, dark on a white halo: readable on any colour."""
    rows = []
    for zone, label in placed.items():
        first = label.y - (len(lines[zone]) - 1) * MAP_FONT * 0.625
        for i, line in enumerate(lines[zone]):
            rows.append({"x": label.x, "y": first + i * MAP_FONT * 1.25, "t": line, "line": i})
    layers = []
    for line, weight in ((0, "bold"), (1, "normal")):
        words = alt.Data(values=[r for r in rows if r["line"] == line])
        for halo in ({"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}, {}):
            mark = alt.Chart(words).mark_text(
                fontSize=MAP_FONT, fontWeight=weight, baseline="middle", color="#111111", **halo
            )
            layers.append(mark.encode(**_POSITION).project(**PROJECTION))
    return layers
