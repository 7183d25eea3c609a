"""Issue 17: the checks' day network holds its link ends and kept link rows in 32 bits (a
million members' network ~30 MB less while the rules run): every check's facts are those of
the same network with int64 ends, on the demo and on random rosters past 46,341 members (where
row * n overflows 32 bits), also after a link edit patches the network and its tallies."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, MemberKind, Status

DAY = "2026-06-01"


def _wide(monkeypatch: Any) -> None:
    """Arrays.network as with int64 ends (the figures to compare with)."""
    narrow = Arrays.network

    def network(self: Arrays, day: str, include: Any = None) -> Any:
        net, rows = narrow(self, day, include)
        if net.src.dtype == np.int64:
            return net, rows
        wide = dataclasses.replace(net, src=net.src.astype(np.int64), dst=net.dst.astype(np.int64))
        return wide, rows

    monkeypatch.setattr(Arrays, "network", network)


def random_members(rng: random.Random, n: int) -> list[Member]:
    """n members ``m0``.. of every kind (60 % firms), mixed sizes, outputs and statuses, around
    Kazan (test_rules_peak uses them too)."""
    kinds = list(MemberKind)
    return [Member(name=f"M {i}", id=f"m{i}",
                   kind=MemberKind.FIRM if rng.random() < 0.6 else rng.choice(kinds),
                   employees=rng.choice([None, 5, 50, 200, 400]), output=rng.choice([None, 1e6, 2.5e7]),
                   lat=55.8 + rng.gauss(0, 1), lon=49.1 + rng.gauss(0, 1),
                   status=Status.MEMBER if rng.random() < 0.95 else Status.CANDIDATE)
            for i in range(n)]


def _roster(seed: int, n: int, m: int) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    link_kinds = list(LinkKind)
    members = random_members(rng, n)
    hubs = [rng.randrange(n) for _ in range(20)]
    links = []
    for j in range(m):
        a, b = rng.randrange(n), rng.choice(hubs) if rng.random() < 0.3 else rng.randrange(n)
        if rng.random() < 0.5:  # high rows: their codes pass 2**31
            a, b = n - 1 - a % 1000, n - 1 - b % 5000
        links.append(Link(id=f"l{j}", source=f"m{a}", target=f"m{b}", kind=rng.choice(link_kinds),
                          volume=rng.choice([None, None, 1e5, 3e6])))
    return members, links


def _facts(members: list[Member], links: list[Link], settings: ClusterSettings,
           edit: list[Link] | None = None) -> str:
    arrays = Arrays(members, links)
    out = repr(assess_arrays(arrays, settings, on=DAY))
    if edit is not None:  # a link edit: the day's network and its tallies patched
        arrays.patch_links(edit, ())
        out += repr(assess_arrays(arrays, settings, on=DAY))
    return out


@pytest.mark.parametrize("big", [False, True])
def test_int32_network_rows_give_the_int64_facts(big: bool, monkeypatch: Any) -> None:
    if big:
        members, links = _roster(5, 50_000, 120_000)
        settings = ClusterSettings()
    else:
        members, links, settings = demo_cluster(seed=4)
    net, _rows = Arrays(members, links).network(DAY)
    assert net.src.dtype == np.int32 and net.dst.dtype == np.int32
    edit = [dataclasses.replace(links[k], kind=LinkKind.SUPPLY, volume=None) for k in range(0, 40, 3)]
    narrow = _facts(members, links, settings, edit)
    _wide(monkeypatch)
    assert _facts(members, links, settings, edit) == narrow
