"""Two shortcuts of the rules (issue 17, session 23) against plain references: the members outside
the radius ordered farthest first by numpy's default sort unless two distances are equal (then
the stable sort: equal ones by position), and a day's degree counted from the links' ends less
the repeats' ends (not from every link's pair code divided back), on the checks' own int32
network rows, repeats either way round included."""

from __future__ import annotations

import numpy as np
import pytest

from cluster_desk.core import network as nw
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member, Status

DAY = "2026-06-01"


def stable_farthest_first(d: np.ndarray) -> list[int]:
    """Positions by distance, largest first, equal distances in the order they come."""
    return sorted(range(d.size), key=lambda i: (-float(d[i]), i))


@pytest.mark.parametrize("seed", range(4))
def test_farthest_first_is_the_stable_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for size in (0, 1, 2, 3, 17, 500, 5_000):
        distinct = rng.uniform(200.0, 900.0, size)
        few = rng.choice([250.0, 300.0, 301.5, 800.0], size)  # (many equal distances)
        some = distinct.copy()
        if size > 3:
            some[rng.integers(0, size, size // 10 + 1)] = some[0]  # (a few equal to one)
        for d in (distinct, few, some):
            assert geography.farthest_first(d).tolist() == stable_farthest_first(d)


def test_concentration_names_equal_distances_in_row_order() -> None:
    """The check's members outside the radius (ids, rows, names, distances) in the stable order
    when many lie at the same distance (numpy's default sort alone orders them otherwise)."""
    members, links, settings = demo_cluster()
    a = Arrays(members, links)
    part = a.participants(DAY)
    g = geography.locate(a, part, settings)
    assert g.points.size > 40
    rng = np.random.default_rng(5)
    tied = rng.choice([settings.radius_km * 2.0, settings.radius_km * 3.0, 1.0], g.points.size)
    g = geography.Geography(g.centre, g.centre_source, g.points, tied, g.inside, g.smallest, g.smallest90)
    result = geography.concentration(a, part, settings, g)
    outside = [i for i in stable_farthest_first(tied) if tied[i] > settings.radius_km]
    assert len(outside) > 20
    assert result.member_rows is not None
    assert result.member_rows.tolist() == g.points[outside].tolist()
    assert list(result.member_ids) == [a.ids[int(g.points[i])] for i in outside]


def degree_reference(n: int, ends: list[tuple[int, int]]) -> tuple[list[int], int]:
    near: list[set[int]] = [set() for _ in range(n)]
    for x, y in ends:
        near[x].add(y)
        near[y].add(x)
    return [len(s) for s in near], sum(len(s) for s in near) // 2


@pytest.mark.parametrize("repeats", ["none", "some", "many"])
def test_degree_of_the_checks_network_counts_distinct_neighbours(repeats: str) -> None:
    rng = np.random.default_rng(len(repeats))
    n, m = 300, 3_000  # (above the grouping's 2,000 links: the grouped sort as at 100,000)
    members = [Member(f"m{i}", status=Status.MEMBER, id=f"m{i}") for i in range(n)]
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    if repeats == "none":  # (each pair once: the first link of each pair kept)
        pair = np.minimum(src, dst) * n + np.maximum(src, dst)
        first = np.sort(np.unique(pair, return_index=True)[1])
        src, dst, m = src[first], dst[first], first.size
    else:
        again = rng.integers(0, m, m // (20 if repeats == "some" else 2))
        src[again], dst[again] = src[again[0]], dst[again[0]]
        src[again[1::2]], dst[again[1::2]] = dst[again[0]], src[again[0]]  # (the other way round)
    links = [Link(f"m{x}", f"m{y}", LinkKind.SUPPLY, id=f"l{j}")
             for j, (x, y) in enumerate(zip(src.tolist(), dst.tolist(), strict=True))]
    net, rows = Arrays(members, links).network(DAY)
    assert net.src.dtype == np.int32 and rows.size == n
    want_degree, want_pairs = degree_reference(n, list(zip(net.src.tolist(), net.dst.tolist(), strict=True)))
    assert nw.degree(net).tolist() == want_degree
    assert net.pair_count == want_pairs
    if repeats == "none":
        assert want_pairs == m
    else:
        assert want_pairs < m
