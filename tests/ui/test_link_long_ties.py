"""The links layer finds an opened project's long ties from the members' unit vectors
(ui/links/map_layer.py _long_ties): the same ties, and the same lines, as measuring every link
with pyproj."""

from __future__ import annotations

import numpy as np

from cluster_desk.core.geodesy import GEOD, LONG_KM, geodesic_paths
from cluster_desk.ui.links import map_layer


def test_long_ties_are_those_pyproj_measures_over_the_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(5)
    n, m = 3000, 20000
    lat = np.concatenate([rng.normal(55.8, 1.5, n - 200), rng.uniform(-60, 70, 200)])
    lon = np.concatenate([rng.normal(49.1, 2.5, n - 200), rng.uniform(-179, 179, 200)])
    lat[7] = lon[7] = np.nan  # an unplaced member: none of its links is a tie to draw
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    monkeypatch.setattr(map_layer, "CHUNK", 4096)  # several chunks
    slots, sizes, coords = map_layer._long_ties(lat, lon, src, dst)
    _, _, dist = GEOD.inv(lon[src], lat[src], lon[dst], lat[dst])
    want = np.flatnonzero(np.asarray(dist) >= LONG_KM * 1000)
    assert slots.tolist() == want.tolist() and len(want) > 100
    expect = geodesic_paths(lat[src], lon[src], lat[dst], lon[dst], want)
    assert sizes.tolist() == expect[1].tolist() and coords.tolist() == expect[2].tolist()


def test_ties_a_hair_over_the_limit_are_found_anywhere_on_the_globe(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The candidate passes run in float32 (_long_ties): a tie metres over LONG_KM is still one
    wherever it lies (one end at the members' middle, near a pole, across 180°), and one metres
    under is not."""
    rng = np.random.default_rng(11)
    n = 4000
    q, half = n // 4, n // 2  # (a quarter at the middle, a quarter near the pole)
    lat1 = np.concatenate([np.full(q, 55.8), rng.uniform(80, 89.5, q), rng.uniform(-60, 60, half)])
    lon1 = np.concatenate([np.full(q, 49.1), rng.uniform(-180, 180, q), rng.uniform(170, 190, half)])
    lon1 = (lon1 + 180) % 360 - 180
    over = np.where(np.arange(n) % 2 == 0, 3.0, -3.0)  # metres over (under) the limit
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, rng.uniform(0, 360, n), LONG_KM * 1000 + over)
    # The cluster itself (a few thousand members near the first ends): the middle sits there.
    lat = np.concatenate([lat1, np.asarray(lat2), rng.normal(55.8, 0.5, 6000)])
    lon = np.concatenate([lon1, np.asarray(lon2), rng.normal(49.1, 0.8, 6000)])
    src, dst = np.arange(n), np.arange(n, 2 * n)
    monkeypatch.setattr(map_layer, "MIDDLE_SAMPLE", 512)  # (a sample of the members)
    slots, _, _ = map_layer._long_ties(lat, lon, src, dst)
    _, _, dist = GEOD.inv(lon[src], lat[src], lon[dst], lat[dst])
    want = np.flatnonzero(np.asarray(dist) >= LONG_KM * 1000)
    assert slots.tolist() == want.tolist() and len(want) == n // 2
