"""Figures for the checks and the planner at scale (issue 13): full assessment, the geographic
part after a drag, and ranking 1,000 candidates. Figures, not tests: run with

    PYTHONPATH=$PWD .venv/bin/python bench/bench_checks.py [--members 100000] [--links 300000]

"From records" includes turning Member/Link records into arrays (what a first open pays);
"prepared arrays" is what the session pays per edit once it keeps the arrays (core.checks.context
.Arrays); "after a drag" moves one member in the prepared arrays and re-runs the geographic
checks only (the smallest circles are recomputed: the moved member may bound them).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable

from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import ClusterSettings, Industry, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.planner import rank_candidates

_KINDS = [MemberKind.FIRM] * 80 + [MemberKind.RESEARCH] * 6 + [MemberKind.EDUCATION] * 6 + [
    MemberKind.FINANCE, MemberKind.AUTHORITY, MemberKind.INFRASTRUCTURE, MemberKind.CLUSTER_ORG,
    MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER]  # fmt: skip


def synthetic(n: int, m: int, candidates: int, seed: int = 1) -> tuple[list[Member], list[Link]]:
    """Members around Kazan (most within ~250 km), dated joins, links of every kind with volumes."""
    rng = random.Random(seed)
    members = []
    for i in range(n):
        status = Status.CANDIDATE if i < candidates else Status.MEMBER
        members.append(Member(
            f"m{i}", rng.choice(_KINDS), status, id=f"m{i}", sector=f"{rng.randrange(10, 40)}.1",
            industry=rng.choice(list(Industry)), employees=int(rng.lognormvariate(3.5, 1.4)),
            lat=55.79 + rng.gauss(0, 1.0), lon=49.12 + rng.gauss(0, 1.6),
            joined=rng.choice([None, "2019-05-01", "2023-02-01"]),
            output=rng.uniform(1e6, 1e9) if rng.random() > 0.1 else None,
        ))  # fmt: skip
    kinds = list(LinkKind)
    links = []
    for j in range(m):
        a = rng.randrange(n)
        b = rng.randrange(n - 1)
        b += b >= a
        links.append(Link(f"m{a}", f"m{b}", rng.choice(kinds), id=f"l{j}",
                          start=rng.choice([None, "2022-01-01", "2025-09-01"]),
                          volume=rng.uniform(1e5, 1e8) if rng.random() > 0.2 else None))  # fmt: skip
    return members, links


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (the machine is shared: the CPU time
    is the better measure of the work itself when the load average is above the cores)."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--links", type=int, default=300_000)
    ap.add_argument("--candidates", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    members, links = synthetic(args.members, args.links, args.candidates)
    settings = ClusterSettings(centre_lat=55.79, centre_lon=49.12)
    day = "2026-06-01"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.members:,} members, {args.links:,} links, {args.candidates:,} candidates; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    arrays = Arrays(members, links)
    results = assess_arrays(arrays, settings, on=day)
    rows = {
        "records -> arrays": timed(lambda: Arrays(members, links), args.repeat),
        "full assessment from records": timed(lambda: assess(members, links, settings, on=day), args.repeat),
        "full assessment, prepared arrays": timed(
            lambda: assess_arrays(arrays, settings, on=day), args.repeat),
    }
    rng = random.Random(2)

    def drag() -> None:
        i = rng.randrange(args.candidates, args.members)
        arrays.lat[i] += 0.01
        arrays.lon[i] -= 0.01
        assess_arrays(arrays, settings, on=day, previous=results)

    rows["geographic part after a drag (prepared arrays)"] = timed(drag, args.repeat)
    centred = ClusterSettings()
    rows["  same, no centre set (smallest circle decides it)"] = timed(
        lambda: (drag(), assess_arrays(arrays, centred, on=day, previous=results)), args.repeat)
    rows[f"rank {args.candidates:,} candidates, prepared arrays"] = timed(
        lambda: rank_candidates(members, links, settings, on=day, arrays=arrays, results=results),
        args.repeat)
    rows[f"rank {args.candidates:,} candidates from records"] = timed(
        lambda: rank_candidates(members, links, settings, on=day), args.repeat)
    print(f"{'':<52} {'wall':>9}    {'cpu':>9}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<52} {wall * 1000:9.1f} ms {cpu * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
