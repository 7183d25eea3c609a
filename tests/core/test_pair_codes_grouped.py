"""The degree's pair codes grouped by their smaller end before timsort (issue 17) against a plain
reference: every link's code min * n + max, sorted by Python. Random links with repeats (a pair
linked many times), self-links, none, one, a hub holding most links (where the codes are not
grouped) and rows past 16 bits (where a key holds several rows); then the degree and the
distinct pairs' count of random networks against distinct neighbours counted with sets."""

from __future__ import annotations

import numpy as np
import pytest

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member

DAY = "2026-01-01"


def reference_codes(src: list[int], dst: list[int], n: int) -> list[int]:
    return sorted(min(a, b) * n + max(a, b) for a, b in zip(src, dst, strict=True))


def random_ends(rng: np.random.Generator, n: int, m: int, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """``m`` links among ``n`` rows: a few pairs repeated many times, the rest random."""
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    if m > 10:
        again = rng.integers(0, m, m // 4)  # (a quarter of the links repeat earlier pairs)
        src[again], dst[again] = src[again[0]], dst[again[0]]
        src[again[1::2]], dst[again[1::2]] = dst[again[0]], src[again[0]]  # (the other way round)
    return src.astype(dtype), dst.astype(dtype)


@pytest.mark.parametrize("grouped_from", [0, 2_000])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_pair_codes_are_the_sorted_codes(monkeypatch: pytest.MonkeyPatch, grouped_from: int,
                                         dtype: type) -> None:
    monkeypatch.setattr(nw, "_GROUP_MIN_LINKS", grouped_from)
    rng = np.random.default_rng(17 + grouped_from)
    for n, m in [(1, 0), (1, 1), (2, 1), (2, 7), (5, 0), (40, 300), (70_000, 5_000), (2**20 + 3, 9_000),
                 (3_000, 20_000), (300, 3_000)]:
        src, dst = random_ends(rng, n, m, dtype)
        got = nw._pair_codes(src, dst, n)
        assert got.dtype == np.int64
        assert got.tolist() == reference_codes(src.tolist(), dst.tolist(), n), (n, m)


def test_a_hub_holding_most_links_is_sorted_whole_and_right() -> None:
    """A hub on row 0 in over half the links: no grouping (timsort would sort its block from
    scratch), the same codes; just under half: grouped, the same codes."""
    rng = np.random.default_rng(5)
    n, m = 100_000, 20_000
    for hub_links, grouped in ((m // 2 + 1, False), (m // 2 - 200, True)):
        src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
        src[:hub_links] = 0
        assert (nw._group_key(np.minimum(src, dst), n) is not None) is grouped
        assert nw._pair_codes(src, dst, n).tolist() == reference_codes(src.tolist(), dst.tolist(), n)


def test_group_key_is_the_top_16_bits_of_the_smaller_end() -> None:
    rng = np.random.default_rng(9)
    for n in (3_000, 2**16, 2**16 + 1, 2**24 + 5):
        low = rng.integers(0, n, 5_000)
        key = nw._group_key(low.copy(), n)
        assert key is not None and key.dtype == np.uint16
        shift = max(0, (n - 1).bit_length() - 16)
        assert key.tolist() == [v >> shift for v in low.tolist()]
    assert nw._group_key(rng.integers(0, 10, nw._GROUP_MIN_LINKS - 1), 10) is None  # (few links)


def degree_reference(n: int, ends: list[tuple[int, int]]) -> tuple[list[int], int]:
    near: list[set[int]] = [set() for _ in range(n)]
    for a, b in ends:
        if a != b:
            near[a].add(b)
            near[b].add(a)
    return [len(s) for s in near], sum(len(s) for s in near) // 2


@pytest.mark.parametrize("seed", range(6))
def test_degree_and_pairs_match_the_reference(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(nw, "_GROUP_MIN_LINKS", 0)  # (grouped however few the links)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    src, dst = random_ends(rng, n, int(rng.integers(0, 600)), np.int64)
    ends = list(zip(src.tolist(), dst.tolist(), strict=True))
    members = [Member(f"m{i}", id=f"m{i}") for i in range(n)]
    links = [Link(f"m{a}", f"m{b}", LinkKind.SUPPLY, id=f"l{j}") for j, (a, b) in enumerate(ends)]
    want_degree, want_pairs = degree_reference(n, ends)
    net = nw.build_network(members, links, on=DAY)
    assert nw.degree(net).tolist() == want_degree
    assert net.pair_count == want_pairs
    again = nw.build_network(members, links, on=DAY)  # (the pairs first, then the degree from them)
    assert (again.pair_a.size, nw.degree(again).tolist()) == (want_pairs, want_degree)
    assert again.pair_a.tolist() == sorted(again.pair_a.tolist())
