"""Work the rules share instead of repeating (issue 17): the two smallest circles computed on one
set of unit vectors give what two separate computations give, to the bit; names cut from a
TextColumn's block are the names a lookup per row gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import geodesy
from cluster_desk.core.check_facts import first_names, first_names_where
from cluster_desk.core.checks import geography, relations, tallies
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.geodesy import smallest_circle, smallest_circles
from cluster_desk.core.model import Member, MemberKind
from cluster_desk.core.tables import TextColumn


def _cloud(seed: int, n: int, lat0: float, lon0: float, spread: float,
           holes: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lats = np.clip(lat0 + rng.normal(0, spread, n), -89.0, 89.0)
    lons = lon0 + rng.normal(0, 1.6 * spread, n)
    lons = (lons + 180.0) % 360.0 - 180.0
    lats[rng.integers(0, n, holes)] = np.nan  # unlocated rows are left out alike
    return lats, lons


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(10, 6_000), lat0=st.floats(-75, 75),
       lon0=st.floats(-180, 180), spread=st.sampled_from([0.01, 0.5, 1.0, 3.0]),
       share=st.sampled_from([0.5, 0.9, 1.0]), holes=st.integers(0, 5))
def test_the_pair_of_circles_is_the_two_circles_to_the_bit(seed: int, n: int, lat0: float, lon0: float,
                                                          spread: float, share: float, holes: int) -> None:
    lats, lons = _cloud(seed, n, lat0, lon0, spread, holes)
    full, part = smallest_circles(lats, lons, share)
    assert full == smallest_circle(lats, lons)
    assert part == smallest_circle(lats, lons, share=share)


def test_a_cloud_past_the_hull_filter_gives_the_same_pair() -> None:
    # 40,000 points: the Akl-Toussaint filter and the exact check after it run for both circles.
    lats, lons = _cloud(11, 40_000, 55.8, 49.1, 1.0, 3)
    assert smallest_circles(lats, lons, 0.9) == (smallest_circle(lats, lons),
                                                 smallest_circle(lats, lons, share=0.9))


def test_the_assessment_asks_for_both_circles_at_once() -> None:
    lats, lons = _cloud(5, 500, 55.8, 49.1, 1.0, 0)
    geography._CIRCLE_CACHE.clear()
    geography._last.clear()
    got = geography.smallest_circles(lats, lons)
    assert got == (smallest_circle(lats, lons), smallest_circle(lats, lons, share=0.9))


def _arrays(names: list[str]) -> Arrays:
    members = [Member(name, MemberKind.FIRM, id=f"m{i}") for i, name in enumerate(names)]
    return Arrays(members, ())


def test_names_cut_from_the_block_are_the_names_row_by_row() -> None:
    names = [f"ООО «Фирма {i}»" if i % 7 else "" for i in range(3_000)]
    a = _arrays(names)
    column = TextColumn.of(names)
    assert column is not None
    a.names = column
    rng = np.random.default_rng(2)
    many = np.flatnonzero(rng.random(len(names)) < 0.9)
    shuffled = rng.permutation(many)
    for rows in (many, shuffled, many[-1:], np.array([0, len(names) - 1, 0]), np.zeros(0, dtype=np.int64)):
        assert a.names_of(rows) == [names[i] for i in rows.tolist()]
    assert first_names(a.names, shuffled) == tuple(names[i] for i in shuffled[:500].tolist())
    assert first_names(a.names, shuffled).total == shuffled.size
    column[int(many[3])] = "переименована"  # a name set since the read: looked up row by row
    names[int(many[3])] = "переименована"
    column.append("новая")
    names.append("новая")
    rows = np.append(many, len(names) - 1)
    assert a.names_of(rows) == [names[i] for i in rows.tolist()]


def test_names_of_a_list_are_looked_up() -> None:
    names = [f"n{i}" for i in range(100)]
    a = _arrays(names)
    rows = np.arange(len(names), dtype=np.int64)[::-1].copy()
    assert a.names_of(rows) == names[::-1]


@pytest.mark.parametrize(("seed", "n", "lat0", "lon0", "spread"),
                         [(1, 5_000, 55.8, 49.1, 1.0), (2, 30_000, 60.0, 179.5, 2.0),
                          (3, 20_000, -70.0, -20.0, 5.0), (4, 8_000, 0.0, 0.0, 0.001)])
def test_the_coarse_pass_keeps_the_candidates_of_the_exact_one(
        monkeypatch: pytest.MonkeyPatch, seed: int, n: int, lat0: float, lon0: float, spread: float) -> None:
    # The hull filter's first pass over every point (_not_deep_inside, rounded its own way) leaves
    # the candidates as _outside_polygon there left them: the very same indices.
    lats, lons = _cloud(seed, n, lat0, lon0, spread, 0)
    lats = np.concatenate((lats, lats[:50]))  # repeated points: ties among the extremes
    lons = np.concatenate((lons, lons[:50]))
    mean = geodesy._mean_centre(lats, lons)
    coarse = geodesy._hull_candidates(lats, lons, *mean)
    monkeypatch.setattr(geodesy, "_not_deep_inside", geodesy._outside_polygon)
    assert np.array_equal(coarse, geodesy._hull_candidates(lats, lons, *mean))
    assert coarse.size < n // 10


def test_first_names_where_is_first_names_of_the_whole_take() -> None:
    names = [f"m{i}" for i in range(200_000)]
    rng = np.random.default_rng(4)
    rows = np.sort(rng.choice(len(names), 150_000, replace=False))
    for share in (0.0, 0.00001, 0.003, 0.5, 1.0):  # none, a few in far blocks, many
        mask = rng.random(rows.size) < share
        want = first_names(names, rows[np.flatnonzero(mask)])
        got = first_names_where(names, rows, mask, int(np.count_nonzero(mask)))
        assert got == want and got.total == want.total


def test_a_tally_without_volumes_counts_its_unpriced_links_as_any() -> None:
    # No volume recorded: the unpriced qualifying links are the qualifying ones (one count held
    # for both); after patches, the same figures as a fresh build.
    members, links, settings = demo_cluster(seed=6)
    bare = [dataclasses.replace(lk, volume=None) for lk in links]
    a = Arrays(members, bare)
    net, rows = a.network("2026-06-01")
    tally = relations.rule_tally(a, rows, net, settings)
    src, dst = net.src, net.dst
    qual = tallies._QUALIFYING[net.link_kind] & tallies._COUNTED_OF_CODE[tallies.link_codes(net)]
    counted = np.bincount(src[qual], minlength=net.n) + np.bincount(dst[qual], minlength=net.n)
    assert np.array_equal(tally.unpriced, counted) and np.array_equal(tally.qualified, counted)
    assert tally.unpriced_links == int(np.count_nonzero(qual)) > 0
    first = bare[0]
    a.patch_links([dataclasses.replace(first, volume=5e6)], [bare[1].id])  # one priced now
    net2, rows2 = a.network("2026-06-01")
    patched = relations.rule_tally(a, rows2, net2, settings)
    live = [dataclasses.replace(first, volume=5e6), *bare[2:]]
    fresh_a = Arrays(members, live)
    fresh_net, fresh_rows = fresh_a.network("2026-06-01")
    assert patched.equal(relations.rule_tally(fresh_a, fresh_rows, fresh_net, settings))


def test_take_is_the_values_at_the_rows_read_changed_or_hex() -> None:
    from cluster_desk.core.hex_ids import HexIds

    values = ["а", "", "Завод «Ё»", "x" * 70, "b"]
    column = TextColumn.of(values)
    assert column is not None
    rows = np.array([4, 0, 2, 2, 1, 3])
    assert column.take(rows) == [values[i] for i in rows]
    assert column.take(np.array([], dtype=np.int64)) == []
    column[2] = "другое"
    column.append("e")
    assert column.take(np.array([2, 5])) == ["другое", "e"]
    raw = np.arange(48, dtype=np.uint8).reshape(3, 16)
    hexes = HexIds(raw)
    assert hexes.take(np.array([2, 0])) == [hexes[2], hexes[0]]
