"""core.network.build_network finds the ends of many links at once (issue 17: one search of the
ids' hashes instead of two dict probes a link): the same network as the loop over them, checked
against tests/core/test_network_reference.py's reference on its random graphs (duplicate member
ids, dangling ends, self-loops and dates around the day included) with every size going through
the at-once path, and on a larger random roster against the loop itself."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from test_network_reference import DATES, DAY, links_st, members_st, reference

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status


def _same(a: nw.Network, b: nw.Network) -> None:
    assert list(a.members) == list(b.members) and a.index == b.index
    assert list(a.links) == list(b.links) and all(x is y for x, y in zip(a.links, b.links, strict=True))
    for name in ("kind", "src", "dst", "link_kind"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype == np.int64 and x.tolist() == y.tolist(), name
    assert a.volume.dtype == np.float64 and a.volume.tobytes() == b.volume.tobytes()


@settings(max_examples=300, deadline=None)
@given(members_st, links_st)
def test_ends_found_at_once_match_the_reference(members: list[Member], links: list[Link]) -> None:
    want = reference(members, links)
    loop = nw.build_network(members, links, on=DAY)
    saved = nw.FOUND_AT_ONCE
    nw.FOUND_AT_ONCE = -1
    try:
        net = nw.build_network(members, links, on=DAY)
    finally:
        nw.FOUND_AT_ONCE = saved
    assert [m.id for m in net.members] == want["ids"]
    assert list(net.links) == want["links"]
    assert list(zip(net.src.tolist(), net.dst.tolist(), strict=True)) == want["ends"]
    _same(net, loop)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_bigger_roster_at_once_is_the_loop_s_network(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    n = 3_000
    ids = [f"m{rng.randrange(10**6)}" for _ in range(n)]  # (repeats: a later one wins)
    members = [Member(i, rng.choice(list(MemberKind)), id=i, status=rng.choice(list(Status)),
                      joined=rng.choice(DATES), left=rng.choice(DATES)) for i in ids]
    ends = [*ids, "nobody", "m-1"]
    fresh = [e[:1] + e[1:] for e in ends]  # (other str objects of the same ids, as read from a file)
    links = [Link(rng.choice(fresh), rng.choice(ends), rng.choice(list(LinkKind)),
                  start=rng.choice(DATES), end=rng.choice(DATES),
                  volume=None if rng.random() < 0.3 else rng.uniform(0, 1e9)) for _ in range(3 * n)]
    links += [Link(ids[0], ids[0])]  # a self-loop
    monkeypatch.setattr(nw, "FOUND_AT_ONCE", 10**9)
    loop = nw.build_network(members, links, on=DAY)
    monkeypatch.setattr(nw, "FOUND_AT_ONCE", -1)
    net = nw.build_network(members, links, on=DAY)
    assert 0 < net.link_count < len(links)
    _same(net, loop)


def test_no_participant_and_no_link(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nw, "FOUND_AT_ONCE", -1)
    net = nw.build_network([], [Link("a", "b")], on=DAY)
    assert net.n == 0 and net.link_count == 0 and net.src.dtype == np.int64
    net = nw.build_network([Member("a", MemberKind.FIRM, id="a")], [], on=DAY)
    assert net.n == 1 and net.link_count == 0
