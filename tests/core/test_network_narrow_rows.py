"""Issue 17: a day's network may hold its link ends as int32 member rows (a million members'
network ~20 MB less while the rules run); every measure of core.network gives the same figures
as with int64 rows, also past 46,341 members, where row * n overflows 32 bits (a pair's code)."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from cluster_desk.core import network
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, SpecialTerritory, Status
from cluster_desk.core.network import Network, build_network


def _narrow(net: Network) -> Network:
    narrow = dataclasses.replace(net, src=net.src.astype(np.int32), dst=net.dst.astype(np.int32))
    assert narrow.src.dtype == np.int32 and not narrow.memo
    return narrow


def _random_network(seed: int, n: int, m: int) -> Network:
    """``n`` members of every kind (most SME firms), ``m`` links of every kind between random
    members and a few hubs (dependent sellers), some with a volume."""
    rng = random.Random(seed)
    kinds, link_kinds = list(MemberKind), list(LinkKind)
    members = [Member(name=f"M {i}", id=f"m{i}",
                      kind=MemberKind.FIRM if rng.random() < 0.6 else rng.choice(kinds),
                      employees=rng.choice([None, 5, 50, 200, 400]),
                      output=rng.choice([None, 1e6, 2.5e7]),
                      organising_production=rng.random() < 0.01,
                      special_territory=SpecialTerritory.NONE if rng.random() < 0.8 else rng.choice(
                          list(SpecialTerritory)),
                      status=Status.MEMBER if rng.random() < 0.95 else Status.CANDIDATE)
               for i in range(n)]
    hubs = [rng.randrange(n) for _ in range(20)]
    links = []
    for j in range(m):
        a = rng.randrange(n)
        b = rng.choice(hubs) if rng.random() < 0.3 else rng.randrange(n)
        if rng.random() < 0.5:  # the high rows too: their codes are the ones past 2**31
            a, b = n - 1 - a % 1000, n - 1 - b % 5000
        links.append(Link(id=f"l{j}", source=f"m{a}", target=f"m{b}", kind=rng.choice(link_kinds),
                          volume=rng.choice([None, None, 1e5, 3e6])))
    return build_network(members, links, on="2026-06-01")


def _measures(net: Network) -> dict[str, object]:
    return {
        "pairs": (net.pair_a.tolist(), net.pair_b.tolist()),
        "degree": network.degree(net).tolist(),
        "density": network.density(net),
        "gaps": network.gap_coverage(net),
    }


@pytest.mark.parametrize("seed", [1])
def test_past_46341_members_int32_rows_give_the_int64_figures(seed: int) -> None:
    net = _random_network(seed, 50_000, 120_000)
    assert net.n ** 2 > 2**31 and net.src.dtype == np.int64  # (the codes overflow 32 bits)
    wide = _measures(net)
    assert _measures(_narrow(net)) == wide


def test_the_demos_network_with_int32_rows() -> None:
    members, links, _settings = demo_cluster(seed=3)
    net = build_network(members, links)
    assert _measures(_narrow(net)) == _measures(net)
