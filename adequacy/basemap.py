"""County outlines from the bundled us-atlas TopoJSON, projected for one state's SVG map.

The file is static/vendor/us-atlas/counties-10m.json (the Census Bureau's 2017 cartographic
boundary files, public domain; see static/vendor/SOURCES.md): the results map already serves it,
and nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

COUNTIES = Path(__file__).parent.parent / "static" / "vendor" / "us-atlas" / "counties-10m.json"
BOX = 480.0  # the map fits a square of this many SVG units
MARGIN = 4.0


@dataclass(frozen=True)
class CountyShape:
    """A county's SVG path in the map's coordinates, and its name in the basemap."""

    fips: str
    name: str
    path: str


@lru_cache(maxsize=1)
def _topology() -> dict:
    """The TopoJSON, read once per process (842 KB)."""
    with COUNTIES.open(encoding="utf-8") as f:
        return json.load(f)


def _arc(topology: dict, index: int) -> list[tuple[float, float]]:
    """One arc as (lon, lat) points: delta-decoded, de-quantized, reversed for a ~index."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    x = y = 0
    points = []
    for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
        x, y = x + dx, y + dy
        points.append((x * sx + tx, y * sy + ty))
    return points if index >= 0 else points[::-1]


def _ring(topology: dict, arcs: list[int]) -> list[tuple[float, float]]:
    """A closed ring from its arcs; each arc after the first repeats the last point."""
    ring: list[tuple[float, float]] = []
    for index in arcs:
        points = _arc(topology, index)
        ring.extend(points[1:] if ring else points)
    return ring


def _polygons(geometry: dict) -> list[list[list[int]]]:
    """A Polygon's or MultiPolygon's rings of arc indices, as a list of polygons."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else []


def state_rings(state_fips: str) -> dict[str, tuple[str, list[list[tuple[float, float]]]]]:
    """Each county of the state (by 2-digit FIPS): its name and rings of (lon, lat)."""
    topology = _topology()
    found = {}
    for geometry in topology["objects"]["counties"]["geometries"]:
        if not geometry.get("id", "").startswith(state_fips):
            continue
        rings = [_ring(topology, arcs) for polygon in _polygons(geometry) for arcs in polygon]
        # Aleutian islands past 180°: keep Alaska in one piece.
        rings = [[(lon - 360 if lon > 0 else lon, lat) for lon, lat in r] for r in rings]
        found[geometry["id"]] = (geometry["properties"]["name"], rings)
    return found


def project(
    counties: dict[str, tuple[str, list]], box: float = BOX
) -> tuple[list[CountyShape], float, float]:
    """Equirectangular at the state's middle latitude, fitted in a `box` square; shapes, size."""
    points = [p for _, rings in counties.values() for ring in rings for p in ring]
    if not points:
        return [], 0.0, 0.0
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * squeeze or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = (box - 2 * MARGIN) / max(span_x, span_y)
    width, height = span_x * scale + 2 * MARGIN, span_y * scale + 2 * MARGIN

    def xy(lon: float, lat: float) -> str:
        x = MARGIN + (lon - min(lons)) * squeeze * scale
        y = MARGIN + (max(lats) - lat) * scale
        return f"{x:.1f} {y:.1f}"

    shapes = []
    for fips in sorted(counties):
        name, rings = counties[fips]
        path = "".join("M" + "L".join(xy(*p) for p in ring) + "Z" for ring in rings if ring)
        shapes.append(CountyShape(fips, name, path))
    return shapes, round(width, 1), round(height, 1)


@lru_cache(maxsize=16)
def state_map(state_fips: str) -> tuple[tuple[CountyShape, ...], float, float]:
    """The state's projected shapes and size, kept per process (Texas takes ~0.6 s to build)."""
    shapes, width, height = project(state_rings(state_fips))
    return tuple(shapes), width, height
