"""Same work, other memory: does an operation's cost per item grow with the size because it does
more per item, or because its reads leave the CPU's caches? (bench/GROWTH.md's notes, issue 17.)

Each size is run twice over records made the same way (n members, 3n links, every end a fresh
str as from the file, the records allocated in the order they are read): *random*, each link's
ends anywhere among the members (the bench projects); *local*, the links in their sources'
order and each target a few rows after its source. The code, the counts of members, links,
probes and networks' links are the same; only where consecutive reads land differs. A cost
per item flat from 100,000 to 1,000,000 when local and growing when random is the memory.

    flock /tmp/cdesk-1m.lock python bench/growth_memory.py [--sizes 100000,1000000] [--repeat 3]

CPU seconds (time.process_time), best of ``--repeat``, ns per link (per member for the ids'
map); the load average beside each size.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from cluster_desk.core import network as nw
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.id_index import IdRows, row_map
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind

KINDS = [MemberKind.FIRM] * 8 + [MemberKind.RESEARCH, MemberKind.EDUCATION]
LINK_KINDS = list(LinkKind)


def records(n: int, layout: str, seed: int = 1) -> tuple[list[Member], list[Link], np.ndarray, np.ndarray]:
    """n members, 3n links; ``layout`` "random" or "local"; the ends' rows beside them."""
    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    members = [Member(f"m{i:07d}", pick.choice(KINDS), id=f"m{i:07d}") for i in range(n)]
    m = 3 * n
    if layout == "random":
        a = rng.integers(0, n, m)
        b = (a + rng.integers(1, n, m)) % n  # (never the source itself)
    else:
        a = np.arange(m) // 3
        b = (a + rng.integers(1, 9, m)) % n
    links = [Link(f"m{x:07d}", f"m{y:07d}", pick.choice(LINK_KINDS), id=f"l{j}")
             for j, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True))]
    return members, links, a, b


def best(fn: Callable[[], Any], repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        gc.collect()
        c = time.process_time()
        fn()
        out = min(out, time.process_time() - c)
    return out


def works(members: list[Member], links: list[Link], a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    """(work, callable, per how many items) of one size and layout."""
    ids = np.array([mb.id for mb in members], dtype=object)
    sources = [lk.source for lk in links]
    targets = [lk.target for lk in links]
    as_dict = dict(zip(ids.tolist(), range(len(ids)), strict=True))
    as_rows = IdRows(ids)
    net = nw.build_network(members, links)
    arrays = Arrays(members, links)
    n, m = len(members), len(links)
    return {
        "build_network": (lambda: nw.build_network(members, links), m),
        "day network from the arrays (the checks')": (
            lambda: (arrays.forget_networks(), arrays.network(net.day)), m),
        "records -> arrays (Arrays)": (lambda: Arrays(members, links), m),
        "ids' map made (row_map)": (lambda: row_map(ids), n),
        "ends found, dict (two gets a link)": (
            lambda: (np.fromiter(map(as_dict.get, sources), np.int64, m),
                     np.fromiter(map(as_dict.get, targets), np.int64, m)), m),
        "ends found, IdRows.find_many": (lambda: (as_rows.find_many(sources), as_rows.find_many(targets)), m),
        "ends as rows, numpy gather (kind[src], kind[dst])": (
            lambda: (net.kind[a], net.kind[b]), m),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated parts of work names")
    args = ap.parse_args()
    only = [w for w in args.only.split(",") if w]
    table: dict[tuple[str, str], dict[int, float]] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        for layout in ("local", "random"):
            recs = records(n, layout)
            load = os.getloadavg()[0]
            for work, (fn, per) in works(*recs).items():
                if only and not any(w in work for w in only):
                    continue
                ns = best(fn, args.repeat) / per * 1e9
                table.setdefault((work, layout), {})[n] = ns
                print(f"{n:>9,} {layout:6} {work:50} {ns:8.1f} ns  (load {load:.1f})", flush=True)
            del recs
    if len(sizes) > 1:  # cost per item from the smallest to the largest size: 1.00 is flat
        lo, hi = sizes[0], sizes[-1]
        print(f"\nper-item cost, {hi:,} ÷ {lo:,} (1.00: linear)")
        for (work, layout), cells in table.items():
            if lo in cells and hi in cells:
                ratio = cells[hi] / cells[lo]
                print(f"  {work:50} {layout:6} {cells[lo]:8.1f} -> {cells[hi]:8.1f} ns  x{ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
