"""The charts' figures from the checks' arrays alone (report.chart_data, issue 17: the charts dock
built every record first) equal the same figures counted over the records, on the demo and on
random rosters with odd sector codes, unknown head counts, drafts, former members, dead links and
dates, for today and for past days; and the arrays the window's engine patched after edits give
what arrays built afresh give."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import division_of
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import (
    HELIX_OF_KIND,
    ClusterSettings,
    Link,
    LinkKind,
    Member,
    MemberKind,
    Status,
)
from cluster_desk.core.timeline import as_of, dated_years, dated_years_of, yearly_series
from cluster_desk.report.chart_data import chart_data

SECTORS = ["29.10", "29.32", "C29.1", "2", "01.11", "", "  27.1 ", "x", "٢٩", "99", "00.1", "45", "45.20"]


def _roster(seed: int, n: int = 300) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    kinds = list(MemberKind)
    members = []
    for i in range(n):
        kind = MemberKind.FIRM if rng.random() < 0.6 else rng.choice(kinds)
        status = rng.choice([Status.MEMBER] * 6 + [Status.FORMER, Status.CANDIDATE, Status.DRAFT])
        dated = rng.random() < 0.8
        joined = f"{rng.randint(2012, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if dated else None
        left = f"{rng.randint(2016, 2026)}-06-30" if status == Status.FORMER and rng.random() < 0.7 else None
        placed = rng.random() < 0.9
        lat, lon = (55.8 + rng.uniform(-2, 2), 49.1 + rng.uniform(-3, 3)) if placed else (None, None)
        members.append(Member(
            f"Организация {i}", kind, status, id=f"m{i}", sector=rng.choice(SECTORS),
            employees=rng.choice([None, 5, 100, 101, 250, 251, 4000]),
            lat=lat, lon=lon,
            joined=joined, left=left))  # fmt: skip
    links = []
    for j in range(n * 2):
        a, b = rng.sample(range(n + 5), 2)  # a few ends that are no member
        start = f"{rng.randint(2013, 2025)}-03-01" if rng.random() < 0.7 else None
        end = f"{rng.randint(2019, 2027)}-09-01" if start and rng.random() < 0.3 else None
        links.append(Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind)), id=f"l{j}", start=start, end=end))
    return members, links


def _expected(members: list[Member], links: list[Link], day: str | None) -> dict[str, object]:
    """The figures counted over the records (the passport's own reading before the arrays)."""
    view, view_links = (members, links) if day is None else as_of(members, links, day)
    part = [m for m in view if m.status == Status.MEMBER]
    ids = {m.id for m in part}
    linked = any(lk.source in ids and lk.target in ids for lk in view_links)
    firms = [m for m in part if m.kind == MemberKind.FIRM]
    by_firms: Counter[int] = Counter()
    by_staff: Counter[int] = Counter()
    for m in firms:
        d = division_of(m.sector)
        if d > 0:
            by_firms[d] += 1
            by_staff[d] += m.employees or 0
    sizes = Counter("small" if e <= 100 else "medium" if e <= 250 else "large"
                    for m in firms if (e := m.employees) is not None)
    helix = {"business": 0, "government": 0, "science": 0, "none": 0}
    for m in part:
        strand = HELIX_OF_KIND[m.kind]
        helix["none" if strand is None else strand.value] += 1
    return {
        "sectors": [(f"{d:02d}", n, by_staff[d]) for d, n in by_firms.most_common(8)],
        "sector_totals": (sum(by_firms.values()), sum(by_staff.values())),
        "sizes": (dict(sizes), sum(sizes.values()), sum(1 for m in firms if m.employees is None)),
        "helix": helix, "participants": len(part), "linked": linked,
        "located": any(m.located for m in part), "firms": bool(firms),
        "sector_known": any(division_of(m.sector) > 0 for m in firms),
        "sizes_known": any(m.employees is not None for m in firms),
    }  # fmt: skip


def _assert_same(members: list[Member], links: list[Link], a: Arrays, day: str | None) -> None:
    settings = ClusterSettings(name="x")
    got = chart_data(a, settings, lang="ru", day=day)
    want = _expected(members, links, day)
    assert got.sectors.rows == want["sectors"]
    assert (got.sectors.firms, got.sectors.employees) == want["sector_totals"]
    counts, known, unknown = want["sizes"]  # type: ignore[misc]
    assert (got.sizes.known, got.sizes.unknown) == (known, unknown)
    assert got.sizes.shares == pytest.approx({k: counts.get(k, 0) / known if known else 0.0
                                              for k in ("small", "medium", "large")})
    assert got.helix == want["helix"] and got.participants == want["participants"]
    series = yearly_series(members, links, settings, until=day or None)
    assert got.series == series
    assert bool(got.gap_years) == bool(want["linked"])
    expected_missing = [k for k, absent in (
        ("no_participants", not want["participants"]), ("no_dates", not series),
        ("no_located", not want["located"]), ("no_links", not want["linked"]),
        ("no_firms", bool(want["participants"]) and not want["firms"]),
        ("no_sectors", bool(want["firms"]) and not want["sector_known"]),
        ("no_sizes", bool(want["firms"]) and not want["sizes_known"])) if absent]  # fmt: skip
    assert got.missing == expected_missing


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("day", [None, "2015-12-31", "2020-06-30", "2024-12-31"])
def test_the_charts_figures_from_arrays_equal_the_records(seed: int, day: str | None) -> None:
    members, links = _roster(seed)
    _assert_same(members, links, Arrays(members, links), day)
    assert dated_years_of(Arrays(members, links)) == dated_years(members, links)


def test_the_demo_and_an_empty_roster() -> None:
    members, links, _settings = demo_cluster()
    for day in (None, "2019-12-31"):
        _assert_same(members, links, Arrays(members, links), day)
    got = chart_data(Arrays([], []), ClusterSettings(), lang="en")
    assert got.sectors.rows == [] and got.participants == 0 and got.series == []
    assert got.missing == ["no_participants", "no_dates", "no_located", "no_links"]


def test_patched_arrays_give_what_fresh_arrays_give() -> None:
    """The window's engine keeps its arrays and patches them per edit (a removed link's row stays,
    dead, until enough are dead): the figures must not count what was removed."""
    members, links = _roster(4)
    a = Arrays(members, links)
    chart_data(a, ClusterSettings(), lang="ru", day="2020-06-30")  # (masks and networks kept)
    gone_members = {m.id for m in members[:20]}
    gone_links = {lk.id for lk in links[:30]}
    edited = [replace(m, sector="62.01", employees=300, status=Status.MEMBER, joined="2011-01-01")
              for m in members[20:40]]
    a.patch_members(edited, sorted(gone_members))
    a.patch_links([], sorted(gone_links))
    members_now = [*(m for m in members[40:]), *edited]
    by_id = {m.id: m for m in members_now}
    members_now = [by_id[m.id] for m in members if m.id in by_id]
    links_now = [lk for lk in links if lk.id not in gone_links]
    for day in (None, "2011-12-31", "2020-06-30"):
        _assert_same(members_now, links_now, a, day)
    assert dated_years_of(a) == dated_years(members_now, links_now)


def test_links_count_only_between_participants() -> None:
    """A link to a candidate, a draft or no member is no link of the cluster's: no gap chart."""
    ms = [Member("Фирма", id="a", status=Status.MEMBER), Member("Вуз", MemberKind.EDUCATION, id="b"),
          Member("Кандидат", id="c", status=Status.CANDIDATE),
          Member("Черновик", id="d", status=Status.DRAFT)]
    ls = [Link("a", "c", LinkKind.SUPPLY, id="1"), Link("d", "b", LinkKind.RND, id="2"),
          Link("a", "zz", LinkKind.SUPPLY, id="3")]
    for day in (None, "2030-01-01"):
        _assert_same(ms, ls, Arrays(ms, ls), day)
        assert "no_links" in chart_data(Arrays(ms, ls), ClusterSettings(), lang="ru", day=day).missing
    ls.append(Link("b", "a", LinkKind.RND, id="4"))
    assert "no_links" not in chart_data(Arrays(ms, ls), ClusterSettings(), lang="ru").missing


def test_the_charts_leave_the_checks_kept_networks_alone() -> None:
    """The dock counts on the window engine's own arrays: the day networks the checks keep (and an
    edit's assessment patches) must still be the checks' after the charts' five gap years."""
    from cluster_desk.core.assessment import assess_arrays

    members, links = _roster(5)
    a = Arrays(members, links)
    assess_arrays(a, ClusterSettings(), on="2024-06-30")
    kept = {day: dn.net for day, dn in a._nets.items()}
    got = chart_data(a, ClusterSettings(), lang="ru", day="2024-06-30")
    assert len(got.gap_years) == 5
    assert {day: dn.net for day, dn in a._nets.items()} == kept
