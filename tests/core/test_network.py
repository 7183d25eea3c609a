"""Network measures (core.network) on small hand-checked graphs and the demo cluster."""

from __future__ import annotations

import json
import math

import pytest

from cluster_desk.core import network as nw
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, SpecialTerritory, Status

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
    assert nw.degree_centralisation(net) == pytest.approx(1.0)
    assert nw.components(net)[0] == 1
    assert nw.isolated(net).size == 0
    f = nw.focal(net)
    assert f.hub == 0 and f.hub_share == pytest.approx(1.0)


def test_pairs_links_components_isolated() -> None:
    members = [_m(x) for x in "ABCDE"]
    links = [_l("A", "B"), _l("A", "B", LinkKind.SUPPLY), _l("C", "D")]
    net = nw.build_network(members, links, on=DAY)
    assert net.link_count == 3 and net.pair_count == 2
    assert nw.link_degree(net).tolist() == [2, 2, 1, 1, 0]
    count, labels = nw.components(net)
    assert count == 3 and labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]
    assert net.ids(nw.isolated(net)) == ["E"]
    assert nw.horizontal_share(net) == pytest.approx(2 / 3)
    assert nw.degree_centralisation(net) == pytest.approx(1 / 12)  # degrees 1,1,1,1,0: (max-d) sums to 1
    cycle = nw.build_network(members[:4], [_l("A", "B"), _l("B", "C"), _l("C", "D"), _l("D", "A")], on=DAY)
    assert nw.degree_centralisation(cycle) == 0.0


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


def test_helix_pairs_and_gaps() -> None:
    members = [
        _m("f1"), _m("f2"), _m("f3"), _m("u", MemberKind.EDUCATION), _m("r", MemberKind.RESEARCH),
        _m("g", MemberKind.AUTHORITY), _m("pc", MemberKind.PARTNER_CLUSTER),
    ]  # fmt: skip
    links = [
        _l("f1", "r"), _l("f1", "f2", LinkKind.SUPPLY), _l("f2", "f3", LinkKind.JOINT_PROJECT),
        _l("g", "u", LinkKind.GOVERNMENT), _l("u", "pc"),
    ]  # fmt: skip
    net = nw.build_network(members, links, on=DAY)
    pairs = nw.helix_pair_links(net)
    assert pairs == {"business-government": 0, "business-science": 1, "government-science": 1}
    gaps = nw.gap_coverage(net)
    assert gaps["business_science"]["covered"] == 1
    assert gaps["business_science"]["share"] == pytest.approx(1 / 3)
    # The supply link f1->f2 is not business-business cooperation; the joint project f2-f3 is.
    assert gaps["business_business"]["covered"] == 2
    assert gaps["business_education"]["covered"] == 0
    assert gaps["cluster_cluster"]["covered"] == 1 and gaps["cluster_cluster"]["share"] is None


def test_focal_dependence_by_volume_else_count() -> None:
    members = [_m("big", employees=5000), *(_m(f"s{i}", employees=10 * i + 10) for i in (1, 2, 3))]
    links = [
        # s1 sells 90 to big, 10 to s2: dependent (by volume).
        _l("s1", "big", LinkKind.SUPPLY, volume=90.0), _l("s1", "s2", LinkKind.SUPPLY, volume=10.0),
        # s2: one volume unknown -> counted by links: 1 to big, 1 to s3 -> not > half.
        _l("s2", "big", LinkKind.SUPPLY, volume=5.0), _l("s2", "s3", LinkKind.SUPPLY),
        _l("s3", "s1", LinkKind.RND),
    ]  # fmt: skip
    net = nw.build_network(members, links, on=DAY)
    f = nw.focal(net)
    assert f.selling_smes == 2 and net.ids(f.dependent) == ["s1"] and f.dependence == pytest.approx(0.5)
    # Links touching SMEs: all 5; joining two SMEs: s1-s2, s2-s3, s3-s1.
    assert f.bypass == pytest.approx(3 / 5)


def test_registry_measures() -> None:
    members = [
        _m("a", output=1000.0, special_territory=SpecialTerritory.SINGLE_INDUSTRY_TOWN),
        _m("b", output=500.0),
        _m("c"),  # no output
        _m("d", organising_production=True),
        _m("x", MemberKind.FOREIGN_PARTNER),
    ]
    links = [
        _l("a", "b", LinkKind.SUPPLY, volume=200.0),
        _l("b", "c", LinkKind.PRODUCTION_SERVICES),  # no volume
        _l("a", "x", LinkKind.SUPPLY, volume=999.0),  # foreign partner: does not count
        _l("d", "a", LinkKind.RND),  # not qualifying
    ]
    net = nw.build_network(members, links, on=DAY)
    reg = nw.registry(net)
    assert net.ids(reg.without_contract) == ["d"] and net.ids(reg.exempt) == ["d"]
    assert reg.qualifying_volume == 200.0 and reg.firm_output == 1500.0
    assert reg.dependence == pytest.approx(200 / 1500)
    assert net.ids(reg.missing_output) == ["c", "d"] and reg.missing_volume == ["b-c-production_services"]
    assert reg.partial
    assert reg.special_share == pytest.approx(1 / 4) and reg.threshold == 0.20
    assert reg.firm_sales_share[0] == pytest.approx(0.2)
    d_in_territory = _m("d", organising_production=True, special_territory=SpecialTerritory.GEOSTRATEGIC)
    more = [*members[:3], d_in_territory]
    assert nw.registry(nw.build_network(more, links, on=DAY)).threshold == 0.10


def test_summary_of_demo_is_json_safe() -> None:
    members, links, _ = demo_cluster(seed=3)
    s = nw.summary(nw.build_network(members, links))
    text = json.dumps(s, allow_nan=False)
    assert s["links"] > 0 and 0.0 < s["density"] < 1.0 and s["components"] >= 1
    assert json.loads(text)["participants"] == s["participants"]


def test_empty_network() -> None:
    net = nw.build_network([], [], on=DAY)
    assert nw.density(net) == 0.0 and nw.components(net) == (0, pytest.approx([]))
    assert nw.horizontal_share(net) is None and nw.focal(net).hub is None
    s = nw.summary(net)
    assert s["largest_component"] == 0 and not math.isnan(s["density"])
