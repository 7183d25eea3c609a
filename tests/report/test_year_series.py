"""The passport's yearly series (core.timeline.yearly_series) counts critical mass without a whole
assessment per year (issue 17): each point must still be the full assessment's figure on its day,
on a roster whose members join and leave over the years, with and without a centre in the
settings, and its link figures those of the records as they were that day."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.geography import counted_firms
from cluster_desk.core.model import (
    DIRECTED_KINDS,
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)
from cluster_desk.core.timeline import links_on, participants_on, yearly_series
from cluster_desk.report.data import _links_between


def _roster(seed: int, n: int = 400) -> tuple[list[Member], list[Link]]:
    """Members joining 2014-2023, a quarter of them leaving later (as former members, or members
    with a past leave date), spread ~400 km around Kazan so some firms fall outside 200 km and the
    smallest circle moves from year to year; dated links, some ended."""
    rng = random.Random(seed)
    kinds = list(MemberKind)
    members = []
    for i in range(n):
        kind = MemberKind.FIRM if rng.random() < 0.6 else rng.choice(kinds)
        joined = f"{rng.randrange(2014, 2024)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        left = None
        status = Status.MEMBER
        roll = rng.random()
        if roll < 0.15:
            left, status = f"{int(joined[:4]) + rng.randrange(1, 4)}-06-30", Status.FORMER
        elif roll < 0.22:
            left = f"{int(joined[:4]) + rng.randrange(1, 3)}-03-01"  # a member with a past leave date
        elif roll < 0.3:
            status, joined = Status.CANDIDATE, None
        located = rng.random() > 0.05
        members.append(Member(
            f"m{i}", kind=kind, status=status, id=f"m{i}", joined=joined, left=left,
            industry=rng.choice([Industry.CORE, Industry.RELATED, Industry.UNSPECIFIED]),
            lat=55.79 + rng.gauss(0, 1.4) if located else None,
            lon=49.12 + rng.gauss(0, 2.2) if located else None,
        ))  # fmt: skip
    links = []
    for j in range(3 * n):
        a, b = rng.sample(range(n), 2)
        start = f"{rng.randrange(2013, 2025)}-01-15" if rng.random() < 0.8 else None
        end = f"{int(start[:4]) + rng.randrange(1, 5)}-09-01" if start and rng.random() < 0.3 else None
        links.append(Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind)), id=f"l{j}", start=start, end=end))
    links.append(Link("m1", "nobody", LinkKind.RND, id="dangling"))  # an end not on the roster
    return members, links


SETTINGS = [
    ClusterSettings(radius_km=200.0),  # the centre is the smallest circle's, year by year
    ClusterSettings(radius_km=150.0, centre_lat=55.79, centre_lon=49.12),
]


@pytest.mark.parametrize("settings", SETTINGS, ids=["circle-centre", "settings-centre"])
@pytest.mark.parametrize("seed", [1, 2])
def test_each_point_is_the_full_assessment_of_its_day(settings: ClusterSettings, seed: int) -> None:
    members, links = _roster(seed)
    series = yearly_series(members, links, settings, until="2025-08-01")
    assert [p.year for p in series] == list(range(2013, 2026)) and series[-1].day == "2025-08-01"
    fresh = Arrays(members, links)  # its own arrays: nothing cached from the series
    counts = [p.counted_firms for p in series]
    assert len(set(counts)) > 5 and max(counts) > 0  # the figure moves: joins and leaves both show
    assert any(b < a for a, b in pairwise(p.participants for p in series))  # some years lose members
    for p in series:
        mass = assess_arrays(fresh, settings, on=p.day)[0]
        assert mass.id == "critical_mass" and p.counted_firms == mass.value, p.day
        # The link figures from the records as they were that day.
        part = participants_on(members, p.day)
        ids = {m.id for m in part}
        live = [lk for lk in links_on(links, p.day, ids) if lk.source != lk.target]
        pairs = {frozenset((lk.source, lk.target)) for lk in live}
        n = len(part)
        assert p.participants == n
        assert p.firms == sum(m.kind == MemberKind.FIRM for m in part)
        assert p.links == len(live)
        assert p.density == (len(pairs) / (n * (n - 1) // 2) if n > 1 else 0.0)
        undirected = sum(lk.kind not in DIRECTED_KINDS for lk in live)
        assert p.horizontal_share == (undirected / len(live) if live else None)


def test_counted_firms_is_the_critical_mass_figure_on_any_participants() -> None:
    members, links = _roster(3, n=300)
    a = Arrays(members, links)
    rng = np.random.default_rng(3)
    for settings in SETTINGS:
        for _ in range(8):
            part = rng.random(len(members)) < rng.uniform(0.1, 0.9)
            g = geography.locate(a, part, settings)
            assert counted_firms(a, part, settings) == geography.critical_mass(a, part, settings, g).value
        assert counted_firms(a, np.zeros(len(members), dtype=np.bool_), settings) == 0


def test_density_counts_distinct_pairs_past_32_bits_of_a_pair_key() -> None:
    """Link ends are int32 rows: lower row * members + higher row wrapped past 2**31 above ~46,000
    members, and two different pairs could count as one. At 100,000 members the pairs (0, 90000)
    and (42950, 57296) gave the same wrapped key."""
    n = 100_000
    members = [Member(f"m{i}", id=f"m{i}", joined="2020-01-01") for i in range(n)]
    links = [Link("m0", "m90000", LinkKind.RND, id="a"), Link("m42950", "m57296", LinkKind.RND, id="b")]
    (point,) = yearly_series(members, links, ClusterSettings(), until="2020-12-31")
    assert point.links == 2
    assert point.density == 2 / (n * (n - 1) // 2)


def test_links_between_participants_by_rows_is_the_set_look_up() -> None:
    members, links = _roster(4, n=200)
    links = [*links, Link("m3", "m3", LinkKind.OTHER, id="self")]
    participants = [m for m in members if m.status == Status.MEMBER]
    ids = {m.id for m in participants}
    expected = [lk for lk in links if lk.source in ids and lk.target in ids]
    assert 0 < len(expected) < len(links)
    assert _links_between(participants, links, Arrays(members, links)) == expected
    assert _links_between(participants, links, None) == expected
