"""The rules' faster passes (issue 17) against plain references on small random inputs: the
registry's and focal model's tally built with rows taken by np.compress against the per-member
reference pass (``_sum_members``) and plain masks; the gap tally by one bincount and by groups
against adding every link (``_count_gaps``); the registry's lowest shares against a stable sort
(ties at the smallest value included); the distances' estimates by the chord from the circles'
unit vectors against the haversine's; the spherical mean by einsum against ``sum(axis=0)``, bit
for bit; and a day's network of undated links against the date mask it no longer makes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cluster_desk.core import geodesy
from cluster_desk.core.checks import geography, relations, tallies
from cluster_desk.core.checks.context import FIRM, NO_DAY_HIGH, NO_DAY_LOW, Arrays
from cluster_desk.core.checks.tallies import GAPS, RuleTally
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind
from cluster_desk.core.network import Network

RULE_FIELDS = ("qualified", "unpriced", "sold", "sales", "by_count", "main", "depend_on")


def _random_net(rng: np.random.Generator, n: int, m: int, volumes: str) -> Network:
    """A day's network of ``n`` members of random kinds and ``m`` links (no self-link) whose
    volumes are all missing, all known or mixed."""
    kind = rng.integers(0, 9, n).astype(np.int64)
    kind[: n // 2] = FIRM  # (plenty of firms, so SMEs sell and qualify)
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    vol = {"none": np.full(m, math.nan), "all": rng.uniform(1.0, 1e6, m),
           "mixed": np.where(rng.random(m) < 0.4, math.nan, rng.uniform(1.0, 1e6, m))}[volumes]
    link_kind = rng.integers(0, len(LinkKind), m).astype(np.int8)
    return Network("2026-06-01", list(range(n)), list(range(m)), {}, kind, src.astype(np.int32),
                   dst.astype(np.int32), link_kind, vol)


@pytest.mark.parametrize("volumes", ["none", "all", "mixed"])
def test_rule_tally_build_equals_the_reference_pass(volumes: str) -> None:
    rng = np.random.default_rng({"none": 1, "all": 2, "mixed": 3}[volumes])
    for _trial in range(12):
        n, m = int(rng.integers(2, 60)), int(rng.integers(0, 400))
        net = _random_net(rng, n, m, volumes)
        sme = (net.kind == FIRM) & (rng.random(n) < 0.7)
        built = RuleTally.build(net, sme)
        ref = RuleTally(sme, {"counted": tallies._COUNTED_KIND[net.kind]})
        ref._sum_members(net, np.arange(m), None)  # the per-member reference, boolean masks
        for name in RULE_FIELDS:
            assert np.array_equal(getattr(built, name), getattr(ref, name), equal_nan=name == "sold"), name
        qual, priced, _sale = ref._classes(net.kind, net.src, net.dst, net.link_kind, net.volume)
        assert built.unpriced_links == int(np.count_nonzero(qual & ~priced))
        assert built.volume.value == math.fsum(net.volume[qual & priced].tolist())
        touching = sme[net.src] | sme[net.dst]
        assert (built.touching_sme, built.both_sme) == (
            int(touching.sum()), int((sme[net.src] & sme[net.dst]).sum()))


@pytest.mark.parametrize("one_bincount", [0, 1 << 30])
def test_gap_tally_equals_every_link_added(one_bincount: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways of counting (one bincount up to ONE_GAP_BINCOUNT cells, grouped rows above)."""
    monkeypatch.setattr(tallies, "ONE_GAP_BINCOUNT", one_bincount)
    rng = np.random.default_rng(5)
    for _trial in range(15):
        n, m = int(rng.integers(2, 50)), int(rng.integers(0, 300))
        net = _random_net(rng, n, m, "none")
        counts, links = tallies._gaps_built(net)
        want = np.zeros((len(GAPS), n), dtype=np.int32)
        want_links = np.zeros(len(GAPS), dtype=np.int64)
        tallies._count_gaps(want, want_links, net.kind, net.src, net.dst, net.link_kind, 1)
        assert counts.dtype == np.int32 and np.array_equal(counts, want) and np.array_equal(links, want_links)


def test_lowest_shares_are_a_stable_sort_with_ties() -> None:
    rng = np.random.default_rng(9)
    for trial in range(200):
        size, k = int(rng.integers(1, 80)), int(rng.integers(1, 30))
        values = np.round(rng.random(size), 1)
        if trial % 3 == 0:
            values[rng.random(size) < 0.7] = 0.0  # firms selling nothing: often k or more at the least
        elif trial % 3 == 1:
            values[rng.random(size) < 0.5] = float(values.min(initial=1.0))
        want = np.argsort(values, kind="stable")[:k]
        assert relations._lowest(values, k).tolist() == want.tolist()


def test_lowest_shares_name_the_firms() -> None:
    names = ["a", "b", "c", "d"]
    got = relations._lowest_shares(names, np.array([3, 0, 2, 1]), np.array([0.5, 0.0, 0.25, 0.0]))
    assert got == (("a", 0.0), ("b", 0.0), ("c", 0.25), ("d", 0.5))


def _points(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    return 55.8 + rng.normal(0, 1.2, count), 49.1 + rng.normal(0, 1.8, count)


def test_estimates_by_the_chord_classify_as_exact_distances() -> None:
    rng = np.random.default_rng(11)
    for trial in range(6):
        lats, lons = _points(rng, 3_000)
        threshold = (50.0, 150.0, 200.0, 400.0, 1e4, 0.0)[trial]
        exact_km = geodesy.distances_km(55.0, 49.0, lats, lons)
        d, exact = geodesy.distances_km_beyond(55.0, 49.0, lats, lons, threshold,
                                               geodesy.unit_vectors(lats, lons))
        assert np.array_equal(d[exact], exact_km[exact])  # bit for bit where exact
        assert np.array_equal(d <= threshold, exact_km <= threshold)
        assert exact[int(np.argmax(exact_km))] and d.max() == exact_km.max()
        d0, exact0 = geodesy.distances_km_beyond(55.0, 49.0, lats, lons, threshold)
        assert np.array_equal(exact, exact0)  # (1e-12 apart: the same points made exact here)
        assert np.abs(d - d0).max() < 1e-6
    with pytest.raises(ValueError):
        geodesy.distances_km_beyond(55.0, 49.0, lats, lons, 1.0, geodesy.unit_vectors(lats[1:], lons[1:]))


def test_circles_from_the_callers_unit_vectors_are_the_same() -> None:
    rng = np.random.default_rng(12)
    lats, lons = _points(rng, 5_000)
    want = geodesy.smallest_circles(lats, lons, 0.9)
    assert geodesy.smallest_circles(lats, lons, 0.9, geodesy.unit_vectors(lats, lons)) == want
    holed = lats.copy()
    holed[7] = math.nan  # unlocated: the vectors of all points do not fit the located ones
    assert (geodesy.smallest_circles(holed, lons, 0.9, geodesy.unit_vectors(holed, lons))
            == geodesy.smallest_circles(holed, lons, 0.9))


def test_locate_shares_the_circles_unit_vectors_with_the_distances(monkeypatch: pytest.MonkeyPatch) -> None:
    """The concentration rule's distances are those measured without the circles' vectors
    where exact, with the same points inside; the vectors are made once, by the circles."""
    members, links, settings = demo_cluster()
    a = Arrays(members, links)
    part = a.participants("2026-06-01")
    made: list[int] = []
    real = geodesy.unit_vectors

    def counted(lats: object, lons: object) -> np.ndarray:  # (the real function, counted)
        made.append(1)
        return real(lats, lons)

    for cache in (geography._CIRCLE_CACHE, geography._last, geography._last_dist):
        cache.clear()
    monkeypatch.setattr(geography, "unit_vectors", counted)
    g = geography.locate(a, part, settings)
    assert made == [1]
    lat, lon = a.lat[g.points], a.lon[g.points]
    assert g.centre is not None
    d, exact = geodesy.distances_km_beyond(*g.centre, lat, lon, settings.radius_km)
    assert np.array_equal(g.dist[exact], d[exact])
    assert np.array_equal(g.dist <= settings.radius_km, d <= settings.radius_km)


def test_spherical_mean_sums_as_sum_over_rows() -> None:
    """einsum("ij->j") in _mean_centre adds each column row by row as p.sum(axis=0) does."""
    rng = np.random.default_rng(13)
    for trial in range(60):
        count = int(rng.integers(1, 5_000))
        p = rng.normal(size=(count, 3)) * 10.0 ** rng.uniform(-6, 6, size=(count, 1))
        if trial % 4 == 0:
            p[rng.random((count, 3)) < 0.3] = rng.choice([1e16, -1e16, -0.0, 3.0])
        total = p.sum(axis=0)
        lats, lons = np.zeros(count), np.zeros(count)
        if float(np.linalg.norm(total)) >= 1e-9 * count:
            assert geodesy._mean_centre(lats, lons, p) == geodesy._vector_to_latlon(total)
        got = np.einsum("ij->j", p)
        assert got.tobytes() == total.tobytes()


def test_undated_links_count_on_any_day() -> None:
    members, links, _settings = demo_cluster()
    undated = [Link(lk.source, lk.target, lk.kind, id=lk.id, volume=lk.volume) for lk in links]
    a = Arrays(members, undated)
    assert not a.dated
    assert bool(np.all(a.start == NO_DAY_LOW)) and bool(np.all(a.end == NO_DAY_HIGH))
    last = undated[-1]
    dated = Arrays(members, [*undated[:-1], Link(last.source, last.target, last.kind, id=last.id,
                                                 start="1900-01-01")])
    assert dated.dated
    for day in ("2026-06-01", "1990-01-01"):
        net, rows = a.network(day)
        other, other_rows = dated.network(day)
        assert np.array_equal(rows, other_rows)
        assert np.array_equal(net.src, other.src) and np.array_equal(net.dst, other.dst)
