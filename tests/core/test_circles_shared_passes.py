"""The smallest circles' passes shared or spared (issue 17, session 19: a million members' first
assessment): the tangent coordinates at the points' mean computed once for the hull's filter and
the robust centre, no copy of the points when all are located, the circles' cache key hashed
without copies. Each gives the numbers the unshared computation gives, to the bit."""

from __future__ import annotations

import hashlib
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import geodesy
from cluster_desk.core.checks import geography


def _cloud(seed: int, n: int, lat0: float, lon0: float, spread: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lats = np.clip(lat0 + rng.normal(0, spread, n), -89.0, 89.0)
    lons = (lon0 + rng.normal(0, 1.6 * spread, n) + 180.0) % 360.0 - 180.0
    return lats, lons


def _circles_unshared(lats: np.ndarray, lons: np.ndarray, share: float
                      ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """smallest_circles as it was: each pass computing its own tangent coordinates."""
    la, lo = geodesy._located(lats, lons, share)
    p = geodesy._unit_vectors(la, lo)
    mean = geodesy._mean_centre(la, lo, p)
    full = geodesy._circle_of(la, lo, p, mean)
    la, lo, p = geodesy._share_of(la, lo, p, share, mean)
    return full, geodesy._circle_of(la, lo, p)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.sampled_from([50, 2_500, 9_000]), lat0=st.floats(-70, 70),
       lon0=st.floats(-180, 180), spread=st.sampled_from([0.01, 0.7, 2.5]),
       share=st.sampled_from([0.5, 0.9, 0.97]))
def test_shared_tangent_coordinates_give_the_unshared_circles(
        seed: int, n: int, lat0: float, lon0: float, spread: float, share: float) -> None:
    lats, lons = _cloud(seed, n, lat0, lon0, spread)
    assert geodesy.smallest_circles(lats, lons, share) == _circles_unshared(lats, lons, share)


def test_the_shared_coordinates_are_the_ones_each_pass_made() -> None:
    lats, lons = _cloud(5, 20_000, 55.8, 49.1, 1.2)
    p = geodesy._unit_vectors(lats, lons)
    mean = geodesy._mean_centre(lats, lons, p)
    along = geodesy._tangent_coords(p, *mean)
    assert np.array_equal(geodesy._hull_candidates(lats, lons, *mean, p, along),
                          geodesy._hull_candidates(lats, lons, *mean, p))
    assert geodesy._robust_centre(lats, lons, p, mean, along) == geodesy._robust_centre(lats, lons, p, mean)
    # Taken at another point than the mean, they would move the robust centre: the test can fail.
    elsewhere = geodesy._tangent_coords(p, mean[0] + 1.0, mean[1])
    moved = geodesy._robust_centre(lats, lons, p, mean, elsewhere)
    assert moved != geodesy._robust_centre(lats, lons, p, mean)


def test_located_points_are_not_copied_and_unlocated_ones_left_out() -> None:
    lats, lons = _cloud(3, 1_000, 60.0, 30.0, 1.0)
    la, lo = geodesy._located(lats, lons, 0.9)
    assert np.shares_memory(la, lats) and np.shares_memory(lo, lons)
    lats[[3, 7]] = np.nan
    lons[11] = math.inf
    la, lo = geodesy._located(lats, lons, 0.9)
    assert la.size == 997 and np.isfinite(la).all() and np.isfinite(lo).all()
    assert geodesy.smallest_circle(lats, lons) == geodesy.smallest_circle(la.copy(), lo.copy())


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 300), step=st.integers(1, 3), seed=st.integers(0, 1_000))
def test_the_points_key_is_the_hash_of_their_bytes_joined(n: int, step: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-90, 90, n * step)[::step], rng.uniform(-180, 180, n * step)[::step]
    want = hashlib.blake2b(lat.tobytes() + lon.tobytes(), digest_size=16).digest()
    assert geography._points_key(lat, lon) == want
    assert geography._points_key(lon, lat) != want or n == 0


def test_unit_vectors_written_in_place_are_the_stacked_columns() -> None:
    lats, lons = _cloud(8, 5_000, -33.0, 151.0, 4.0)
    la, lo = np.radians(lats), np.radians(lons)
    c = np.cos(la)
    want = np.column_stack((c * np.cos(lo), c * np.sin(lo), np.sin(la)))
    got = geodesy._unit_vectors(lats, lons)
    assert got.flags["C_CONTIGUOUS"] and got.shape == want.shape
    assert np.array_equal(got, want)


def test_the_share_kept_is_the_nearest_points_rows() -> None:
    lats, lons = _cloud(9, 12_000, 45.0, 10.0, 1.5)
    p = geodesy._unit_vectors(lats, lons)
    mean = geodesy._mean_centre(lats, lons, p)
    la, lo, q = geodesy._share_of(lats, lons, p, 0.9, mean)
    rc = geodesy._robust_centre(lats, lons, p, mean)
    nearest = geodesy._nearest(*rc, lats, lons, la.size, p)
    assert np.array_equal(la, lats[nearest]) and np.array_equal(lo, lons[nearest])
    assert np.array_equal(q, p[nearest]) and q.flags["C_CONTIGUOUS"]


def test_distances_beyond_take_the_largest_estimate_with_or_without_unlocated_points() -> None:
    lats, lons = _cloud(12, 4_000, 55.8, 49.1, 1.5)
    d, exact = geodesy.distances_km_beyond(55.8, 49.1, lats, lons, 150.0)
    holed_lats = lats.copy()
    holed_lats[[5, 9]] = np.nan
    d2, exact2 = geodesy.distances_km_beyond(55.8, 49.1, holed_lats, lons, 150.0)
    keep = np.ones(lats.size, dtype=bool)
    keep[[5, 9]] = False
    assert np.isnan(d2[[5, 9]]).all() and not exact2[[5, 9]].any()
    assert np.array_equal(d2[keep], d[keep]) and np.array_equal(exact2[keep], exact[keep])
    far = int(np.argmax(d))
    assert exact[far] and d[far] == geodesy.distances_km(55.8, 49.1, lats[far:far + 1], lons[far:far + 1])[0]
    assert np.array_equal(d[exact], geodesy.distances_km(55.8, 49.1, lats[exact], lons[exact]))
    assert (d[~exact] < 150.0).all()


def test_distances_beyond_of_no_points_and_of_none_located() -> None:
    for lats, lons in ((np.zeros(0), np.zeros(0)), (np.array([np.nan, 1.0]), np.array([2.0, np.nan]))):
        d, exact = geodesy.distances_km_beyond(55.0, 49.0, lats, lons, 100.0)
        assert d.shape == lats.shape and not exact.any() and np.isnan(d).all()
