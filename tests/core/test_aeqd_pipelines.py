"""The smallest circle's projection (core.geodesy._aeqd) is built as PROJ pipelines instead of
``Transformer.from_crs`` (issue 17: ~3 ms of database search a pass). Its numbers must be
from_crs's to the bit: the circle's centre, the map and the checks' figures follow from them."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from cluster_desk.core.geodesy import _LONLAT, _aeqd, _planar_fit

CENTRES = [
    (55.7963, 49.1088),  # Kazan, as typed
    (55.79123456789012, 49.98765432109876),  # a fitted centre: more digits than PROJ writes (15)
    (-25.89043, 75.93671012307209),
    (64.04539395928651, -66.02340891437416),
    (71.5, 179.99),  # near the antimeridian, high north
    (-3.6679671619096753e-06, 0.0008005674244910815),  # tiny values: exponent notation
    (0.0, 0.0),
    (89.5, -120.0),
]


@pytest.mark.parametrize(("lat0", "lon0"), CENTRES)
def test_pipelines_are_from_crs_to_the_bit(lat0: float, lon0: float) -> None:
    aeqd = f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84 +units=m +no_defs"
    want_fwd = Transformer.from_crs(_LONLAT, aeqd, always_xy=True)
    want_inv = Transformer.from_crs(aeqd, _LONLAT, always_xy=True)
    fwd, inv = _aeqd(lat0, lon0)
    rng = np.random.default_rng(5)
    lats = np.clip(lat0 + rng.normal(0, 2.0, 500), -89.9, 89.9)
    lons = lon0 + rng.normal(0, 3.0, 500)
    got, want = fwd.transform(lons, lats), want_fwd.transform(lons, lats)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    x, y = np.asarray(want[0])[:50], np.asarray(want[1])[:50]
    back, want_back = inv.transform(x, y), want_inv.transform(x, y)
    assert np.array_equal(back[0], want_back[0]) and np.array_equal(back[1], want_back[1])


def test_a_pass_of_the_fit_is_the_from_crs_pass() -> None:
    rng = np.random.default_rng(9)
    lats, lons = 55.8 + rng.normal(0, 1.0, 300), 49.1 + rng.normal(0, 1.6, 300)
    lat0, lon0 = 55.81234567890123, 49.0987654321012
    aeqd = f"+proj=aeqd +lat_0={lat0!r} +lon_0={lon0!r} +ellps=WGS84 +units=m +no_defs"
    x, y = Transformer.from_crs(_LONLAT, aeqd, always_xy=True).transform(lons, lats)
    c = shapely.minimum_bounding_circle(shapely.multipoints(np.column_stack((x, y)))).centroid
    lon_c, lat_c = Transformer.from_crs(aeqd, _LONLAT, always_xy=True).transform(c.x, c.y)
    assert _planar_fit(lats, lons, lat0, lon0) == (lat_c, lon_c, float(np.hypot(c.x, c.y)))
