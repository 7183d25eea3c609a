"""core.network.components against a plain reference (issue 17: the graph is made of the links,
repeats included, when the distinct pairs are not known yet; no sort of every pair first).

Random graphs with repeated links (a pair linked hundreds of times too), isolated members,
none, one member; the count and every row's label must be the reference's (components numbered
by their first row), with and without the pairs computed first."""

from __future__ import annotations

import numpy as np
from graph_reference import components_by_walk as reference
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member

DAY = "2026-01-01"


def records(n: int, ends: list[tuple[int, int]]) -> tuple[list[Member], list[Link]]:
    members = [Member(f"m{i}", id=f"m{i}") for i in range(n)]
    return members, [Link(f"m{a}", f"m{b}", LinkKind.SUPPLY, id=f"l{j}") for j, (a, b) in enumerate(ends)]


def network_of(n: int, ends: list[tuple[int, int]]) -> nw.Network:
    return nw.build_network(*records(n, ends), on=DAY)


graphs = st.integers(0, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))),
             max_size=60 if n else 0)))


@settings(max_examples=300, deadline=None)
@given(graphs, st.booleans())
def test_components_match_the_reference(graph: tuple[int, list[tuple[int, int]]], pairs_first: bool) -> None:
    n, ends = graph
    net = network_of(n, ends)
    if pairs_first:  # the distinct pairs known (degree() and the checks may have asked)
        net.pair_a  # noqa: B018
    count, labels = nw.components(net)
    assert (count, labels.tolist()) == reference(n, [(a, b) for a, b in ends if a != b])
    assert labels.dtype == np.int64


def test_a_pair_linked_many_times_still_joins_its_ends() -> None:
    """300 links between the same two members (a count that wraps a byte) and one other link."""
    ends = [(0, 1)] * 300 + [(1, 0)] * 300 + [(2, 3)]
    net = network_of(5, ends)
    assert "pairs" not in net.memo
    count, labels = nw.components(net)
    assert (count, labels.tolist()) == (3, [0, 0, 1, 1, 2]) == reference(5, ends)


def test_none_and_one_member() -> None:
    assert nw.components(network_of(0, []))[0] == 0
    count, labels = nw.components(network_of(1, []))
    assert (count, labels.tolist()) == (1, [0])


def test_summary_components_unchanged_by_the_order_asked() -> None:
    """summary() asks degree (pairs counted, not kept) and then components: the same figures
    as on a network whose pairs were computed first."""
    rng = np.random.default_rng(7)
    ends = [(int(a), int(b)) for a, b in rng.integers(0, 200, size=(400, 2))]
    fresh, primed = network_of(200, ends), network_of(200, ends)
    primed.pair_a  # noqa: B018
    assert nw.summary(fresh) == nw.summary(primed)
    count, _ = reference(200, [(a, b) for a, b in ends if a != b])
    assert nw.summary(fresh)["components"] == count
