"""Rule 7's gap coverage (core.network.gap_coverage, one (firm, kind) table for every gap) against
the slow obvious count: link by link, which members each gap covers."""

from __future__ import annotations

import random
from typing import Any

import pytest

from cluster_desk.core import network as nw
from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind, Member, MemberKind

DAY = "2026-01-01"


def _slow_gaps(net: nw.Network) -> dict[str, dict[str, Any]]:
    kinds = [m.kind for m in net.members]
    n_firms = kinds.count(MemberKind.FIRM)
    out: dict[str, dict[str, Any]] = {}
    for gid, k1, k2 in nw.GAPS:
        covered: set[int] = set()
        links = 0
        for a, b, lk in zip(net.src.tolist(), net.dst.tolist(), net.links, strict=True):
            ka, kb = kinds[a], kinds[b]
            if k2 is None:  # linked to a partner cluster: the other end, if not one itself
                if k1 in (ka, kb):
                    links += 1
                covered |= {x for x, other in ((a, kb), (b, ka)) if other is k1 and kinds[x] is not k1}
                continue
            if {ka, kb} != {k1, k2} or (gid == "business_business" and lk.kind in DIRECTED_KINDS):
                continue
            links += 1
            covered |= {x for x in (a, b) if kinds[x] is k1}
        share = None if k2 is None or not n_firms else len(covered) / n_firms
        out[gid] = {"covered": len(covered), "links": links, "share": share}
    return out


@pytest.mark.parametrize("seed", range(6))
def test_gap_coverage_counts_as_link_by_link(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([1, 2, 8, 60, 400])
    # Few kinds in some networks (firms, partner clusters, research), all in others.
    few = [MemberKind.FIRM, MemberKind.PARTNER_CLUSTER, MemberKind.RESEARCH]
    pool = list(MemberKind) if seed % 2 else few
    members = [Member(f"m{i}", rng.choice(pool), id=f"m{i}") for i in range(n)]
    links = []
    for _ in range(rng.choice([0, 3 * n])):
        a, b = rng.randrange(n), rng.randrange(n)  # self-loops too: the build drops them
        links.append(Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind))))
    net = nw.build_network(members, links, on=DAY)
    assert nw.gap_coverage(net) == _slow_gaps(net)


def test_a_network_without_firms_has_no_share() -> None:
    members = [Member("pc", MemberKind.PARTNER_CLUSTER, id="pc"), Member("u", MemberKind.EDUCATION, id="u")]
    net = nw.build_network(members, [Link("u", "pc", LinkKind.RND)], on=DAY)
    gaps = nw.gap_coverage(net)
    assert gaps["business_education"] == {"covered": 0, "links": 0, "share": None}
    assert gaps["cluster_cluster"] == {"covered": 1, "links": 1, "share": None}
