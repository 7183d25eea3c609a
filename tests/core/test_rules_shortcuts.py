"""Two shortcuts of the rules (issue 17, session 23) against plain references: the members outside
the radius ordered farthest first by numpy's default sort unless two distances are equal (then
the stable sort: equal ones by position), and a day's degree counted from the links' ends less
the repeats' ends (not from every link's pair code divided back), on the checks' own int32
network rows, repeats either way round included; and the links check's year before taken from
the day's network (its links that count then, its repeated pairs looked for among the day's)
against a build of it, and not taken when a link ended between the two days."""

from __future__ import annotations

from dataclasses import replace

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


# --- the year before's network taken from the day's ------------------------------------------

YEAR = "2025-06-01"


def dated_roster(seed: int, ended: bool) -> tuple[list[Member], list[Link]]:
    """Members of every kind, all counting on both days; links among them, some started since
    the year before, repeated pairs (some repeated only since), and, if ``ended``, one link that
    ended between the two days (so the day's links no longer hold the year before's)."""
    rng = np.random.default_rng(seed)
    members, _links, _settings = demo_cluster()
    members = [replace(m, status=Status.MEMBER, joined=None, left=None) for m in members]
    n = len(members)
    ends = [(int(x), int((x + y) % n)) for x, y in zip(rng.integers(0, n, 800), rng.integers(1, n, 800),
                                                        strict=True)]
    ends += [ends[i] for i in rng.integers(0, len(ends), 40)]  # (repeats, by either start date)
    ends += [(y, x) for x, y in ends[:15]]  # (and the other way round)
    starts = rng.choice(np.array([None, "2019-01-01", "2025-09-01", "2026-03-01"], dtype=object), len(ends))
    kinds = list(LinkKind)
    links = [Link(members[x].id, members[y].id, kinds[j % len(kinds)], id=f"l{j}", start=start,
                  volume=None if j % 3 else float(j))
             for j, ((x, y), start) in enumerate(zip(ends, starts.tolist(), strict=True))]
    if ended:
        last = links[0]
        links[0] = Link(last.source, last.target, last.kind, id=last.id, start="2019-01-01", end="2026-01-01")
    return members, links


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("ended", [False, True])
def test_year_before_taken_from_the_day_is_a_fresh_build(seed: int, ended: bool) -> None:
    from cluster_desk.core.assessment import assess_arrays
    from cluster_desk.core.checks.context import year_before

    members, links = dated_roster(seed, ended)
    assert year_before(DAY) == YEAR
    taken_from_day = Arrays(members, links)
    day_net = taken_from_day.network(DAY)[0]
    nw.degree(day_net)
    assert day_net.memo["repeats"].size > 0
    year = taken_from_day.network(YEAR)[0]
    assert ("within" in year.memo) is not ended  # (a link ended since: built, not taken)
    built = Arrays(members, links).network(YEAR)[0]  # (nothing kept: built from every link)
    assert "within" not in built.memo
    for column in ("src", "dst", "link_kind", "kind"):
        got, want = getattr(year, column), getattr(built, column)
        assert got.dtype == want.dtype and got.tolist() == want.tolist(), column
    assert np.array_equal(year.volume, built.volume, equal_nan=True)
    kept = taken_from_day._nets[YEAR].kept
    fresh = Arrays(members, links)
    fresh.network(YEAR)
    assert kept.dtype == fresh._nets[YEAR].kept.dtype and kept.tolist() == fresh._nets[YEAR].kept.tolist()
    year_ends = list(zip(built.src.tolist(), built.dst.tolist(), strict=True))
    want_degree, want_pairs = degree_reference(len(year.members), year_ends)
    assert nw.degree(year).tolist() == want_degree and year.pair_count == want_pairs
    assert want_pairs < year.link_count  # (repeats among the year before's links too)
    # The whole assessment alike: the year before taken (a fresh Arrays: the day's network first)
    # and built (its network made before the day's, so nothing to take it from).
    _m, _l, settings = demo_cluster()
    first_the_year = Arrays(members, links)
    first_the_year.network(YEAR)
    taken = assess_arrays(Arrays(members, links), settings, on=DAY)
    assert taken == assess_arrays(first_the_year, settings, on=DAY)
