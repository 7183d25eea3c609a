"""Network measures (core.network) on small hand-checked graphs."""

from __future__ import annotations

import pytest

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status

DAY = "2026-01-01"


def _m(name: str, kind: MemberKind = MemberKind.FIRM, **kw: object) -> Member:
    return Member(name, kind, id=name, **kw)  # type: ignore[arg-type]


def _l(a: str, b: str, kind: LinkKind = LinkKind.RND, **kw: object) -> Link:
    return Link(a, b, kind, id=f"{a}-{b}-{kind}", **kw)  # type: ignore[arg-type]


def test_star_measures() -> None:
    members = [_m(x) for x in "hABCD"]
    links = [_l("h", x) for x in "ABCD"]
    net = nw.build_network(members, links, on=DAY)
    assert net.n == 5 and net.link_count == 4 and net.pair_count == 4
    assert nw.degree(net).tolist() == [4, 1, 1, 1, 1]
    assert nw.density(net) == pytest.approx(4 / 10)


def test_pairs_links_and_distinct_neighbours() -> None:
    members = [_m(x) for x in "ABCDE"]
    links = [_l("A", "B"), _l("A", "B", LinkKind.SUPPLY), _l("C", "D"), _l("D", "C")]
    net = nw.build_network(members, links, on=DAY)
    assert net.link_count == 4 and net.pair_count == 2  # (a tie recorded twice, or reversed: one pair)
    assert nw.degree(net).tolist() == [1, 1, 1, 1, 0]
    assert nw.density(net) == pytest.approx(2 / 10)


def test_dates_and_participants() -> None:
    members = [
        _m("A"),
        _m("B", joined="2027-01-01"),  # not yet joined
        _m("C", status=Status.FORMER, left="2025-06-01"),  # gone by DAY
        _m("D", status=Status.FORMER, joined="2020-01-01", left="2026-06-01"),  # still in on DAY
        _m("E", status=Status.CANDIDATE),
    ]
    links = [
        _l("A", "D"),
        _l("A", "D", LinkKind.SUPPLY, start="2026-02-01"),  # not started
        _l("A", "D", LinkKind.FINANCE, end="2026-01-01"),  # ended that day
        _l("A", "B"), _l("A", "C"), _l("A", "E"), _l("A", "A"),
    ]  # fmt: skip
    net = nw.build_network(members, links, on=DAY)
    assert [m.id for m in net.members] == ["A", "D"]
    assert [lk.id for lk in net.links] == ["A-D-rnd"]
    assert Link("A", "D", start="2025-01-01", end="2026-01-01").active_on("2025-12-31")
    assert not Link("A", "D", start="2025-01-01", end="2026-01-01").active_on("2026-01-01")


def test_gaps() -> None:
    members = [
        _m("f1"), _m("f2"), _m("f3"), _m("u", MemberKind.EDUCATION), _m("r", MemberKind.RESEARCH),
        _m("g", MemberKind.AUTHORITY), _m("pc", MemberKind.PARTNER_CLUSTER),
    ]  # fmt: skip
    links = [
        _l("f1", "r"), _l("f1", "f2", LinkKind.SUPPLY), _l("f2", "f3", LinkKind.JOINT_PROJECT),
        _l("g", "u", LinkKind.GOVERNMENT), _l("u", "pc"),
    ]  # fmt: skip
    net = nw.build_network(members, links, on=DAY)
    gaps = nw.gap_coverage(net)
    assert gaps["business_science"]["covered"] == 1
    assert gaps["business_science"]["share"] == pytest.approx(1 / 3)
    # The supply link f1->f2 is not business-business cooperation; the joint project f2-f3 is.
    assert gaps["business_business"]["covered"] == 2
    assert gaps["business_education"]["covered"] == 0
    assert gaps["cluster_cluster"]["covered"] == 1 and gaps["cluster_cluster"]["share"] is None


def test_empty_network() -> None:
    net = nw.build_network([], [], on=DAY)
    assert nw.density(net) == 0.0 and nw.degree(net).size == 0 and net.pair_count == 0
    assert all(g["covered"] == 0 and g["share"] is None for g in nw.gap_coverage(net).values())
