"""Geodesy on the WGS84 ellipsoid: distances, circle outlines and the smallest enclosing circle.

Everything goes through ``pyproj.Geod`` (Karney's exact algorithms). Haversine and planar maths
are avoided on purpose: at 200 km they are off by up to 0.74 km, enough to put a member on the
wrong side of the cluster radius (PITFALLS.md, Geodesy); spherical estimates only pick the points
that need an exact distance.
Why ~610 lines: the smallest enclosing circle (its hull filter, the robust centre of the 90 %
circle, the fit and its exact check, ~300 lines) shares the estimates and unit vectors with the
distances above it; the geodesic lines the map draws close the file.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Geod, Transformer

from cluster_desk.core.model import Member

FloatArray = npt.NDArray[np.float64]

#: The one ellipsoid used everywhere (GPS, web maps and the Russian GSK-2011 agree to metres).
GEOD = Geod(ellps="WGS84")

_LONLAT = "+proj=longlat +ellps=WGS84 +no_defs"
#: Passes of "project, fit, re-centre" at most; it settles in 2-4 for cluster-sized extents.
_MAX_PASSES = 10
#: Stop re-centring once the centre moves less than this (metres).
_CENTRE_TOL_M = 1e-3
#: Directions for the Akl-Toussaint pre-filter (points inside that polygon cannot bound the circle).
_FILTER_DIRECTIONS = 32
#: Below this many points the pre-filter costs more than it saves.
_FILTER_MIN_POINTS = 2_000


def _as_float_array(values: Any) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def distances_km(lat0: float, lon0: float, lats: Any, lons: Any) -> FloatArray:
    """Exact geodesic distances (km) from (lat0, lon0) to each (lats[i], lons[i]).

    ``lats`` and ``lons`` are array-likes of the same shape; the result has that shape.
    Non-finite input coordinates give NaN.
    """
    la = _as_float_array(lats)
    lo = _as_float_array(lons)
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in shape: {la.shape} vs {lo.shape}")
    if la.size == 0:
        return np.zeros(la.shape, dtype=np.float64)
    flat_la = la.ravel()
    flat_lo = lo.ravel()
    ok = np.isfinite(flat_la) & np.isfinite(flat_lo)
    out = np.full(flat_la.shape, np.nan, dtype=np.float64)
    if ok.any():
        out[ok] = _geodesics_m(float(lat0), float(lon0), flat_la[ok], flat_lo[ok]) / 1000.0
    return out.reshape(la.shape)


#: Points from which _geodesics_m measures half of them on a second thread.
_SPLIT_MIN_POINTS = 10_000


def _geodesics_m(lat0: float, lon0: float, la: FloatArray, lo: FloatArray) -> FloatArray:
    """Geod.inv's distances (m) from (lat0, lon0) to each point (finite, 1-D). Many points are
    measured in two halves, the second on a thread of its own: pyproj lets go of the interpreter
    while it computes, so the halves take both cores when the other is free (issue 17: a million
    members' check, 122,606 points beyond the radius, ~90 ms of one thread). Each distance is
    Geod.inv's of that point alone: the same numbers, bit for bit, however they are split."""
    out = np.empty(la.size, dtype=np.float64)

    def measure(part: slice) -> None:
        # Geod.inv wants arrays of one shape: broadcast the origin once (no per-point Python).
        count = len(range(*part.indices(la.size)))
        _, _, dist_m = GEOD.inv(np.full(count, lon0), np.full(count, lat0), lo[part], la[part],
                                return_back_azimuth=False)
        out[part] = dist_m

    if la.size < _SPLIT_MIN_POINTS:
        measure(slice(None))
        return out
    failed: list[BaseException] = []

    def second_half() -> None:
        try:
            measure(slice(la.size // 2, None))
        except BaseException as e:  # (raised on the caller's thread below)
            failed.append(e)

    beside = threading.Thread(target=second_half, name="geodesics", daemon=True)
    beside.start()
    try:
        measure(slice(0, la.size // 2))
    finally:
        beside.join()
    if failed:
        raise failed[0]
    return out


#: Haversine on the mean sphere stays within 0.57 % of the WGS84 geodesic (measured on 400k
#: random pairs, 0.1 m to 16,000 km). Twice that margin, plus some, bounds it safely.
_SPHERE_R_KM = 6371.0088
_SPHERE_REL_ERR = 0.01


def _sphere_km(lat0: float, lon0: float, la: FloatArray, lo: FloatArray) -> FloatArray:
    """Haversine: only to tell which points are clearly inside; never reported as a distance."""
    p0, p1 = math.radians(lat0), np.radians(la)
    a = np.sin((p1 - p0) / 2.0) ** 2 + math.cos(p0) * np.cos(p1) * np.sin(np.radians(lo - lon0) / 2.0) ** 2
    out: FloatArray = 2.0 * _SPHERE_R_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return out


def distances_km_beyond(
    lat0: float, lon0: float, lats: Any, lons: Any, threshold_km: float, vectors: FloatArray | None = None
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Distances for a radius test: (distances_km, exact mask), 1-D.

    Every point whose true distance may be >= ``threshold_km``, and the farthest point, gets the
    exact geodesic distance (``exact`` True). The others are certainly nearer than the threshold;
    their value is a spherical estimate (within 1 %). So ``d <= threshold_km`` classifies every point
    exactly, at a fraction of the cost of :func:`distances_km` when most points are well inside.
    ``vectors``: the points' :func:`unit_vectors` when the caller has them (the smallest circles
    made them): the estimates then come by the chord (_chord_km, ~3x faster than the haversine's
    sines: ~20 ms less at 700,000 points). The exact distances are the same either way.
    """
    la = _as_float_array(lats).ravel()
    lo = _as_float_array(lons).ravel()
    if la.shape != lo.shape:
        raise ValueError(f"lats and lons differ in shape: {la.shape} vs {lo.shape}")
    if vectors is not None and vectors.shape != (la.size, 3):
        raise ValueError(f"unit vectors of {vectors.shape[0]} points for {la.size}")
    estimate = _sphere_km(lat0, lon0, la, lo) if vectors is None else _chord_km(vectors, lat0, lon0)
    return _made_exact_beyond(lat0, lon0, la, lo, estimate, threshold_km)


def _made_exact_beyond(lat0: float, lon0: float, la: FloatArray, lo: FloatArray, d: FloatArray,
                       threshold_km: float) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """distances_km_beyond given ``d``, spherical estimates of the distances (rewritten)."""
    exact = np.zeros(la.shape, dtype=np.bool_)
    finite = np.isfinite(d)
    if not finite.any():  # (no points, or none located)
        return d, exact
    # When all are finite (the usual case), the largest without a copy of every estimate.
    s_max = float(d.max()) if finite.all() else float(d[finite].max())
    cut = min(threshold_km * (1.0 - _SPHERE_REL_ERR), s_max * (1.0 - 2.0 * _SPHERE_REL_ERR))
    exact = finite & (d >= cut)
    at = np.flatnonzero(exact)  # (rows, not the mask, index la, lo and d: ~5x faster, numpy 2.4)
    d[at] = distances_km(lat0, lon0, la[at], lo[at])
    return d, exact


def circle_outline(lat0: float, lon0: float, radius_km: float, n: int = 128) -> list[tuple[float, float]]:
    """The geodesic circle of ``radius_km`` around (lat0, lon0) as ``n`` (lat, lon) points.

    Points go clockwise from north (azimuth 0, 360/n, ...); the ring is not closed (Leaflet closes
    polygons itself). Longitudes are unwrapped continuously from ``lon0`` (they may leave
    [-180, 180]: a circle around lon 179.5 gives lons such as 177..182), so a map draws it across
    the antimeridian instead of as a band around the world.
    """
    if n < 3:
        raise ValueError(f"a circle outline needs at least 3 points, not {n}")
    if not (math.isfinite(radius_km) and radius_km >= 0):
        raise ValueError(f"radius must be a finite non-negative number of km, not {radius_km!r}")
    if not (math.isfinite(lat0) and math.isfinite(lon0) and -90.0 <= lat0 <= 90.0):
        raise ValueError(f"bad centre ({lat0!r}, {lon0!r})")
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(
        np.full(n, float(lon0)),
        np.full(n, float(lat0)),
        az,
        np.full(n, radius_km * 1000.0),
        return_back_azimuth=False,
    )
    lons_a = np.asarray(lons, dtype=np.float64)
    lats_a = np.asarray(lats, dtype=np.float64)
    # Offset from the centre's longitude, wrapped to [-180, 180), then unwrapped along the ring:
    # continuous for any circle, and a circle around a pole becomes one 360° sweep.
    rel = (lons_a - lon0 + 180.0) % 360.0 - 180.0
    rel = np.unwrap(rel, period=360.0)
    out_lons = rel + lon0
    return [(float(a), float(b)) for a, b in zip(lats_a, out_lons, strict=True)]


# --- smallest enclosing circle -------------------------------------------------------------------


def unit_vectors(lats: Any, lons: Any) -> FloatArray:
    """The points on the unit sphere, (n, 3): what ``smallest_circles`` and
    ``distances_km_beyond`` take as ``vectors`` (made once for both by the concentration rule)."""
    return _unit_vectors(_as_float_array(lats).ravel(), _as_float_array(lons).ravel())


def _unit_vectors(lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Points on the unit sphere (n, 3); good enough for centres and filtering, not for distances."""
    la = np.radians(lats)
    lo = np.radians(lons)
    c = np.cos(la)
    p = np.empty((la.size, 3), dtype=np.float64)  # (written in place: no columns stacked)
    np.multiply(c, np.cos(lo), out=p[:, 0])
    np.multiply(c, np.sin(lo), out=p[:, 1])
    np.sin(la, out=p[:, 2])
    return p


def _chord_km(p: FloatArray, lat0: float, lon0: float) -> FloatArray:
    """The great-circle distances on the mean sphere (_sphere_km's, to ~1e-12) from the points'
    unit vectors ``p``: by the chord, without a sine or cosine per point (~3x faster)."""
    la, lo = math.radians(lat0), math.radians(lon0)
    gap = p - np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    half_chord = np.sqrt(np.einsum("ij,ij->i", gap, gap))
    half_chord *= 0.5
    np.minimum(half_chord, 1.0, out=half_chord)
    out: FloatArray = np.arcsin(half_chord, out=half_chord)
    out *= 2.0 * _SPHERE_R_KM
    return out


def _vector_to_latlon(v: FloatArray) -> tuple[float, float]:
    x, y, z = (float(c) for c in v)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _mean_centre(lats: FloatArray, lons: FloatArray, p: FloatArray | None = None) -> tuple[float, float]:
    """Centre of mass on the sphere: unlike a mean of longitudes it is right across 180°.
    ``p``: the points' _unit_vectors when the caller has them (~10 ms at 100,000 points)."""
    # einsum: the same sums as .sum(axis=0), each column added row by row (bit for bit, tested),
    # ~4x faster (a reduction over the first axis loops over rows of 3: ~10 ms at 700,000 points)
    v = np.einsum("ij->j", _unit_vectors(lats, lons) if p is None else p)
    if float(np.linalg.norm(v)) < 1e-9 * len(lats):  # points spread evenly round the globe
        return float(lats[0]), float(lons[0])
    return _vector_to_latlon(v)


def _tangent_basis(lat: float, lon: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    la, lo = math.radians(lat), math.radians(lon)
    up = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    east = np.array([-math.sin(lo), math.cos(lo), 0.0])
    north = np.cross(up, east)
    return up, east, north


def _tangent_coords(p: FloatArray, lat0: float, lon0: float) -> tuple[FloatArray, FloatArray]:
    """The unit vectors ``p`` along east and north of the tangent basis at (lat0, lon0): what
    the hull's filter and the robust centre both take at the points' mean (computed once there:
    two products over every point fewer, ~10 ms at a million members, issue 17)."""
    _up, east, north = _tangent_basis(lat0, lon0)
    return p @ east, p @ north


def _hull_candidates(lats: FloatArray, lons: FloatArray, lat0: float, lon0: float,
                     p: FloatArray | None = None,
                     along: tuple[FloatArray, FloatArray] | None = None) -> npt.NDArray[np.intp]:
    """Indices of the points that may lie on the enclosing circle (Akl-Toussaint pre-filter).

    In the gnomonic projection great circles are straight lines, and a point inside the spherical
    convex hull of others is strictly inside every enclosing cap smaller than a hemisphere. So we
    take the extreme points in a fan of directions, and drop the points strictly inside their
    polygon. The ellipsoid differs slightly from the sphere; the caller re-checks all points with
    exact distances, so this filter only has to be nearly right. ``along``: _tangent_coords of
    ``p`` at (lat0, lon0) when the caller has them.
    """
    n = len(lats)
    everything = np.arange(n, dtype=np.intp)
    if n < _FILTER_MIN_POINTS:
        return everything
    up, east, north = _tangent_basis(lat0, lon0)
    if p is None:
        p = _unit_vectors(lats, lons)
    w = p @ up
    if float(w.min()) <= 0.05:  # beyond ~87° from the centre: gnomonic breaks down, keep all
        return everything
    east_of, north_of = (p @ east, p @ north) if along is None else along
    gx = east_of / w
    gy = north_of / w
    scale = float(max(np.ptp(gx), np.ptp(gy)))
    margin = 1e-9 * max(scale, 1e-12)
    theta = np.linspace(0.0, 2.0 * math.pi, _FILTER_DIRECTIONS, endpoint=False)
    # The fan's four axis directions first: the points more than 2 margins inside their polygon
    # are inside the fan's polygon by more than one (it holds it), so they are neither an extreme
    # nor kept, and the other 28 passes and the edge tests need only the rest (a few % of the
    # points: ~35 -> ~10 ms at 100,000, twice per assessment that moves the proposed centre).
    rest = _not_deep_inside(gx, gy, _extremes(gx, gy, theta[:: _FILTER_DIRECTIONS // 4]), 2.0 * margin)
    ext_at = _extremes(gx[rest], gy[rest], theta)  # argmax among the rest: the same first index
    if len(ext_at) < 3:
        return everything
    ext = rest[ext_at]
    keep = np.zeros(n, dtype=bool)
    keep[rest[_outside_polygon(gx[rest], gy[rest], ext_at, margin)]] = True
    keep[ext] = True
    return np.flatnonzero(keep)


def _extremes(gx: FloatArray, gy: FloatArray, theta: FloatArray) -> list[int]:
    """The point farthest along each direction, in the directions' order, without repeating
    the previous or the first one: a convex polygon, counter-clockwise."""
    ext: list[int] = []
    along, other = np.empty_like(gx), np.empty_like(gx)  # (in place: the same sums, no allocation)
    for t in theta:
        np.multiply(gx, math.cos(t), out=along)
        np.multiply(gy, math.sin(t), out=other)
        along += other
        i = int(np.argmax(along))
        if not ext or (i != ext[-1] and i != ext[0]):
            ext.append(i)
    return ext


def _not_deep_inside(gx: FloatArray, gy: FloatArray, corners: list[int], margin: float
                     ) -> npt.NDArray[np.intp]:
    """_outside_polygon for the first, coarse pass over every point: the same test written as
    ``ex*gy - ey*gx <= margin*|e| + (ex*ay - ey*ax)`` in place (5 passes an edge, no array
    allocated, where _outside_polygon makes 7 and 6). It rounds differently, by ~1e-16 of the
    extent, far below the margin: the points it lets through and _outside_polygon's differ only
    at about ``margin`` inside the polygon, which the finer pass drops alike."""
    if len(corners) < 3:
        return np.arange(len(gx), dtype=np.intp)
    near = np.zeros(len(gx), dtype=bool)
    acc, other = np.empty_like(gx), np.empty_like(gx)
    flag = np.empty(len(gx), dtype=bool)
    for k in range(len(corners)):
        a, b = corners[k], corners[(k + 1) % len(corners)]
        ax, ay, ex, ey = float(gx[a]), float(gy[a]), float(gx[b] - gx[a]), float(gy[b] - gy[a])
        np.multiply(gy, ex, out=acc)
        np.multiply(gx, ey, out=other)
        acc -= other
        np.less_equal(acc, margin * math.hypot(ex, ey) + (ex * ay - ey * ax), out=flag)
        near |= flag
    return np.flatnonzero(near)


def _outside_polygon(
    gx: FloatArray, gy: FloatArray, corners: list[int], margin: float
) -> npt.NDArray[np.intp]:
    """Indices (ascending) of the points not more than ``margin`` inside the counter-clockwise
    polygon of these corners (all of them when it has fewer than 3)."""
    if len(corners) < 3:
        return np.arange(len(gx), dtype=np.intp)
    vx, vy = gx[corners], gy[corners]
    near = np.zeros(len(gx), dtype=bool)
    for k in range(len(corners)):
        ax, ay = vx[k], vy[k]
        bx, by = vx[(k + 1) % len(corners)], vy[(k + 1) % len(corners)]
        ex, ey = bx - ax, by - ay
        cross = ex * (gy - ay) - ey * (gx - ax)
        near |= cross <= margin * math.hypot(ex, ey)
    return np.flatnonzero(near)


def _planar_fit(lats: FloatArray, lons: FloatArray, lat0: float, lon0: float) -> tuple[float, float, float]:
    """One pass: minimum bounding circle in the azimuthal equidistant projection at (lat0, lon0).

    Returns the new centre (lat, lon) and how far (m) it lies from (lat0, lon0): in this projection
    the distance from the origin is the exact geodesic distance.
    """
    fwd, inv = _aeqd(lat0, lon0)
    x, y = fwd.transform(lons, lats)
    pts = np.column_stack((np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)))
    circle = shapely.minimum_bounding_circle(shapely.multipoints(pts))
    # shapely returns the circle as a (symmetric) polygon whose centroid is the centre, a point for
    # one distinct location, or an empty geometry when all points coincide.
    if circle.is_empty or circle.area == 0.0:
        cx = float(pts[:, 0].min() + pts[:, 0].max()) / 2.0
        cy = float(pts[:, 1].min() + pts[:, 1].max()) / 2.0
    else:
        c = circle.centroid
        cx, cy = float(c.x), float(c.y)
    lon_c, lat_c = inv.transform(cx, cy)
    return float(lat_c), float(lon_c), math.hypot(cx, cy)


def _aeqd(lat0: float, lon0: float) -> tuple[Transformer, Transformer]:
    """(lon, lat) -> azimuthal equidistant metres at (lat0, lon0), and back: the operations
    ``Transformer.from_crs(_LONLAT, aeqd)`` and ``from_crs(aeqd, _LONLAT)`` pick, built as pipelines.
    from_crs searches PROJ's database for the operation (~1.5 ms each, two per pass of the fit:
    ~0.1 s of the demo's passport, issue 17); a pipeline is built in ~0.2 ms. The centre is
    written into the pipeline by PROJ itself (the CRS's conversion as a PROJ string, 15 digits),
    so the numbers are from_crs's to the bit (tests/core/test_geodesy.py compares them)."""
    crs = CRS(f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84 +units=m +no_defs")
    # "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=aeqd +lat_0=… +ellps=WGS84"
    conversion = crs.coordinate_operation
    forward = conversion.to_proj4() if conversion is not None else ""
    head, _, aeqd = forward.rpartition(" +step ")
    if head != _DEG_TO_RAD or not aeqd.startswith("+proj=aeqd "):  # another PROJ's way of writing it
        return (Transformer.from_crs(_LONLAT, crs, always_xy=True),
                Transformer.from_crs(crs, _LONLAT, always_xy=True))
    back = f"+proj=pipeline +step +inv {aeqd} +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    return Transformer.from_pipeline(forward), Transformer.from_pipeline(back)


_DEG_TO_RAD = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad"


def _fit(lats: FloatArray, lons: FloatArray, lat0: float, lon0: float) -> tuple[float, float]:
    """Re-centre until stable; returns the centre."""
    lat_c, lon_c = lat0, lon0
    for _ in range(_MAX_PASSES):
        lat_n, lon_n, moved = _planar_fit(lats, lons, lat_c, lon_c)
        lat_c, lon_c = lat_n, lon_n
        if moved < _CENTRE_TOL_M:
            break
    return lat_c, lon_c


def _robust_centre(lats: FloatArray, lons: FloatArray, p: FloatArray | None = None,
                   mean: tuple[float, float] | None = None,
                   along: tuple[FloatArray, FloatArray] | None = None) -> tuple[float, float]:
    """Coordinate-wise median in the tangent plane at the spherical mean: outliers barely move it.
    ``p``: the points' _unit_vectors, ``mean`` their _mean_centre, ``along`` _tangent_coords of
    ``p`` at ``mean``, when the caller has them."""
    if p is None:
        p = _unit_vectors(lats, lons)
    lat0, lon0 = _mean_centre(lats, lons, p) if mean is None else mean
    up, east, north = _tangent_basis(lat0, lon0)
    east_of, north_of = (p @ east, p @ north) if along is None else along
    mx, my = float(np.median(east_of)), float(np.median(north_of))
    return _vector_to_latlon(up + mx * east + my * north)


def _nearest(lat0: float, lon0: float, la: FloatArray, lo: FloatArray, k: int,
             p: FloatArray | None = None) -> npt.NDArray[np.intp]:
    """Indices of the ``k`` points nearest (lat0, lon0) by exact geodesic distance (0 < k < n).

    The spherical estimate ``s`` is within _SPHERE_REL_ERR of the exact ``d``, so with ``t`` the
    k-th smallest estimate the k-th smallest exact distance lies in [t / (1+e), t / (1-e)]: points
    with s < t (1-e)/(1+e) are surely in, points with s > t (1+e)/(1-e) surely out, and only the
    band between gets exact distances (a few % of the points: at 100,000 members ~10 ms instead
    of ~50 ms for all). The same set as ranking every exact distance, ties at the k-th aside.
    ``p``: the points' _unit_vectors, for the same estimates by the chord (_chord_km)."""
    s = _sphere_km(lat0, lon0, la, lo) if p is None else _chord_km(p, lat0, lon0)
    t = float(np.partition(s, k - 1)[k - 1])
    e = _SPHERE_REL_ERR
    surely = np.flatnonzero(s < t * (1.0 - e) / (1.0 + e))
    band = np.flatnonzero((s >= t * (1.0 - e) / (1.0 + e)) & (s <= t * (1.0 + e) / (1.0 - e)))
    need = k - surely.size  # 0 < need <= band.size: the k-th point itself lies in the band
    d = distances_km(lat0, lon0, la[band], lo[band])
    chosen = band if need >= band.size else band[np.argpartition(d, need - 1)[:need]]
    return np.concatenate((surely, chosen))


def _located(lats: Any, lons: Any, share: float) -> tuple[FloatArray, FloatArray]:
    """The finite points (1-D), after the arguments' checks."""
    if not (0.0 < share <= 1.0):
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    la = _as_float_array(lats).ravel()
    lo = _as_float_array(lons).ravel()
    if la.shape != lo.shape:
        raise ValueError("lats and lons differ in length")
    ok = np.isfinite(la) & np.isfinite(lo) & (np.abs(la) <= 90.0)
    if ok.all():  # (the usual case: no copy of a million points)
        return la, lo
    if not ok.any():
        raise ValueError("no located points")
    return la[ok], lo[ok]


def _share_of(la: FloatArray, lo: FloatArray, p: FloatArray, share: float,
              mean: tuple[float, float] | None = None, along: tuple[FloatArray, FloatArray] | None = None
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The ``share`` of the points nearest a robust centre (the farthest (1 - share) dropped), with
    their unit vectors (rows of ``p``: a gather gives the very numbers a new computation would)."""
    rc_lat, rc_lon = _robust_centre(la, lo, p, mean, along)
    k = max(1, math.ceil(share * len(la) - 1e-9))
    if k >= len(la):
        return la, lo, p
    nearest = _nearest(rc_lat, rc_lon, la, lo, k, p)
    # np.take: the values fancy indexing gives, ~3x faster (the rows of p: ~6x, issue 17)
    return np.take(la, nearest), np.take(lo, nearest), np.take(p, nearest, axis=0)


def _circle_of(la: FloatArray, lo: FloatArray, p: FloatArray, mean: tuple[float, float] | None = None,
               along: tuple[FloatArray, FloatArray] | None = None) -> tuple[float, float, float]:
    """The smallest circle of these points (``p``: their _unit_vectors, for the mean centre, the
    hull's filter and the estimates of distances; ``mean``: their _mean_centre if known, and
    ``along`` _tangent_coords of ``p`` there)."""
    lat0, lon0 = _mean_centre(la, lo, p) if mean is None else mean
    cand = _hull_candidates(la, lo, lat0, lon0, p, along)
    while True:
        lat_c, lon_c = _fit(la[cand], lo[cand], lat0, lon0)
        if cand.size == la.size:
            return lat_c, lon_c, float(distances_km(lat_c, lon_c, la, lo).max())
        r_cand = float(distances_km(lat_c, lon_c, la[cand], lo[cand]).max())
        # Exact wherever a point could lie beyond the candidates' circle (and for the farthest):
        # the same points whatever estimate within _SPHERE_REL_ERR picks them.
        d, exact = _made_exact_beyond(lat_c, lon_c, la, lo, _chord_km(p, lat_c, lon_c), r_cand)
        missed = np.flatnonzero(exact & (d > r_cand + 1e-6))  # the filter dropped a bounding point
        if missed.size == 0:
            return lat_c, lon_c, max(r_cand, float(d[exact].max()))
        cand = np.union1d(cand, missed)
        lat0, lon0 = lat_c, lon_c


def _smallest_circle(lats: Any, lons: Any, share: float) -> tuple[float, float, float]:
    la, lo = _located(lats, lons, share)
    p = _unit_vectors(la, lo)  # once for the robust centre, the mean centre and the hull's filter
    if share < 1.0:
        # Drop the farthest (1 - share) from a robust centre, then fit on the rest.
        la, lo, p = _share_of(la, lo, p, share)
    return _circle_of(la, lo, p)


def smallest_circles(lats: Any, lons: Any, share: float, vectors: FloatArray | None = None
                     ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """``(smallest_circle(lats, lons), smallest_circle(lats, lons, share))``, the same numbers,
    with the points' unit vectors and spherical mean computed once for both (issue 17: at
    700,000 points the unit vectors took ~0.09 s, three times per pair of circles).
    ``vectors``: :func:`unit_vectors` of these points, when the caller keeps them for more (used
    when every point is located, else made here for the located ones)."""
    la, lo = _located(lats, lons, share)
    p = vectors if vectors is not None and vectors.shape == (la.size, 3) else _unit_vectors(la, lo)
    mean = _mean_centre(la, lo, p)  # where the fit starts, and the robust centre's tangent plane
    if share >= 1.0:
        full = _circle_of(la, lo, p, mean)
        return full, full
    along = _tangent_coords(p, *mean)  # the hull's filter's and the robust centre's
    full = _circle_of(la, lo, p, mean, along)
    la, lo, p = _share_of(la, lo, p, share, mean, along)
    del along
    return full, _circle_of(la, lo, p)


def smallest_circle(lats: Any, lons: Any, share: float = 1.0) -> tuple[float, float, float]:
    """The smallest geodesic circle holding the points: (lat, lon, radius_km).

    With ``share`` < 1 the farthest (1 - share) of the points, measured from a robust (median)
    centre, are left out first, so a few far-flung outliers do not decide the circle.
    Non-finite coordinates are ignored; ValueError if nothing is left.

    Method (PITFALLS.md): project to an azimuthal equidistant CRS centred on the current estimate,
    take shapely's minimum bounding circle, re-centre, repeat until the centre stops moving. The
    radius is the exact geodesic distance from the centre to the farthest point. Correct across
    the 180° meridian and at high latitudes; large inputs are first thinned to hull candidates.
    """
    return _smallest_circle(lats, lons, share)


# ---- lines along the geodesic (the map draws long ties with them) --------------------------

#: Ties longer than this are drawn along the geodesic on the map (a straight Mercator line would mislead).
LONG_KM = 500.0  # below, a straight Mercator line is within a few km of the geodesic


def geodesic_path(a: Member, b: Member, dist: float | None = None) -> list[float] | None:
    """[lat, lon, lat, lon, ...] along the geodesic when the tie is long, else None."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return geodesic_path_between(a.lat, a.lon, b.lat, b.lon, dist)


def geodesic_path_between(lat1: float, lon1: float, lat2: float, lon2: float,
                          dist: float | None = None) -> list[float] | None:
    """As geodesic_path, from the two ends' coordinates (``dist``: metres, if known)."""
    if dist is None:
        _, _, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    if dist < LONG_KM * 1000:
        return None
    npts = min(48, max(8, int(dist / 100_000)))
    pts = [(lon1, lat1), *GEOD.npts(lon1, lat1, lon2, lat2, npts), (lon2, lat2)]
    out: list[float] = []
    prev = pts[0][0]
    for lon, lat in pts:
        while lon - prev > 180:  # keep longitudes continuous across 180°
            lon -= 360
        while lon - prev < -180:
            lon += 360
        prev = lon
        out += [round(lat, 5), round(lon, 5)]
    return out


def geodesic_paths(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray,
                   candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """geodesic_path_between for many ties at once (the candidates' positions; those under
    LONG_KM get none), in two vectorised pyproj calls: (positions, points per path, every
    path's [lat, lon, ...] one after another). At 300,000 links, ~1,200 long ones: a few ms,
    where a path at a time took ~0.1 s."""
    i = np.asarray(candidates, dtype=np.intp)
    if len(i) == 0:
        return i, np.zeros(0, dtype=np.intp), np.zeros(0)
    la1, lo1, la2, lo2 = (np.asarray(a, dtype=np.float64)[i] for a in (lat1, lon1, lat2, lon2))
    az, _, dist = GEOD.inv(lo1, la1, lo2, la2)
    long = np.asarray(dist) >= LONG_KM * 1000
    i, la1, lo1, la2, lo2 = i[long], la1[long], lo1[long], la2[long], lo2[long]
    az, dist = np.asarray(az)[long], np.asarray(dist)[long]
    inner = np.clip((dist / 100_000).astype(np.intp), 8, 48)  # as geodesic_path_between
    total = inner + 2  # with both ends
    first = np.cumsum(total) - total
    which = np.repeat(np.arange(len(i)), total)
    step = np.arange(int(total.sum())) - first[which]
    lon, lat, _ = GEOD.fwd(lo1[which], la1[which], az[which], dist[which] * step / (inner + 1)[which])
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    last = first + total - 1
    lon[first], lat[first], lon[last], lat[last] = lo1, la1, lo2, la2
    # Longitudes continuous across 180°: each step wrapped to [-180, 180), summed per path.
    turn = np.zeros_like(lon)
    turn[1:] = (np.diff(lon) + 180.0) % 360.0 - 180.0
    turn[first] = 0.0
    walked = np.cumsum(turn)
    lon = lon[first][which] + walked - walked[first][which]
    coords = np.empty(2 * len(lon))
    coords[0::2], coords[1::2] = np.round(lat, 5), np.round(lon, 5)
    return i, total, coords
