"""Benchmark the core on synthetic projects of 1,000 / 10,000 / 100,000 members (3 links each).

Reports figures, not pass/fail: full assessment, project open (open + members() + links()),
one edit commit (update_member), and CSV import of a file of that size into a new project the
way ``cluster-desk import`` does it (``io.import_into``: parse, match, store insert, one
transaction). Targets (issue 2, on a 2-core machine): assess 100k < 0.5 s, open < 1.5 s,
one edit < 20 ms, CSV import 100k < 3 s. The machine may be shared: figures are medians, and
the load average is printed before and after each size.

    python bench/bench_core.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cluster_desk.core.assessment import assess
from cluster_desk.core.model import Industry, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.io import import_into
from cluster_desk.io.formats.csv_roster import export_csv
from cluster_desk.store.project import Project
from cluster_desk.text import import_summary, text_for

EN = text_for("en")

TARGETS = {"assess": 0.5, "open": 1.5, "edit": 0.020, "csv import": 3.0}
_KINDS = [MemberKind.FIRM] * 80 + [MemberKind.RESEARCH] * 6 + [MemberKind.EDUCATION] * 6 + [
    MemberKind.FINANCE, MemberKind.AUTHORITY, MemberKind.INFRASTRUCTURE, MemberKind.CLUSTER_ORG,
    MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER]
_SECTORS = ["29.10", "29.31", "29.32", "22.11", "22.29", "25.50", "25.62", "27.32", "28.12", "71.12", "49.41"]


def synthetic(n: int, seed: int = 1) -> tuple[list[Member], list[Link]]:
    """n members scattered over ~300 km around Kazan (some unlocated) and 3 links per member."""
    rng = random.Random(seed)
    members = []
    for i in range(n):
        kind = rng.choice(_KINDS)
        located = rng.random() > 0.02
        members.append(Member(
            name=f"ООО «Компания {i}»", kind=kind,
            status=Status.MEMBER if rng.random() > 0.08 else Status.CANDIDATE,
            sector=rng.choice(_SECTORS) if kind is MemberKind.FIRM else "",
            industry=(rng.choice((Industry.CORE, Industry.RELATED)) if kind is MemberKind.FIRM
                      else Industry.UNSPECIFIED),
            employees=int(rng.lognormvariate(3.5, 1.4)),
            lat=round(55.79 + rng.gauss(0, 1.0), 5) if located else None,
            lon=round(50.5 + rng.gauss(0, 1.6), 5) if located else None,
            address=f"г. Казань, ул. Промышленная, д. {i % 200 + 1}",
            inn=f"16{rng.randrange(10**8):08d}",
            joined=f"20{rng.randrange(15, 25)}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}",
        ))
    kinds = list(LinkKind)
    links = []
    for i, m in enumerate(members):
        for _ in range(3):
            j = rng.randrange(n - 1)
            j += j >= i  # never a self-link
            kind = rng.choice(kinds)
            links.append(Link(source=m.id, target=members[j].id, kind=kind,
                              share=round(rng.uniform(0.01, 0.4), 3) if kind is LinkKind.SUPPLY else None))
    return members, links


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs (the machine is shared; the median resists outliers)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"CPU: {cpu}; {os.cpu_count()} cores; Python {platform.python_version()}; "
            f"SQLite {sqlite3.sqlite_version}; {platform.system()} {platform.release()}")


def bench(n: int, folder: Path, repeat: int) -> dict[str, float]:
    members, links = synthetic(n)
    path = folder / f"bench-{n}.cdesk"
    with Project.create(path, name=f"bench {n}") as p:
        p.add_members(members)
        p.add_links(links)
    settings = Project.open(path).settings()
    out: dict[str, float] = {}
    out["assess"] = timed(lambda: assess(members, links, settings), repeat)

    def open_all() -> None:
        with Project.open(path) as p:
            p.members()
            p.links()

    out["open"] = timed(open_all, repeat)
    with Project.open(path) as p:
        victims = iter(members)
        out["edit"] = timed(lambda: p.update_member(dataclasses.replace(next(victims), notes="edited")),
                            max(repeat, 5))
    csv_path = folder / f"roster-{n}.csv"
    export_csv(synthetic(n, seed=2)[0], csv_path)

    def csv_import() -> None:
        target = folder / f"import-{n}.cdesk"
        target.unlink(missing_ok=True)
        with Project.create(target) as p:
            report = import_into(p, csv_path)
        # synthetic() draws INNs at random: a few repeat and are reported, not imported.
        assert report.added + report.rows_skipped == n, import_summary(report, EN)

    out["csv import"] = timed(csv_import, repeat)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine())
    print(f"median of {args.repeat} runs (edit: of {max(args.repeat, 5)}); targets at 100k: "
          + ", ".join(f"{k} < {v * 1000:g} ms" if v < 1 else f"{k} < {v:g} s" for k, v in TARGETS.items()))
    print()
    header = f"{'members':>9} {'links':>8} " + " ".join(f"{k:>12}" for k in TARGETS)
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="cdesk-bench-") as tmp:
        for n in sizes:
            before = os.getloadavg()[0]
            r = bench(n, Path(tmp), args.repeat)
            cells = " ".join(f"{r[k] * 1000:>10.1f}ms" for k in TARGETS)
            load = f"(load {before:.2f} -> {os.getloadavg()[0]:.2f})"
            print(f"{n:>9,} {3 * n:>8,} {cells}   {load}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
