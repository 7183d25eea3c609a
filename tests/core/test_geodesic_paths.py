"""The map's long ties: the vectorised paths equal the one-tie-at-a-time ones."""

from __future__ import annotations

import numpy as np

from cluster_desk.core.geodesy import LONG_KM, geodesic_path_between, geodesic_paths


def test_vectorised_paths_equal_one_at_a_time_including_across_180() -> None:
    rng = np.random.default_rng(5)
    n = 400
    lat1, lat2 = rng.uniform(-70, 70, n), rng.uniform(-70, 70, n)
    lon1, lon2 = rng.uniform(-180, 180, n), rng.uniform(-180, 180, n)
    lon1[:20], lon2[:20] = 175.0, -175.0  # ties across the antimeridian
    lat2[20:40], lon2[20:40] = lat1[20:40] + 0.5, lon1[20:40]  # short ties: no path
    where, sizes, coords = geodesic_paths(lat1, lon1, lat2, lon2, np.arange(n))
    one = {i: geodesic_path_between(lat1[i], lon1[i], lat2[i], lon2[i]) for i in range(n)}
    assert sorted(where.tolist()) == [i for i, p in one.items() if p is not None]
    assert all(one[i] is None for i in range(20, 40)) and LONG_KM > 60
    at = 0
    for i, size in zip(where.tolist(), sizes.tolist(), strict=True):
        path = coords[at : at + 2 * size]
        at += 2 * size
        np.testing.assert_allclose(path, one[i], atol=2e-5)
        assert np.all(np.abs(np.diff(path[1::2])) < 180)  # longitudes continuous
