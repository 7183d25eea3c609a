"""Helpers for tests of the regional basemap on the real page (offline and ui tests)."""

from __future__ import annotations

import json
import math

KAZAN = (55.79, 49.12)


def water_point() -> tuple[float, float]:
    """A point well inside a lake or reservoir near Kazan, from the shipped z8 tile itself."""
    import shapely

    from cluster_desk.tiles.regional import RegionalTiles

    z = 8
    n = 2**z
    x = int((KAZAN[1] + 180) / 360 * n)
    s = math.sin(math.radians(KAZAN[0]))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    data = json.loads(RegionalTiles().tile(z, x, y) or b"{}")
    best = None
    for poly in data["w"]:
        rings = []
        for ring in poly:
            pts, px, py = [], 0, 0
            for i in range(0, len(ring) - 1, 2):
                px += ring[i]
                py += ring[i + 1]
                pts.append((px, py))
            rings.append(pts)
        shape = shapely.Polygon(rings[0], rings[1:]).buffer(0)
        if best is None or shape.area > best.area:
            best = shape
    assert best is not None
    p = best.buffer(-40).representative_point()  # well inside: 2.5 px at z8
    wx, wy = (x * 4096 + p.x) / (4096 * n), (y * 4096 + p.y) / (4096 * n)
    lon = wx * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))
    return lat, lon
