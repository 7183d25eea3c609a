"""Benchmark core.network on synthetic clusters (default 100,000 members, 300,000 links).

Figures, not pass/fail: building the network arrays, each measure, the whole summary, and
scipy's connected components against a plain Python union-find on the same pairs (the reason
scipy is a dependency). Medians of ``--repeat`` runs; the load average is printed.

    python bench/bench_network.py [--members 100000] [--links 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable

from bench_core import emit

from cluster_desk.core import network as nw
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind

_KINDS = [MemberKind.FIRM] * 80 + [MemberKind.RESEARCH] * 6 + [MemberKind.EDUCATION] * 6 + [
    MemberKind.FINANCE, MemberKind.AUTHORITY, MemberKind.INFRASTRUCTURE, MemberKind.CLUSTER_ORG,
    MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER]  # fmt: skip


def synthetic(n: int, m: int, seed: int = 1) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    members = [
        Member(f"m{i}", rng.choice(_KINDS), id=f"m{i}", employees=int(rng.lognormvariate(3.5, 1.4)),
               output=rng.uniform(1e6, 1e9) if rng.random() > 0.1 else None)
        for i in range(n)
    ]  # fmt: skip
    kinds = list(LinkKind)
    links = []
    for _ in range(m):
        a = rng.randrange(n)
        b = rng.randrange(n - 1)
        b += b >= a
        links.append(Link(f"m{a}", f"m{b}", rng.choice(kinds),
                          volume=rng.uniform(1e5, 1e8) if rng.random() > 0.2 else None))  # fmt: skip
    return members, links


def union_find_components(n: int, a: list[int], b: list[int]) -> int:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in zip(a, b, strict=True):
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[rx] = ry
    return sum(1 for i in range(n) if find(i) == i)


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--links", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()}")
    members, links = synthetic(args.members, args.links)
    net = nw.build_network(members, links)
    print(f"{net.n:,} participants, {net.link_count:,} links, {net.pair_count:,} pairs")
    a, b = net.pair_a.tolist(), net.pair_b.tolist()
    rows: list[tuple[str, Callable[[], object]]] = [
        ("build_network", lambda: nw.build_network(members, links)),
        ("degree", lambda: nw.degree(net)),
        ("density", lambda: nw.density(net)),
        ("components (scipy csgraph)", lambda: nw.components(net)),
        ("components (Python union-find)", lambda: union_find_components(net.n, a, b)),
        ("degree_centralisation", lambda: nw.degree_centralisation(net)),
        ("horizontal_share", lambda: nw.horizontal_share(net)),
        ("helix_pair_links", lambda: nw.helix_pair_links(net)),
        ("focal", lambda: nw.focal(net)),
        ("gap_coverage", lambda: nw.gap_coverage(net)),
        ("registry", lambda: nw.registry(net)),
        ("summary (all measures)", lambda: nw.summary(net)),
    ]
    assert nw.components(net)[0] == union_find_components(net.n, a, b)
    for name, fn in rows:
        took = timed(fn, args.repeat)
        print(f"{name:34s} {took * 1000:9.1f} ms")
        if name == "components (scipy csgraph)":
            scipy = took
        elif name == "components (Python union-find)":  # the floor-or-peer of the scipy row
            emit("network: components (scipy)", args.members, scipy, "plain Python union-find", took)
        else:
            emit(f"network: {name}", args.members, took)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
