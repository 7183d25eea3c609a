"""Where the time goes (cProfile) in three works at 100,000 members with 300,000 links: importing
a CSV, opening a project (open + members() + links()), the full assessment. Prints the top
functions by own time and by cumulative time for each; the findings are summed up by hand in
bench/profile_notes.md, which ``make bench`` puts at the top of bench/RESULTS.md.

    python bench/profile_core.py [--n 100000] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_core  # same folder

from cluster_desk.core.assessment import assess
from cluster_desk.io import import_into
from cluster_desk.io.formats.csv_roster import export_csv
from cluster_desk.store.project import Project


def profile(label: str, fn: Callable[[], object], top: int) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key)
        stats.print_stats(top)
        body = buf.getvalue()
        start = body.find("   ncalls")
        print(f"## {label}: by {key} (total {stats.total_tt:.2f} s under the profiler)")
        print(body[start:].rstrip() + "\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    n = args.n
    members, links = bench_core.synthetic(n)
    with tempfile.TemporaryDirectory(prefix="cdesk-prof-") as tmp:
        folder = Path(tmp)
        path = folder / "p.cdesk"
        with Project.create(path, name="profile") as p:
            p.add_members(members)
            p.add_links(links)
        csv_path = folder / "roster.csv"
        export_csv(bench_core.synthetic(n, seed=2)[0], csv_path)

        def csv_import() -> None:
            with Project.create(folder / "import.cdesk") as p:
                import_into(p, csv_path)

        def open_all() -> None:
            with Project.open(path) as p:
                p.members()
                p.links()

        with Project.open(path) as p:
            settings = p.settings()
        profile(f"import CSV {n:,}", csv_import, args.top)
        profile(f"open a {n:,}-member project", open_all, args.top)
        profile(f"full assessment {n:,}", lambda: assess(members, links, settings), args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
