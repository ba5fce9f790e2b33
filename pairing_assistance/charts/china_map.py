"""The China base map for thematic charts, drawn as 《公开地图内容表示规范》(自然资规〔2023〕2号) requires.

What the rule asks of a map of the whole country, and where this module does it:

* all 34 province-level units, 台湾省 drawn and styled like every other province; where the theme has no data
  for 台湾省 (or 香港, 澳门) the map says "资料暂缺" (``NO_DATA``, the note and the tooltip);
* 钓鱼岛 and 赤尾屿 (kept by ``scripts/build_geo.py``; marked here because at this scale they are specks);
* the 南海诸岛 as an inset in the lower right, in its own frame, with the ten-segment line, down to 曾母暗沙;
  the main frame then only has to reach Hainan's southern tip (``main_extent``);
* nothing (labels, notes, legends) covers 台湾, 钓鱼岛 or the inset: the note sits in the empty lower-left
  corner and the legend goes below the map (tested in ``tests/test_geo.py``).

Geometry: ``data/geo/china_provinces.topo.json`` (objects ``provinces`` and ``ten_dash_line``).
Sizes are in pixels and chosen so the whole map fits a 390-pixel phone screen.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt

from ..i18n import t

WIDTH, HEIGHT = 345, 240
MAIN = (0, 0, 286, 240)  # the box the main map is fitted into; the inset sits to its right, east of 赤尾屿
PROJECTION = {"type": "conicEqualArea", "rotate": [-105, 0], "parallels": [25, 47]}
# The inset frame (x0, y0, x1, y1) in the lower-right corner, which in this projection is open sea
# east of 台湾 and south of Japan; and the area it shows (lon0, lat0, lon1, lat1): from the mainland coast
# south of the Tropic of Cancer to 曾母暗沙, and from 越南's coast to the ten-segment line east of 台湾.
INSET = (283, 138, 345, 240)
INSET_AREA = (106.5, 2.8, 123.0, 24.0)
MAIN_SOUTH = 18.0  # degrees north: the main frame reaches 海南岛's southern tip (18.15°N) and stops
NO_DATA = ("710000", "810000", "820000")  # 台湾省, 香港特别行政区, 澳门特别行政区: no pairing data
# Published positions (国家海洋局, 2012-09-15: 钓鱼岛 25°44.6′N 123°28.4′E; 赤尾屿 25°55′N 124°34′E).
MARKED_ISLANDS = {"diaoyu": (123.473, 25.743), "chiwei": (124.567, 25.917)}
NOTE_AT = (2, 238)  # lower-left corner, west of 云南 and south of 西藏: empty at this projection
FILL, STROKE, LINE = "#e3e3e3", "#8c8c8c", "#3b3b3b"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute longitude/latitude of every arc (undoing TopoJSON's quantisation and delta encoding)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def geometries(topology: dict, name: str) -> list[dict]:
    """The geometries of object ``name`` as GeoJSON features (Polygon, MultiPolygon, MultiLineString)."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry["type"]
        if kind == "Polygon":
            coordinates = [_ring(arcs, ring) for ring in geometry["arcs"]]
        elif kind == "MultiPolygon":
            coordinates = [[_ring(arcs, ring) for ring in polygon] for polygon in geometry["arcs"]]
        elif kind in ("LineString", "MultiLineString"):
            lines = [_ring(arcs, line) for line in geometry["arcs"]] if kind == "MultiLineString" else _ring(arcs, geometry["arcs"])
            coordinates = lines
        else:
            raise ValueError(f"TopoJSON object {name!r}: unsupported geometry type {kind!r}")
        features.append({"type": "Feature", "properties": geometry.get("properties", {}),
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return features


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (Andrew's monotone chain), anticlockwise."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def half(sequence):
        chain: list[tuple[float, float]] = []
        for p in sequence:
            while len(chain) >= 2 and ((chain[-1][0] - chain[-2][0]) * (p[1] - chain[-2][1])
                                       - (chain[-1][1] - chain[-2][1]) * (p[0] - chain[-2][0])) <= 0:
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return half(points) + half(reversed(points))


def main_extent(topology: dict) -> dict:
    """What the main frame must show: every province vertex north of ``MAIN_SOUTH`` (the 南海诸岛 go to the inset)."""
    arcs = decode_arcs(topology)
    used = {i if i >= 0 else ~i for geometry in topology["objects"]["provinces"]["geometries"]
            for i in _flatten(geometry["arcs"])}
    points = [p for index in sorted(used) for p in arcs[index] if p[1] >= MAIN_SOUTH]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": _hull(points)}}


def _flatten(nested) -> list[int]:
    return [nested] if isinstance(nested, int) else [i for item in nested for i in _flatten(item)]


def _box_points(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    """A lon/lat rectangle as a MultiPoint along its edges (parallels are curves in a conic projection)."""
    steps = 8
    edge = [(lon0 + (lon1 - lon0) * i / steps, lat) for i in range(steps + 1) for lat in (lat0, lat1)]
    edge += [(lon, lat0 + (lat1 - lat0) * i / steps) for i in range(steps + 1) for lon in (lon0, lon1)]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": edge}}


def projections(topology: dict) -> tuple[dict, dict]:
    """The main frame's projection and the inset's (same projection, its own scale and frame)."""
    main = {**PROJECTION, "fit": main_extent(topology), "extent": [[MAIN[0], MAIN[1]], [MAIN[2], MAIN[3]]],
            "clipExtent": [[0, 0], [WIDTH, HEIGHT]]}
    x0, y0, x1, y1 = INSET
    inset = {**PROJECTION, "fit": _box_points(*INSET_AREA), "extent": [[x0 + 1, y0 + 1], [x1 - 1, y1 - 1]],
             "clipExtent": [[x0, y0], [x1, y1]]}
    return main, inset


class SharedInlineData(alt.InlineData):
    """Inline data that Altair's chart operations share instead of copying.

    Altair deep-copies every subchart on each ``layer``, ``properties`` and ``add_params``; with the province
    topology (about 0.4 MB of nested lists) inline in five layers that was 5 million copy calls, 6.5 s of the
    3.1 map's 6.9 s. The geometry is never changed after it is loaded, so one object can stand in every layer;
    the spec written out is the same.
    """

    def __deepcopy__(self, memo=None):
        return self


_PROVINCE_DATA: dict[int, tuple[dict, SharedInlineData]] = {}


def province_data(topology: dict) -> SharedInlineData:
    """The provinces of a topology as chart data (TopoJSON feature ``provinces``); one object per topology
    (building it walks the whole geometry, 0.4 s, and the map needs it in the base layer and the lookup)."""
    held = _PROVINCE_DATA.get(id(topology))
    if held is None or held[0] is not topology:  # the topology is held, so its id cannot be reused meanwhile
        _PROVINCE_DATA.clear()
        held = _PROVINCE_DATA[id(topology)] = (
            topology, SharedInlineData(values=topology, format=alt.DataFormat(type="topojson", feature="provinces")))
    return held[1]


def _provinces(geo: alt.InlineData, projection: dict, lang: str) -> alt.Chart:
    no_data = " || ".join(f"datum.properties.code === '{code}'" for code in NO_DATA)
    return (
        alt.Chart(geo)
        .transform_calculate(name="datum.properties.name",
                             status=f"({no_data}) ? '{t('map.no_data', lang)}' : ''")
        .mark_geoshape(fill=FILL, stroke=STROKE, strokeWidth=0.4)
        .encode(tooltip=[alt.Tooltip("name:N", title=t("region", lang)),
                         alt.Tooltip("status:N", title=t("map.data", lang))])
        .project(**projection)
    )


def _line(topology: dict, projection: dict) -> alt.Chart:
    # Decoded here: one inline dataset read with two TopoJSON ``feature`` names breaks Vega (duplicate data set).
    line = SharedInlineData(values=geometries(topology, "ten_dash_line"))
    return alt.Chart(line).mark_geoshape(filled=False, stroke=LINE, strokeWidth=1).project(**projection)


def _islands(projection: dict, lang: str) -> alt.Chart:
    rows = [{"longitude": lon, "latitude": lat, "name": t(f"map.island.{key}", lang)}
            for key, (lon, lat) in MARKED_ISLANDS.items()]
    return alt.Chart(alt.Data(values=rows)).mark_circle(size=6, color=STROKE, opacity=1).encode(
        longitude="longitude:Q", latitude="latitude:Q", tooltip=alt.Tooltip("name:N", title=t("map.island", lang))
    ).project(**projection)


def _text(text: str | list[str], x: float, y: float, **style) -> alt.Chart:
    return alt.Chart(alt.Data(values=[{}])).mark_text(text=text, **style).encode(x=alt.value(x), y=alt.value(y))


def china_map(topology: dict, thematic: Callable[[dict], alt.Chart] | None = None, lang: str = "zh") -> alt.LayerChart:
    """All 34 province-level units, the 南海诸岛 inset and the no-data note, with an optional thematic layer.

    ``thematic(projection)`` returns a geoshape layer (for example provinces coloured by role) drawn with the
    given projection; it is drawn twice, in the main frame and in the inset, so 海南 and 广东's islands carry
    the same colour in both. Its legend must go below the map (``orient="bottom"``).
    """
    geo = province_data(topology)
    main, inset = projections(topology)
    x0, y0, x1, y1 = INSET

    def frame(projection: dict) -> list[alt.Chart]:
        layers = [_provinces(geo, projection, lang)]
        if thematic is not None:
            layers.append(thematic(projection))
        return layers + [_line(topology, projection)]

    note = t("map.no_data_note", lang).split("\n")
    box = alt.Chart(alt.Data(values=[{}])).mark_rect(fill="white", stroke=LINE, strokeWidth=0.8).encode(
        x=alt.value(x0), y=alt.value(y0), x2=alt.value(x1), y2=alt.value(y1))
    return alt.layer(
        *frame(main),
        _islands(main, lang),
        # no fixed colour: the text colour of the page's light or dark chart theme (a grey vanished on dark pages)
        _text(note, *NOTE_AT, align="left", baseline="bottom", fontSize=9, opacity=0.8, lineHeight=11),
        box,
        *frame(inset),
        _text(t("map.inset", lang), x1 - 3, y1 - 3, align="right", baseline="bottom", fontSize=9, color=LINE),
    ).properties(width=WIDTH, height=HEIGHT)
