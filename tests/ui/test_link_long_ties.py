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
