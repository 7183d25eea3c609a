"""Benchmark core.network on synthetic clusters (default 100,000 members, 300,000 links).

Figures, not pass/fail: today's network as the checks make it from their arrays
(``Arrays.network``, none kept from before) and from records (``build_network``, the tests' way
in), and what the checks ask of a new network: distinct neighbours (one sort of the links' pair
codes), density and the seven gaps. Medians of ``--repeat`` runs; the load average is printed.

    python bench/bench_network.py [--members 100000] [--links 300000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from bench_core import emit

from cluster_desk.core import network as nw
from cluster_desk.core.checks.context import Arrays
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
    day = date.today().isoformat()
    arrays = Arrays(members, links)
    net = arrays.network(day)[0]
    print(f"{net.n:,} participants, {net.link_count:,} links, {net.pair_count:,} pairs")

    def from_arrays() -> None:
        arrays.forget_networks()
        arrays.network(day)

    def fresh() -> nw.Network:  # (the same network, nothing it computed kept)
        return dataclasses.replace(net)

    rows: list[tuple[str, Callable[[], object]]] = [
        ("day network from the arrays (the checks')", from_arrays),
        ("build_network (records)", lambda: nw.build_network(members, links, on=day)),
        ("degree (a new network)", lambda: nw.degree(fresh())),
        ("density (a new network)", lambda: nw.density(fresh())),
        ("gap_coverage", lambda: nw.gap_coverage(net)),
    ]
    for name, fn in rows:
        took = timed(fn, args.repeat)
        print(f"{name:42s} {took * 1000:9.1f} ms")
        emit(f"network: {name}", args.members, took)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
