"""Geodesy: exact WGS84 distances, circle outlines across 180° and at 70°N, smallest circles."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from pyproj import Geod

from cluster_desk.core.geodesy import circle_outline, distances_km, distances_km_beyond, smallest_circle

GEOD = Geod(ellps="WGS84")


def _haversine_km(lat0: float, lon0: float, lat: float, lon: float) -> float:
    """The spherical formula the app must NOT use: here only to show where it goes wrong."""
    r = 6371.0088
    p0, p1 = math.radians(lat0), math.radians(lat)
    dp, dl = p1 - p0, math.radians(lon - lon0)
    a = math.sin(dp / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _point_at(lat0: float, lon0: float, az: float, km: float) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(lon0, lat0, az, km * 1000.0)
    return float(lat), float(lon)


# --- distances ----------------------------------------------------------------------------------


def test_moscow_kazan_distance() -> None:
    d = distances_km(55.7558, 37.6173, np.array([55.7963]), np.array([49.1088]))
    assert d.shape == (1,)
    assert 715.0 < d[0] < 725.0
    _, _, ref = GEOD.inv(37.6173, 55.7558, 49.1088, 55.7963)
    assert d[0] == pytest.approx(ref / 1000.0, abs=1e-9)


def test_distances_match_geod_inv_on_random_points() -> None:
    rng = np.random.default_rng(1)
    lats = rng.uniform(-80, 80, 500)
    lons = rng.uniform(-180, 180, 500)
    d = distances_km(60.0, 179.9, lats, lons)
    for i in range(0, 500, 37):
        _, _, ref = GEOD.inv(179.9, 60.0, lons[i], lats[i])
        assert d[i] == pytest.approx(ref / 1000.0, abs=1e-9)


def test_distances_handle_antimeridian_and_nan() -> None:
    d = distances_km(0.0, 179.9, np.array([0.0, np.nan]), np.array([-179.9, 10.0]))
    assert d[0] == pytest.approx(22.264, abs=0.01)  # 0.2° of the equator, not 359.8°
    assert math.isnan(d[1])
    assert distances_km(0, 0, np.array([]), np.array([])).shape == (0,)


def test_distances_shape_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        distances_km(0, 0, np.zeros(2), np.zeros(3))


def test_radius_edge_where_haversine_is_wrong() -> None:
    # Near 60°N the meridian's radius of curvature (~6383 km) exceeds the mean radius: haversine
    # calls a point 200.1 km due north "inside 200 km". The exact distance puts it outside.
    lat, lon = _point_at(60.0, 30.0, 0.0, 200.1)
    assert _haversine_km(60.0, 30.0, lat, lon) < 200.0  # the spherical formula would say inside
    assert distances_km(60.0, 30.0, np.array([lat]), np.array([lon]))[0] > 200.0
    lat_in, lon_in = _point_at(60.0, 30.0, 0.0, 199.9)
    assert distances_km(60.0, 30.0, np.array([lat_in]), np.array([lon_in]))[0] <= 200.0
    # At the equator it is the other way round: 199.9 km north is inside, haversine says outside.
    lat_e, lon_e = _point_at(0.0, 30.0, 0.0, 199.9)
    assert _haversine_km(0.0, 30.0, lat_e, lon_e) > 200.0
    assert distances_km(0.0, 30.0, np.array([lat_e]), np.array([lon_e]))[0] <= 200.0


def test_distances_beyond_classify_exactly_and_report_exact_outside() -> None:
    rng = np.random.default_rng(2)
    centre = (60.0, 30.0)
    # Many points right at the 200 km edge (where a sphere misjudges), some well inside and far out.
    az = rng.uniform(0, 360, 4000)
    km = np.concatenate(
        [rng.uniform(199.0, 201.0, 2000), rng.uniform(0.0, 150.0, 1500), rng.uniform(250, 900, 500)]
    )
    lons, lats, _ = GEOD.fwd(np.full(4000, centre[1]), np.full(4000, centre[0]), az, km * 1000.0)
    exact_all = distances_km(centre[0], centre[1], lats, lons)
    d, exact = distances_km_beyond(centre[0], centre[1], lats, lons, 200.0)
    assert np.array_equal(d <= 200.0, exact_all <= 200.0)  # same side of the radius for every point
    assert np.array_equal(d[exact], exact_all[exact])
    assert exact[exact_all >= 200.0].all()  # every outside point carries its exact distance
    assert not exact[km < 150.0].any()  # and the clearly-inside ones were skipped
    assert d.max() == exact_all.max()  # the farthest is exact
    assert np.allclose(d, exact_all, rtol=0.01)


# --- circle outlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lat0", "lon0"), [(60.0, 179.5), (-45.0, -179.8), (70.0, 20.0), (55.8, 49.1)])
def test_circle_outline_points_at_radius_and_continuous(lat0: float, lon0: float) -> None:
    ring = circle_outline(lat0, lon0, 200.0)
    assert len(ring) == 128
    lats = np.array([p[0] for p in ring])
    lons = np.array([p[1] for p in ring])
    # Every vertex within 1 m of the radius (distances measured with wrapped longitudes).
    d = distances_km(lat0, lon0, lats, (lons + 180.0) % 360.0 - 180.0)
    assert np.abs(d - 200.0).max() < 1e-3
    # Continuous: no jump between neighbours (a 200 km circle at 70°N spans ~10° of longitude).
    steps = np.abs(np.diff(np.append(lons, lons[0])))
    assert steps.max() < 1.0
    assert abs(float(np.mean([lons.min(), lons.max()])) - lon0) < 0.5


def test_circle_outline_across_antimeridian_leaves_180() -> None:
    ring = circle_outline(60.0, 179.5, 200.0)
    lons = np.array([p[1] for p in ring])
    assert lons.max() > 180.0  # drawn past 180 rather than wrapped to -178
    assert lons.min() > 175.0
    assert ring[0][0] > 61.0  # first point due north


def test_circle_outline_at_70n_is_wider_in_longitude() -> None:
    ring = circle_outline(70.0, 20.0, 200.0)
    lats = [p[0] for p in ring]
    lons = [p[1] for p in ring]
    # 200 km is ~1.8° of latitude but ~5.2° of longitude at 70°N.
    assert max(lats) - min(lats) == pytest.approx(3.6, abs=0.1)
    assert max(lons) - min(lons) == pytest.approx(10.5, abs=0.3)


def test_circle_outline_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        circle_outline(0, 0, -1)
    with pytest.raises(ValueError):
        circle_outline(0, 0, float("nan"))
    with pytest.raises(ValueError):
        circle_outline(0, 0, 10, n=2)


# --- smallest circle ----------------------------------------------------------------------------


def _max_dist(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> float:
    return float(distances_km(lat, lon, lats, lons).max())


def _assert_locally_minimal(lat: float, lon: float, r: float, lats: np.ndarray, lons: np.ndarray) -> None:
    """No nearby centre does better (up to 1 m): the fit found the optimum, not just a cover."""
    assert _max_dist(lat, lon, lats, lons) == pytest.approx(r, abs=1e-9)
    for dlat in (-0.02, -0.005, 0.0, 0.005, 0.02):
        for dlon in (-0.04, -0.01, 0.0, 0.01, 0.04):
            assert _max_dist(lat + dlat, lon + dlon, lats, lons) >= r - 1e-3


def test_smallest_circle_two_points_is_midpoint() -> None:
    lats, lons = np.array([55.0, 56.0]), np.array([37.0, 39.0])
    lat, lon, r = smallest_circle(lats, lons)
    _, _, full = GEOD.inv(37.0, 55.0, 39.0, 56.0)
    assert r == pytest.approx(full / 2000.0, abs=1e-3)
    d = distances_km(lat, lon, lats, lons)
    assert d[0] == pytest.approx(d[1], abs=1e-3)


def test_smallest_circle_three_points() -> None:
    # An acute triangle: the circle passes through all three (circumcircle).
    lats, lons = np.array([55.0, 55.0, 56.5]), np.array([48.0, 51.0, 49.5])
    lat, lon, r = smallest_circle(lats, lons)
    d = distances_km(lat, lon, lats, lons)
    assert np.allclose(d, r, atol=1e-3)
    _assert_locally_minimal(lat, lon, r, lats, lons)
    # An obtuse triangle: the circle is set by the longest side; the third point is inside.
    lats2, lons2 = np.array([55.0, 55.0, 55.2]), np.array([48.0, 51.0, 49.5])
    lat2, lon2, r2 = smallest_circle(lats2, lons2)
    _, _, side = GEOD.inv(48.0, 55.0, 51.0, 55.0)
    assert r2 == pytest.approx(side / 2000.0, abs=1e-3)
    assert distances_km(lat2, lon2, lats2[2:], lons2[2:])[0] < r2 - 1.0


def test_smallest_circle_one_point_and_errors() -> None:
    lat, lon, r = smallest_circle([55.0, 55.0], [49.0, 49.0])
    assert (lat, lon) == pytest.approx((55.0, 49.0), abs=1e-9)
    assert r == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError):
        smallest_circle([], [])
    with pytest.raises(ValueError):
        smallest_circle([np.nan], [1.0])
    with pytest.raises(ValueError):
        smallest_circle([1.0], [1.0], share=0.0)


def test_smallest_circle_straddling_antimeridian() -> None:
    lats = np.array([60.0, 61.0, 59.5, 60.2, 60.5])
    lons = np.array([179.0, -179.5, 179.8, -178.9, 179.6])
    lat, lon, r = smallest_circle(lats, lons)
    assert 59.5 < lat < 61.0
    assert abs(((lon - 179.9 + 180.0) % 360.0) - 180.0) < 1.0  # near 180, not near 0
    assert r < 120.0  # a naive mean of longitudes would give thousands of km
    _assert_locally_minimal(lat, lon, r, lats, lons)


def test_smallest_circle_at_70n_random_cloud() -> None:
    rng = np.random.default_rng(7)
    lats = 70.0 + rng.normal(0, 0.8, 3000)
    lons = 25.0 + rng.normal(0, 3.0, 3000)
    lat, lon, r = smallest_circle(lats, lons)
    _assert_locally_minimal(lat, lon, r, lats, lons)


def test_smallest_circle_large_input_matches_unfiltered_fit() -> None:
    # Large inputs go through the hull pre-filter; the answer must equal the fit on the hull alone.
    rng = np.random.default_rng(3)
    lats = 55.8 + rng.normal(0, 1.0, 20_000)
    lons = 179.0 + rng.normal(0, 2.0, 20_000)
    lat, lon, r = smallest_circle(lats, lons)
    _assert_locally_minimal(lat, lon, r, lats, (lons + 180.0) % 360.0 - 180.0)
    far = np.argsort(-distances_km(lat, lon, lats, lons))[:200]
    _, _, r2 = smallest_circle(lats[far], lons[far])
    assert r2 == pytest.approx(r, abs=1e-3)


def test_smallest_circle_share_drops_outliers() -> None:
    rng = np.random.default_rng(5)
    lats = np.concatenate(
        [55.8 + rng.normal(0, 0.3, 90), [60.0, 50.0, 55.0, 58.0, 53.0, 57.0, 52.0, 59.0, 61.0, 49.0]]
    )
    lons = np.concatenate(
        [49.1 + rng.normal(0, 0.5, 90), [40.0, 60.0, 30.0, 62.0, 35.0, 65.0, 38.0, 55.0, 49.0, 49.0]]
    )
    _, _, r_all = smallest_circle(lats, lons)
    lat, lon, r90 = smallest_circle(lats, lons, share=0.9)
    assert r_all > 900.0
    assert r90 < 200.0
    inside = distances_km(lat, lon, lats, lons) <= r90 + 1e-6
    assert inside.sum() >= 90
    assert inside[:90].all()  # the kept points are the cluster's core, not the outliers


@pytest.mark.parametrize(("lat0", "lon0", "spread"),
                         [(55.8, 49.1, 1.0), (60.0, 179.5, 2.0), (-70.0, -20.0, 5.0), (0.0, 0.0, 40.0)])
def test_nearest_is_the_exact_ranking(lat0: float, lon0: float, spread: float) -> None:
    """The k nearest by the spherical pre-filter are the k nearest by exact distance."""
    from cluster_desk.core.geodesy import _nearest

    rng = np.random.default_rng(int(abs(lat0) + abs(lon0)))
    lats = np.clip(lat0 + rng.normal(0, spread, 20_000), -89.0, 89.0)
    lons = (lon0 + rng.normal(0, spread * 1.5, 20_000) + 180.0) % 360.0 - 180.0
    exact = distances_km(lat0, lon0, lats, lons)
    for share in (0.5, 0.9, 0.999):
        k = math.ceil(share * lats.size)
        got = _nearest(lat0, lon0, lats, lons, k)
        assert got.size == k and np.unique(got).size == k
        assert np.array_equal(np.sort(got), np.sort(np.argpartition(exact, k - 1)[:k]))


def _fan_candidates(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """The Akl-Toussaint filter in full: 32 directions over every point (the reference)."""
    ext: list[int] = []
    for t in np.linspace(0.0, 2.0 * math.pi, 32, endpoint=False):
        i = int(np.argmax(gx * math.cos(t) + gy * math.sin(t)))
        if not ext or (i != ext[-1] and i != ext[0]):
            ext.append(i)
    margin = 1e-9 * max(float(max(np.ptp(gx), np.ptp(gy))), 1e-12)
    keep = np.zeros(gx.size, dtype=bool)
    for k in range(len(ext)):
        a, b = ext[k], ext[(k + 1) % len(ext)]
        ex, ey = gx[b] - gx[a], gy[b] - gy[a]
        keep |= ex * (gy - gy[a]) - ey * (gx - gx[a]) <= margin * math.hypot(ex, ey)
    keep[ext] = True
    return np.flatnonzero(keep)


@pytest.mark.parametrize("cloud", ["normal", "square", "ring", "duplicates"])
def test_hull_candidates_are_the_full_fans(cloud: str) -> None:
    """The four-direction pre-pass drops no point the 32-direction filter keeps, nor adds one."""
    from cluster_desk.core import geodesy

    rng = np.random.default_rng(len(cloud))
    n = 30_000
    if cloud == "normal":
        lats, lons = 55.8 + rng.normal(0, 1.0, n), 49.1 + rng.normal(0, 1.5, n)
    elif cloud == "square":
        lats, lons = rng.uniform(50, 52, n), rng.uniform(30, 33, n)
    elif cloud == "ring":
        a = rng.uniform(0, 2 * math.pi, n)
        lats, lons = 60 + 2 * np.sin(a), 100 + 4 * np.cos(a)
    else:
        lats = np.repeat(rng.uniform(40, 41, n // 100), 100)
        lons = np.repeat(rng.uniform(20, 21, n // 100), 100)
    lat0, lon0 = float(np.mean(lats)), float(np.mean(lons))
    p = geodesy._unit_vectors(lats, lons)
    up, east, north = geodesy._tangent_basis(lat0, lon0)
    w = p @ up
    want = _fan_candidates((p @ east) / w, (p @ north) / w)
    got = geodesy._hull_candidates(lats, lons, lat0, lon0)
    assert np.array_equal(got, want)
    assert got.size < n // 2 or cloud == "ring"


def test_smallest_circle_100k_fast() -> None:
    rng = np.random.default_rng(11)
    lats = 55.8 + rng.normal(0, 1.0, 100_000)
    lons = 49.1 + rng.normal(0, 1.5, 100_000)
    smallest_circle(lats[:1000], lons[:1000])  # warm-up (pyproj database)
    best = math.inf
    for _ in range(2):
        t = time.process_time()
        lat, lon, r = smallest_circle(lats, lons)
        best = min(best, time.process_time() - t)
    assert best < 1.0
    assert _max_dist(lat, lon, lats, lons) == pytest.approx(r, abs=1e-9)
