"""Issue 17, the memory the rules hold while they run at a million members: a day network's
degrees and pair count come straight from its links (the pairs are not kept), the registry's
and focal tally keeps its counts in 32 bits, and a network the caller does not keep lets its gap
tally go before the next tally is built. Every figure stays what it was."""

from __future__ import annotations

import dataclasses
import json
import random
import subprocess
import sys

import numpy as np
import pytest
from glibc_heap import MALLINFO2
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_narrow_checks import random_members

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks import relations
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.tallies import COUNT, PairTally, RuleTally
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.core.network import Network, degree

DAY = "2026-06-01"


def _network(n: int, ends: list[tuple[int, int]]) -> Network:
    src = np.array([a for a, _ in ends], dtype=np.int32)
    dst = np.array([b for _, b in ends], dtype=np.int32)
    return Network(DAY, [None] * n, [None] * len(ends), {}, np.zeros(n, dtype=np.int64),  # type: ignore[list-item]
                   src, dst, np.zeros(len(ends), dtype=np.int8), np.full(len(ends), np.nan))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))),
                         max_size=0 if n < 2 else 120))))
def test_degrees_from_the_links_are_those_of_the_pairs(case: tuple[int, list[tuple[int, int]]]) -> None:
    """Repeated links, both directions of a pair, no link, one member: the same degrees and pair
    count as the distinct pairs give, and the pairs are not left in the memo."""
    n, ends = case
    ends = [(a, b) for a, b in ends if a != b]  # (a day network holds no loop)
    net = _network(n, ends)
    d = degree(net)
    assert "pairs" not in net.memo
    pairs = {(min(a, b), max(a, b)) for a, b in ends}
    want = np.zeros(n, dtype=np.int64)
    for a, b in pairs:
        want[a] += 1
        want[b] += 1
    assert d.dtype == np.int64 and d.tolist() == want.tolist()
    assert net.pair_count == len(pairs)
    fresh = _network(n, ends)  # the pairs, when asked for, agree
    assert fresh.pair_a.size == len(pairs) and degree(fresh).tolist() == want.tolist()


def test_a_pair_tally_keeps_no_pairs_and_counts_them() -> None:
    members, links, _settings = demo_cluster()
    net, _rows = Arrays(members, links).network(DAY)
    tally = PairTally.of(net)
    assert "pairs" not in net.memo
    assert tally.pair_count == net.pair_a.size  # (the pairs made now, on demand)


def test_the_rule_tally_counts_in_32_bits_as_in_64() -> None:
    """Each count of the registry's and focal tally is int32 and equals the int64 bincounts."""
    members, links, s = demo_cluster(seed=3)
    a = Arrays(members, links)
    net, rows = a.network(DAY)
    t = relations.rule_tally(a, rows, net, s)
    for name in ("qualified", "unpriced", "sales", "depend_on", "main"):
        assert getattr(t, name).dtype == COUNT, name
    assert t.sold.dtype == np.float64
    src, dst = net.src.astype(np.int64), net.dst.astype(np.int64)
    qual = RuleTally(t.sme, t.fixed)._classes(net.kind, src, dst, net.link_kind, net.volume)[0]
    want = np.bincount(src[qual], minlength=net.n) + np.bincount(dst[qual], minlength=net.n)
    assert t.qualified.tolist() == want.tolist()


def _roster(seed: int, n: int, m: int) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    link_kinds = list(LinkKind)
    members = random_members(rng, n)
    links = [Link(source=f"m{rng.randrange(n)}", target=f"m{rng.randrange(n)}", kind=rng.choice(link_kinds),
                  volume=rng.choice([None, 1e5, 3.3e6]), start=rng.choice([None, "2025-01-01"]),
                  id=f"l{j}") for j in range(m)]
    return members, links


def _facts(results: list) -> str:
    return json.dumps([[r.id, str(r.status), r.value, r.details, list(r.member_ids)] for r in results],
                      sort_keys=True, default=str)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_network_not_kept_gives_the_same_facts_and_lets_its_gap_tally_go(seed: int) -> None:
    """keep_tallies=False (the engine's choice above a million links): the same results, in the
    same order, the year-ago network too (dated links), and no gap tally left in the day's memo."""
    members, links = (demo_cluster(seed=seed)[:2] if seed == 0 else _roster(seed, 3_000, 9_000))
    s = demo_cluster()[2]
    kept = assess_arrays(Arrays(members, links), s, on=DAY)
    lean_arrays = Arrays(members, links)
    lean = assess_arrays(lean_arrays, s, on=DAY, keep_tallies=False)
    assert _facts(lean) == _facts(kept)
    assert [r.id for r in lean] == [r.id for r in kept]
    net = lean_arrays.network(DAY)[0]
    assert "gap_tally" not in net.memo and "pair_tally" in net.memo
    # and a link edit patched into that network afterwards still gives a fresh build's facts
    lk = dataclasses.replace(links[0], kind=LinkKind.EDUCATION if links[0].kind is not LinkKind.EDUCATION
                             else LinkKind.SUPPLY)
    lean_arrays.patch_links([lk], ())
    after = assess_arrays(lean_arrays, s, on=DAY, keep_tallies=False)
    assert _facts(after) == _facts(assess_arrays(Arrays(members, [lk, *links[1:]]), s, on=DAY))


_MAPPED = MALLINFO2 + """
import numpy as np
from cluster_desk.memory import map_big_blocks

if {turn_on}:
    assert map_big_blocks()
big = np.ones(30 * 2**20, dtype=np.uint8)
del big  # (glibc's own threshold would now rise to 30 MB)
before = libc.mallinfo2().hblkhd
block = np.ones(12 * 2**20, dtype=np.uint8)
print(libc.mallinfo2().hblkhd - before >= block.nbytes)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_big_blocks_get_mappings_of_their_own_once_asked() -> None:
    """After a 30 MB block is freed, glibc serves a 12 MB block from its heap; once
    map_big_blocks ran, from a mapping of its own (freed, it leaves the RSS at once). Each in a
    process of its own: the setting is the process's."""
    def mapped(turn_on: bool) -> bool:
        out = subprocess.run([sys.executable, "-c", _MAPPED.format(turn_on=turn_on)], capture_output=True,
                             text=True, check=True)
        return out.stdout.strip() == "True"

    try:
        import ctypes
        ctypes.CDLL("libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        pytest.skip("no glibc mallinfo2")
    assert not mapped(False)
    assert mapped(True)


def test_the_day_network_names_its_ids_through_the_arrays_own_column() -> None:
    """No copy of every participant's id: the network holds the arrays' id column and its rows,
    and names the same ids as before, also once a link edit has patched it."""
    members, links, _settings = demo_cluster(seed=2)
    a = Arrays(members, links)
    net, rows = a.network(DAY)
    assert net.id_array is a.ids and net.id_rows is rows
    some = [0, 3, len(rows) - 1]
    assert net.ids(some) == [members[int(r)].id for r in rows[some]]
    a.patch_links([dataclasses.replace(links[0], volume=12_345.0)], ())
    patched, rows = a.network(DAY)
    assert patched is not net and patched.ids(some) == [members[int(r)].id for r in rows[some]]
