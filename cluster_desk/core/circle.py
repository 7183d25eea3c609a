"""The cluster circle rules that are not checks: fitting a circle to the members, and the
bounds that show "the cluster" on a map (the circle and the members in it, with a margin)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from cluster_desk.core.assessment import EXTERNAL_KINDS
from cluster_desk.core.geodesy import circle_outline, distances_km, smallest_circle
from cluster_desk.core.model import Member, Status

#: Bounds as (south, west, north, east) in degrees; west may exceed east's range when unwrapped.
Bounds = tuple[float, float, float, float]


def fit_circle(members: Iterable[Member]) -> tuple[float, float, float] | None:
    """Centre and radius (km) of the smallest circle around the located local members (the
    ones the concentration check measures: members, not candidates, partner clusters or
    foreign partners), the radius rounded up to 0.1 km so every one stays inside. None when
    no such member is located."""
    pts = [m for m in members
           if m.located and m.status is Status.MEMBER and m.kind not in EXTERNAL_KINDS]
    if not pts:
        return None
    lat, lon, r = smallest_circle(np.array([m.lat for m in pts], dtype=float),
                                  np.array([m.lon for m in pts], dtype=float))
    return float(lat), float(lon), max(math.ceil(r * 10) / 10, 0.1)


def circle_bounds(lat: float, lon: float, radius_km: float, margin: float = 0.08) -> Bounds:
    """Bounds of the circle's geodesic outline, widened by ``margin`` of its size on each side
    (so the members on the edge are not cut by the map's border)."""
    ring = circle_outline(lat, lon, radius_km)
    lats = [p[0] for p in ring]
    lons = [p[1] for p in ring]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    if east - west > 360:  # a circle around a pole: the whole width
        west, east = lon - 180.0, lon + 180.0
    dlat, dlon = (north - south) * margin, (east - west) * margin
    return max(-85.0, south - dlat), west - dlon, min(85.0, north + dlat), east + dlon


def members_bounds(members: Sequence[Member], margin: float = 0.05) -> Bounds | None:
    """Bounds of every located member (the "everything" view), with a margin; None if none."""
    located = [m for m in members if m.located]
    if not located:
        return None
    lats = [float(m.lat) for m in located if m.lat is not None]
    lons = [float(m.lon) for m in located if m.lon is not None]
    return _widened(min(lats), max(lats), min(lons), max(lons), margin)


def bounds_within(lat: np.ndarray, lon: np.ndarray, located: np.ndarray, circle: tuple[float, float, float],
                  margin: float = 0.05) -> Bounds | None:
    """``members_bounds`` of the located rows within ``circle`` (lat, lon, radius km; exact
    geodesic distances), from coordinate arrays (no record: View > Fit Cluster at 100,000
    members built ~80,000 of them, 1-2 s on the GUI thread, issue 17); None for fewer than two."""
    rows = np.flatnonzero(located)
    inside = rows[distances_km(circle[0], circle[1], lat[rows], lon[rows]) <= circle[2]]
    if len(inside) < 2:
        return None
    la, lo = lat[inside], lon[inside]
    return _widened(float(la.min()), float(la.max()), float(lo.min()), float(lo.max()), margin)


def _widened(south: float, north: float, west: float, east: float, margin: float) -> Bounds:
    dlat = max((north - south) * margin, 0.01)
    dlon = max((east - west) * margin, 0.01)
    return (max(-85.0, south - dlat), max(-180.0, west - dlon),
            min(85.0, north + dlat), min(180.0, east + dlon))
