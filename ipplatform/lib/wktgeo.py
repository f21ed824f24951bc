"""WKT polygons (POLYGON / MULTIPOLYGON, as in the census boundary column) to the GeoJSON that ECharts' registerMap reads."""

from __future__ import annotations

import re

_NUM_PAIR = re.compile(r"(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)")


def _rings(body: str, digits: int) -> list[list[list[float]]]:
    rings = []
    for ring in re.findall(r"\(([^()]*)\)", body):
        pts = [[round(float(x), digits), round(float(y), digits)] for x, y in _NUM_PAIR.findall(ring)]
        if len(pts) < 4:
            raise ValueError(f"环的点数不足4个：{ring[:40]}")
        if pts[0] != pts[-1]:
            pts.append(pts[0])
        rings.append(pts)
    return rings


def to_geometry(wkt: str, *, digits: int = 4) -> dict:
    """{'type': 'Polygon'|'MultiPolygon', 'coordinates': ...}; a ValueError names what is wrong."""
    text = (wkt or "").strip()
    m = re.fullmatch(r"(MULTIPOLYGON|POLYGON)\s*(\(.*\))", text, flags=re.S | re.I)
    if not m:
        raise ValueError(f"不是POLYGON或MULTIPOLYGON：{text[:30]}")
    kind, body = m.group(1).upper(), m.group(2)
    if kind == "POLYGON":
        return {"type": "Polygon", "coordinates": _rings(body[1:-1], digits)}
    polys = re.findall(r"\((\(.*?\)(?:\s*,\s*\(.*?\))*)\)", body[1:-1])
    return {"type": "MultiPolygon", "coordinates": [_rings(p, digits) for p in polys]}


def feature_collection(items: list[tuple[str, str, str]], *, digits: int = 4) -> dict:
    """(name, code, wkt) triples to a FeatureCollection with properties name and adcode."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "adcode": code},
                "geometry": to_geometry(wkt, digits=digits),
            }
            for name, code, wkt in items
        ],
    }
