"""The demo cluster: deterministic, plausible, and exercising every check."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from cluster_desk.core.demo import DEMO_CENTRE, demo_cluster
from cluster_desk.core.model import DIRECTED_KINDS, LinkKind, MemberKind, SpecialTerritory, Status


@pytest.fixture(scope="module")
def demo():
    return demo_cluster()


def test_deterministic_and_seed_dependent(demo):
    assert demo_cluster() == demo
    other_members, _, _ = demo_cluster(seed=8)
    assert [m.id for m in other_members] != [m.id for m in demo[0]]


def test_member_mix_follows_hse_map(demo):
    members, _, _ = demo
    assert 130 <= len(members) <= 160
    kinds = Counter(m.kind for m in members)
    firms = [m for m in members if m.kind is MemberKind.FIRM]
    member_firms = [m for m in firms if m.status is Status.MEMBER]
    assert 95 <= len(member_firms) <= 110  # critical mass is borderline
    assert 100 <= len(firms) <= 115
    n = len(members)
    large = sum(1 for m in firms if m.employees is not None and m.employees >= 250)
    medium = sum(1 for m in firms if m.employees is not None and 50 <= m.employees < 250)
    assert 0.15 <= large / n <= 0.23  # HSE: 19 %
    assert 0.10 <= medium / n <= 0.17  # HSE: 13 %
    assert 0.04 <= kinds[MemberKind.EDUCATION] / n <= 0.10  # 7 %
    assert 0.05 <= kinds[MemberKind.RESEARCH] / n <= 0.11  # 8 %
    for kind in MemberKind:
        assert kinds[kind] >= 1, kind
    statuses = Counter(m.status for m in members)
    assert 6 <= statuses[Status.CANDIDATE] <= 10
    assert 2 <= statuses[Status.FORMER] <= 4
    assert 1 <= sum(1 for m in members if not m.located) <= 3


def test_records_are_plausible(demo):
    members, links, settings = demo
    assert len({m.id for m in members}) == len(members)
    assert len({m.name for m in members}) == len(members)
    for m in members:
        if m.inn:
            assert m.inn.isdigit() and len(m.inn) in (10, 12), m
            if len(m.inn) == 10:  # check digit of a legal entity's INN
                d = [int(c) for c in m.inn]
                w = (2, 4, 10, 3, 5, 9, 4, 6, 8)
                assert sum(a * b for a, b in zip(w, d, strict=False)) % 11 % 10 == d[9], m.inn
        if m.kind is MemberKind.FIRM:
            assert m.sector and m.industry.value in ("core", "related") and m.employees, m
            assert m.sector[:2] in {"22", "24", "25", "27", "28", "29", "45", "49", "71", "72"}, m.sector
        if m.status is not Status.CANDIDATE:
            assert m.joined is not None
        if m.status is Status.FORMER:
            assert m.left is not None and m.left >= m.joined
    assert any(m.inn.startswith("0") for m in members)  # a leading zero that must survive export
    assert sum(1 for m in members if m.inn.startswith("16")) > 100  # Tatarstan
    assert settings.name == "Автомобильный кластер Республики Татарстан"
    assert settings.radius_km == 200
    anchor = max((m for m in members if m.kind is MemberKind.FIRM), key=lambda m: m.employees or 0)
    assert anchor.employees > 20_000
    ids = {m.id for m in members}
    assert all(lk.source in ids and lk.target in ids and lk.source != lk.target for lk in links)
    assert {lk.kind for lk in links} == set(LinkKind)
    supply = [lk for lk in links if lk.kind in DIRECTED_KINDS]
    assert all(lk.share is not None and 0 < lk.share <= 1 for lk in supply)
    assert all(lk.share is None for lk in links if lk.kind not in DIRECTED_KINDS)
    # Format-3 facts for the registry rule: volumes on supply contracts, firms' output, monotowns.
    assert sum(1 for lk in supply if lk.volume) > 0.8 * len(supply)
    assert sum(1 for m in members if m.output) > 50
    assert any(m.special_territory is SpecialTerritory.SINGLE_INDUSTRY_TOWN for m in members)
    assert sum(1 for m in members if m.organising_production) == 1


def test_a_few_members_beyond_200_km(demo):
    from cluster_desk.core.geodesy import distances_km

    members, _, settings = demo
    located = [m for m in members if m.status is Status.MEMBER and m.located]
    d = distances_km(*DEMO_CENTRE, np.array([m.lat for m in located]), np.array([m.lon for m in located]))
    assert (settings.centre_lat, settings.centre_lon) == DEMO_CENTRE
    beyond = [m.name for m, km in zip(located, d, strict=True) if km > 200]
    assert 3 <= len(beyond) <= 6, beyond
    # Both ends of the Kazan - Naberezhnye Chelny axis are inside.
    assert (d < 200).mean() > 0.9


def test_every_check_runs_and_not_all_ok(demo):
    from cluster_desk.core.assessment import assess

    results = assess(*demo)
    ids = {r.id for r in results}
    assert ids == {"critical_mass", "concentration", "helix", "cluster_org", "focal", "specialisation",
                   "links", "registry"}
    statuses = {r.id: str(r.status) for r in results}
    assert "not_applicable" not in statuses.values()
    assert "ok" in statuses.values()
    assert {"warning", "failing"} & set(statuses.values())
    assert statuses["critical_mass"] != "ok"  # 95 counted firms: just short of the band
    assert statuses["focal"] != "ok"  # the anchor holds more than half of firm employment
    # All three strands, but government and science have no tie: a nominal helix (issue 13).
    assert statuses["helix"] == "warning" and statuses["cluster_org"] == "ok"
    helix = next(r for r in results if r.id == "helix")
    assert helix.details["missing_ties"] == ["government-science"]
    concentration = next(r for r in results if r.id == "concentration")
    assert 3 <= len(concentration.details["outside"]) <= 6
