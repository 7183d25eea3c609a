"""core.network against a plain reference on random graphs: who counts, which links are kept and
in what order, the ends' rows, the pairs, degrees and volumes.

The vectorised code is where issue 17's speed work happens (bench/GROWTH.md); this pins what it
must keep giving: the reference below is the rules written out one link at a time."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status

DAY = "2026-01-01"
DATES = [None, "2025-06-01", "2026-01-01", "2026-06-01"]  # before, on and after the day
IDS = [f"m{i}" for i in range(12)]

members_st = st.lists(
    st.builds(lambda i, kind, status, joined, left:
              Member(i, kind, id=i, status=status, joined=joined, left=left),
              st.sampled_from(IDS), st.sampled_from(list(MemberKind)), st.sampled_from(list(Status)),
              st.sampled_from(DATES), st.sampled_from(DATES)),
    max_size=10)
links_st = st.lists(
    st.builds(lambda a, b, kind, start, end, volume: Link(a, b, kind, start=start, end=end, volume=volume),
              st.sampled_from([*IDS, "nobody"]), st.sampled_from([*IDS, "nobody"]),
              st.sampled_from(list(LinkKind)), st.sampled_from(DATES), st.sampled_from(DATES),
              st.none() | st.floats(0, 1e9)),
    max_size=40)


def reference(members: list[Member], links: list[Link]) -> dict[str, object]:
    """The network's rules one record at a time (a later member of the same id wins, as a dict)."""
    part = [m for m in members if nw.is_participant(m, DAY)]
    row = {m.id: i for i, m in enumerate(part)}
    kept = [lk for lk in links
            if lk.source in row and lk.target in row and row[lk.source] != row[lk.target]
            and (lk.start is None or lk.start <= DAY) and (lk.end is None or lk.end > DAY)]
    ends = [(row[lk.source], row[lk.target]) for lk in kept]
    pairs = sorted({(min(a, b), max(a, b)) for a, b in ends})
    degree = [0] * len(part)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    return {"ids": [m.id for m in part], "links": kept, "ends": ends, "pairs": pairs,
            "degree": degree,
            "volume": [math.nan if lk.volume is None else lk.volume for lk in kept]}


@settings(max_examples=300, deadline=None)
@given(members_st, links_st)
def test_network_and_its_measures_match_the_reference(members: list[Member], links: list[Link]) -> None:
    want = reference(members, links)
    net = nw.build_network(members, links, on=DAY)
    assert [m.id for m in net.members] == want["ids"]
    assert net.index == {i: r for r, i in enumerate(want["ids"])}  # type: ignore[arg-type]
    assert list(net.links) == want["links"]
    assert list(zip(net.src.tolist(), net.dst.tolist(), strict=True)) == want["ends"]
    assert list(zip(net.pair_a.tolist(), net.pair_b.tolist(), strict=True)) == want["pairs"]
    assert nw.degree(net).tolist() == want["degree"]
    got_volume = net.volume.tolist()
    assert all(a == b or (math.isnan(a) and math.isnan(b))
               for a, b in zip(got_volume, want["volume"], strict=True))  # type: ignore[call-overload]
