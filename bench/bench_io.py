"""Import/export of N members in each format, a streamed 1,000,000-row CSV, and a field-copy merge.

.venv/bin/python bench/bench_io.py [--members 100000] [--stream-rows 1000000] [--edits 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import bench_core  # same folder: run as a script

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.io import ImportOptions, export_roster, import_into
from cluster_desk.store.merge import apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project
from cluster_desk.text import import_summary, text_for

EN = text_for("en")

FORMATS = (".csv", ".xlsx", ".geojson", ".kml", ".gpkg", ".html")


def machine() -> str:
    return f"{bench_core.machine()}; load average {os.getloadavg()[0]:.2f} (machine may be shared)"


def members(n: int, seed: int = 1) -> list[Member]:
    rnd = random.Random(seed)
    kinds = list(MemberKind)
    return [
        Member(
            f"ООО «Участник {i}»",
            kind=kinds[i % len(kinds)],
            inn=str(1600000000 + i),
            employees=rnd.randint(1, 5000),
            lat=round(54 + rnd.random() * 3, 6),
            lon=round(47 + rnd.random() * 6, 6),
            address=f"Казань, ул. {i}",
            notes="примечание",
        )
        for i in range(n)
    ]


def timed(label: str, fn) -> object:
    t = time.perf_counter()
    value = fn()
    print(f"  {label:<38} {time.perf_counter() - t:7.2f} s")
    return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--stream-rows", type=int, default=1_000_000)
    ap.add_argument("--edits", type=int, default=10_000)
    args = ap.parse_args()
    print(machine())
    n = args.members
    ms = members(n)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print(f"Export / import of {n:,} members:")
        for suffix in FORMATS:
            out = tmp / f"r{suffix}"
            timed(f"export {suffix}", lambda out=out: export_roster(ms, None, out))
            size = out.stat().st_size / 1e6
            if suffix == ".html":
                print(f"  {'(html size)':<38} {size:7.1f} MB")
                continue
            with Project.create(tmp / f"p{suffix}.cdesk") as p:
                report = timed(f"import {suffix} ({size:.1f} MB)", lambda p=p, out=out: import_into(p, out))
                assert report.added == n, (suffix, import_summary(report, EN), report.problems[:3])
                again = timed(f"re-import {suffix} (all unchanged)", lambda p=p, out=out: import_into(p, out))
                assert again.unchanged == n, import_summary(again, EN)
        if args.stream_rows:
            big = tmp / "big.csv"
            with big.open("w", encoding="utf-8") as f:
                f.write("name,inn,lat,lon,employees\n")
                for i in range(args.stream_rows):
                    f.write(
                        f"ООО «Участник {i}»,{1600000000 + i},{55 + (i % 1000) / 1e4},{49 + (i % 997) / 1e4},"
                        f"{i % 500}\n"
                    )
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            with Project.create(tmp / "big.cdesk") as p:
                report = timed(
                    f"stream import {args.stream_rows:,} rows CSV",
                    lambda p=p: import_into(p, big, ImportOptions()),
                )
                assert report.added == args.stream_rows
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"  {'max RSS before -> after (MB)':<38} {before / 1024:7.0f} -> {after / 1024:.0f}")
        print(f"Field-copy merge, {args.edits:,} edits on each side ({n:,} members):")
        master_path = tmp / "master.cdesk"
        with Project.create(master_path) as master:
            master.add_members(ms)
            timed("field copy", lambda: make_field_copy(master, tmp / "copy.cdesk"))
            ids = [m.id for m in ms]
            rnd = random.Random(2)
            with Project.open(tmp / "copy.cdesk") as copy:
                theirs = [replace(copy.member(i), notes="field") for i in rnd.sample(ids, args.edits)]
                copy.update_members(theirs)
            mine = [replace(master.member(i), employees=7) for i in rnd.sample(ids, args.edits)]
            master.update_members(mine)
            plan = timed("plan merge", lambda: plan_merge(master, tmp / "copy.cdesk"))
            print(f"  {'(changes, conflicts)':<38} {len(plan.ops)}, {len(plan.conflicts)}")
            report = timed("apply merge", lambda: apply_merge(master, plan, take="theirs"))
            print(f"  {'':<38} {import_summary(report, EN)}")
            again = timed("merge the same copy again", lambda: plan_merge(master, tmp / "copy.cdesk"))
            assert again.empty


if __name__ == "__main__":
    sys.exit(main())
