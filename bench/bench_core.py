"""Benchmark the core on synthetic projects of 1,000 / 10,000 / 100,000 members (3 links each).

Reports figures, not pass/fail: full assessment, project open (open + members() + links()),
one edit commit (update_member), and CSV import of a file of that size into a new project the
way ``cluster-desk import`` does it (``io.import_into``: parse, match, store insert, one
transaction). Targets (issue 2, on a 2-core machine): assess 100k < 0.5 s, open < 1.5 s,
one edit < 20 ms, CSV import 100k < 3 s. The machine may be shared: figures are medians, and
the load average is printed before and after each size.

Each work has a floor measured in the same run: assessment vs pyproj's raw geodesic distances
(members to a centre and both ends of every link); open vs plain ``SELECT *`` of the two tables;
one edit vs a plain UPDATE + commit; CSV import vs ``csv.reader`` + ``executemany`` into one
table. ``results(sizes)`` returns the rows for ``bench/run_bench.py`` (see its docstring).

The CSV import row is not bench_io's "io: members csv import" (at 100,000 in make bench of
2026-12-01: 2.98x CPU against bench_io's 2.85x wall); it times a different roster and more of
the work:
- this roster's INNs are drawn at random, so ~90 % fail the check digit: the import files a note
  per row (90,000 at 100,000, kept as one compact run a batch and made when read: ~30 ms of CPU
  of ~1.25 s) and reports the rows whose INN repeats (~50 at 100,000, ~5,000 at 1,000,000: the
  repeats of random INNs grow with the square of the rows); bench_io's INNs are valid, as a
  real roster's mostly are;
- the time includes creating the project (its schema) and the backup before the import, and is
  wall time: at 1,000 rows the fixed part (~15 ms of CPU and the fsyncs of the project's
  creation, the backup and the commit, where the floor has one commit) is most of it;
- ours and the floor are measured in alternating pairs, wall and CPU ("(CPU)" row), the median
  of each side kept.

    python bench/bench_core.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
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


def emit(work: str, size: int, ours: float, peer: str | None = None, peer_value: float | None = None,
         unit: str = "s") -> None:
    """One machine-readable line for bench/run_bench.py (its docstring has the convention)."""
    import json

    row = {"work": work, "size": size, "ours": ours, "unit": unit, "peer": peer, "peer_value": peer_value}
    print("BENCH " + json.dumps(row), flush=True)


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

    out.update(floors(members, links, path, repeat))
    out.update(import_pairs(csv_import, lambda: floor_import(csv_path, folder), repeat))
    return out


def import_pairs(ours: Callable[[], object], floor: Callable[[], object], repeat: int) -> dict[str, float]:
    """The CSV import and its floor one after the other, ``repeat`` times: each side's median wall
    and CPU seconds (a shared machine's pace changes from one minute to the next)."""
    pairs = [(measure(ours), measure(floor)) for _ in range(repeat)]
    return {"csv import": statistics.median(p[0][0] for p in pairs),
            "csv import (CPU)": statistics.median(p[0][1] for p in pairs),
            "csv import floor": statistics.median(p[1][0] for p in pairs),
            "csv import (CPU) floor": statistics.median(p[1][1] for p in pairs)}


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall s, CPU s of this process) of one call."""
    cpu = time.process_time()
    wall = time.perf_counter()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def floors(members: list[Member], links: list[Link], path: Path, repeat: int) -> dict[str, float]:
    """The same work done the plainest way, in the same run: what the ratios are taken against."""
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    pos = {m.id: (m.lat, m.lon) for m in members if m.lat is not None and m.lon is not None}
    lat = np.array([p[0] for p in pos.values()])
    lon = np.array([p[1] for p in pos.values()])
    ends = [(pos[k.source], pos[k.target]) for k in links if k.source in pos and k.target in pos]
    a = np.array([e[0] for e in ends])
    b = np.array([e[1] for e in ends])

    def raw_distances() -> None:
        geod.inv(np.full(lat.size, 50.5), np.full(lat.size, 55.79), lon, lat)
        geod.inv(a[:, 1], a[:, 0], b[:, 1], b[:, 0])

    def plain_open() -> None:
        conn = sqlite3.connect(path)
        conn.execute("SELECT * FROM members").fetchall()
        conn.execute("SELECT * FROM links").fetchall()
        conn.close()

    conn = sqlite3.connect(path)
    ids = iter([r[0] for r in conn.execute("SELECT id FROM members")])

    def plain_edit() -> None:
        conn.execute("UPDATE members SET notes = 'edited' WHERE id = ?", (next(ids),))
        conn.commit()

    edit = timed(plain_edit, max(repeat, 5))
    conn.close()

    return {"assess floor": timed(raw_distances, repeat), "open floor": timed(plain_open, repeat),
            "edit floor": edit}


def floor_import(csv_path: Path, folder: Path) -> None:
    """The plainest import: csv.reader + one executemany into one untyped table, one commit
    (the floor every import ratio is measured against, here and in bench_io)."""
    target = folder / "floor.sqlite"
    target.unlink(missing_ok=True)
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        header = next(rows)
        db = sqlite3.connect(target)
        db.execute(f"CREATE TABLE t ({', '.join(f'c{i}' for i in range(len(header)))})")
        db.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(header))})", rows)
        db.commit()
        db.close()


FLOORS = {
    "assess": "pyproj Geod.inv: members to centre + link ends",
    "open": "plain sqlite3 SELECT * members, links",
    "edit": "plain UPDATE + commit",
    "csv import": "csv.reader + executemany, one table",
    "csv import (CPU)": "csv.reader + executemany, one table",
}
#: The rows' names for run_bench (what each one times; see the module docstring on the import).
_NOTED = "csv import (new project, a note a row: 90 % of INNs fail the check digit)"
WORKS = {"csv import": _NOTED, "csv import (CPU)": _NOTED + " (CPU)"}


def results(sizes: list[int], repeat: int = 3) -> list[dict]:
    """Rows for bench/run_bench.py: work, size, ours (seconds), peer, peer_value."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="cdesk-bench-") as tmp:
        for n in sizes:
            r = bench(n, Path(tmp), repeat)
            for work, peer in FLOORS.items():
                rows.append({"work": f"core: {WORKS.get(work, work)}", "size": n, "ours": r[work],
                             "peer": peer, "peer_value": r[f"{work} floor"]})
    return rows


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
