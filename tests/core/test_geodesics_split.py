"""Exact distances measured in two halves, the second on a thread of its own (issue 17: pyproj
lets go of the interpreter) against one Geod.inv call over every point, bit for bit: odd and
even counts, one point, points not located (NaN) among them, the split at every size from one
point; and a radius test's exact distances beyond the radius the same with and without it."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from cluster_desk.core import geodesy


def one_call_km(lat0: float, lon0: float, la: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """The reference: one Geod.inv over every located point, NaN elsewhere."""
    out = np.full(la.shape, np.nan)
    ok = np.isfinite(la) & np.isfinite(lo)
    m = int(ok.sum())
    if m:
        _, _, d = geodesy.GEOD.inv(np.full(m, lon0), np.full(m, lat0), lo[ok], la[ok])
        out[ok] = np.asarray(d) / 1000.0
    return out


def random_points(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray]:
    la, lo = rng.uniform(-89.9, 89.9, m), rng.uniform(-180.0, 180.0, m)
    la[rng.random(m) < 0.1] = np.nan  # (members not on the map)
    lo[rng.random(m) < 0.05] = np.inf
    la[: m // 7] = 55.75  # (ties: the same point many times)
    lo[: m // 7] = 37.62
    return la, lo


@pytest.mark.parametrize("split_from", [1, 2, 3, 64])
def test_split_distances_are_one_calls_bit_for_bit(monkeypatch: pytest.MonkeyPatch, split_from: int) -> None:
    monkeypatch.setattr(geodesy, "_SPLIT_MIN_POINTS", split_from)
    rng = np.random.default_rng(split_from)
    for m in (1, 2, 3, 7, 64, 65, 1_001):
        la, lo = random_points(rng, m)
        got = geodesy.distances_km(55.0, 37.0, la, lo)
        want = one_call_km(55.0, 37.0, la, lo)
        assert got.tobytes() == want.tobytes(), m


def test_many_points_are_measured_on_two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """At _SPLIT_MIN_POINTS the second half is Geod.inv's on a thread named "geodesics" (seen
    from inside the call pyproj makes), below it all on the caller's; none is left running."""
    seen: list[tuple[str, int]] = []
    inv = geodesy.GEOD.inv

    class Recording:
        def inv(self, *args: object, **kwargs: object) -> object:
            seen.append((threading.current_thread().name, len(args[0])))  # type: ignore[arg-type]
            return inv(*args, **kwargs)

    monkeypatch.setattr(geodesy, "GEOD", Recording())
    rng = np.random.default_rng(3)
    m = geodesy._SPLIT_MIN_POINTS + 1
    la, lo = rng.uniform(40, 60, m), rng.uniform(20, 50, m)
    got = geodesy.distances_km(50.0, 30.0, la, lo)
    assert sorted(seen) == sorted([(threading.current_thread().name, la.size // 2),
                                   ("geodesics", la.size - la.size // 2)])
    seen.clear()
    geodesy.distances_km(50.0, 30.0, la[:-2], lo[:-2])
    assert seen == [(threading.current_thread().name, la.size - 2)]
    assert not [t for t in threading.enumerate() if t.name == "geodesics"]
    monkeypatch.undo()
    assert got.tobytes() == one_call_km(50.0, 30.0, la, lo).tobytes()


def test_radius_test_exact_beyond_the_radius_with_the_split(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    la, lo = rng.uniform(50.0, 60.0, 5_000), rng.uniform(30.0, 45.0, 5_000)
    whole = geodesy.distances_km_beyond(55.0, 37.0, la, lo, 200.0)
    monkeypatch.setattr(geodesy, "_SPLIT_MIN_POINTS", 2)
    split = geodesy.distances_km_beyond(55.0, 37.0, la, lo, 200.0)
    assert whole[1].any() and np.array_equal(whole[1], split[1])
    assert whole[0].tobytes() == split[0].tobytes()
    exact = whole[1]
    assert whole[0][exact].tobytes() == one_call_km(55.0, 37.0, la[exact], lo[exact]).tobytes()
