"""Where the time goes (cProfile) in three works at 100,000 members with 300,000 links: importing
a CSV, opening a project (open + members() + links()), the full assessment. Prints the top
functions by own time and by cumulative time for each; the findings are summed up by hand in
bench/profile_notes.md, which ``make bench`` puts at the top of bench/RESULTS.md.
``--link-edit``: instead, the window's worker after one link is added, edited or deleted (issue
12: the assess engine patching its arrays and tallies), with each part's CPU time per edit.
``--rules PROJECT``: each rule's CPU time in a first assessment of that file (issue 17).
``--first PROJECT``: the window's worker on that file's first assessment, never cached (a fresh
arrays cache): CPU until the result goes out (the read, the rules) and of the distances' lane
that follows it (issue 17: the roster's distance to every member no longer delays the checks).

    python bench/profile_core.py [--n 100000] [--top 15] [--link-edit | --rules PROJECT | --first PROJECT]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def link_edits(n: int, top: int, edits: int = 30) -> None:
    """Links added, then edited, then deleted through the engine as the session hands them (a
    version and its LinkStep): the CPU time of each rule and of the patch per edit, then the
    profile of them all."""
    import statistics
    import time
    from collections import defaultdict
    from dataclasses import replace

    from cluster_desk.core.checks import context, relations, structure
    from cluster_desk.core.model import ClusterSettings, Link, LinkKind
    from cluster_desk.ui.project.assess_engine import AssessRequest, Engine, LinkStep

    members, links = bench_core.synthetic(n)
    settings = ClusterSettings(radius_km=200.0)
    engine = Engine()
    ms = tuple(members)
    by_id = {lk.id: lk for lk in links}
    steps: list[LinkStep] = []
    engine.assess(AssessRequest(ms, tuple(by_id.values()), settings, links_version=0))
    spent: dict[str, float] = defaultdict(float)
    def timer(part: str, fn: Callable[..., object]) -> Callable[..., object]:
        def timed(*a: object) -> object:
            c = time.thread_time()
            out = fn(*a)
            spent[part] += time.thread_time() - c
            return out
        return timed

    for mod, name in ((relations, "registry"), (relations, "focal"), (relations, "links"),
                      (structure, "helix"), (context.Arrays, "patch_links")):
        setattr(mod, name, timer(name, getattr(mod, name)))
    ids = [m.id for m in ms]
    added = [Link(ids[(i * 7919) % n], ids[(i * 104729 + 1) % n], LinkKind.RND, id=f"p{i}")
             for i in range(edits)]
    work = ([("add", (lk,), ()) for lk in added] + [("edit", (replace(lk, volume=1e6),), ()) for lk in added]
            + [("delete", (), (lk.id,)) for lk in added])
    per: dict[str, list[float]] = defaultdict(list)
    prof = cProfile.Profile()
    for version, (what, upserted, removed) in enumerate(work, 1):
        for lid in removed:
            del by_id[lid]
        for lk in upserted:
            by_id[lk.id] = lk
        steps = [*steps, LinkStep(version - 1, version, upserted, removed)][-16:]
        request = AssessRequest(ms, tuple(by_id.values()), settings, links_version=version,
                                link_steps=tuple(steps))
        spent.clear()
        c = time.thread_time()
        prof.enable()
        engine.assess(request)
        prof.disable()
        per[what].append(time.thread_time() - c)
        for part, seconds in spent.items():
            per[part].append(seconds)
    print(f"## link edits, {n:,} members / {len(by_id):,} links: CPU ms per edit (median, under cProfile)")
    for part, values in per.items():
        print(f"   {part:<12} {statistics.median(values) * 1000:7.2f}")
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        print(buf.getvalue()[buf.getvalue().find("   ncalls"):].rstrip() + "\n")


def rules_of_file(path: Path, top: int, repeat: int = 3) -> None:
    """The rules of a first assessment on a project file's arrays as the window's worker reads
    them after an open (the open's texts: names as a TextColumn), the smallest circles not
    cached: each rule's CPU time (the least of ``repeat`` runs on fresh arrays), then cProfile of
    one run (issue 17: bench_open's 1M file, under ``flock /tmp/cdesk-1m.lock``)."""
    import gc
    import time

    from cluster_desk.core.assessment import assess_arrays
    from cluster_desk.core.checks import context, geography, relations, structure
    from cluster_desk.core.tables import SharedTexts
    from cluster_desk.store.assess_columns import read_for_assessment

    project = Project.open(path)
    settings = project.settings()
    opened = project.open_columns()
    lk = opened.links
    texts = SharedTexts(opened.key, opened.members, lk.ids, (lk.source_index, lk.target_index), lk.kind_codes)
    parts = ((geography, "smallest_circles"), (geography, "_distances"), (geography, "locate"),
             (geography, "critical_mass"), (geography, "concentration"), (structure, "helix"),
             (structure, "cluster_org"), (relations, "focal"), (structure, "specialisation"),
             (relations, "links"), (relations, "registry"), (context.Arrays, "network"))
    spent: dict[str, list[float]] = {name: [] for _mod, name in parts} | {"all rules": []}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*a: Any, **k: Any) -> Any:
            c = time.process_time()
            out = fn(*a, **k)
            spent[name][-1] += time.process_time() - c
            return out
        return run

    for mod, name in parts:
        setattr(mod, name, timed(name, getattr(mod, name)))
    prof = cProfile.Profile()
    for run in range(repeat + 1):
        arrays, _keep = read_for_assessment(path, texts)
        for cache in (geography._CIRCLE_CACHE, geography._last, geography._last_dist):
            cache.clear()
        gc.collect()
        for values in spent.values():
            values.append(0.0)
        c = time.process_time()
        if run == repeat:
            prof.enable()
        assess_arrays(arrays, settings)
        prof.disable()
        spent["all rules"][-1] = time.process_time() - c
        del arrays
    print(f"## rules of {path.name}: CPU s, least of {repeat} (load {os.getloadavg()[0]:.1f})")
    for name, values in spent.items():
        print(f"   {name:<18} {min(values[:repeat]):6.3f}")
    body = io.StringIO()
    pstats.Stats(prof, stream=body).strip_dirs().sort_stats("cumulative").print_stats(top)
    print(body.getvalue()[body.getvalue().find("   ncalls"):].rstrip())


def first_assessment(path: Path, repeat: int = 3) -> None:
    """The session's request as the window's worker runs it after an open (the open's texts
    shared, nothing cached), ``repeat`` times on a fresh engine: the worker's CPU until the
    result, then the lane's (ui/project/distance_lane.py), and how many distances the lane took
    from the concentration rule."""
    import functools
    import gc
    import statistics

    from cluster_desk.core.checks import geography
    from cluster_desk.core.tables import SharedTexts
    from cluster_desk.store.assess_columns import read_for_assessment
    from cluster_desk.ui.project.assess_engine import AssessRequest, Engine
    from cluster_desk.ui.project.distance_lane import Measured, lane_after

    os.environ["CLUSTER_DESK_CACHE"] = tempfile.mkdtemp(prefix="cdesk-first-")  # (nothing cached)
    project = Project.open(path)
    settings = project.settings()
    opened = project.open_columns()
    lk = opened.links
    texts = SharedTexts(opened.key, opened.members, lk.ids, (lk.source_index, lk.target_index), lk.kind_codes)
    result: list[float] = []
    lane: list[float] = []
    shared = 0
    for _run in range(repeat):
        for cache in (geography._CIRCLE_CACHE, geography._last, geography._last_dist):
            cache.clear()
        gc.collect()
        engine = Engine()
        read = functools.partial(read_for_assessment, path, texts)
        done = engine.assess(AssessRequest(None, None, settings, distances=True, distances_later=True,
                                           read=read, version=0))
        result.append(done.cpu)
        follow = lane_after(done)
        measured = follow(engine) if follow is not None else None
        if isinstance(measured, Measured):
            lane.append(measured.cpu)
            shared = measured.shared
        del engine, done, follow, measured
    def listed(values: list[float]) -> str:
        return f"{statistics.median(values):6.3f}  ({', '.join(f'{v:.3f}' for v in values)})"

    print(f"## first assessment of {path.name}: worker CPU s, median of {repeat}"
          f" (load {os.getloadavg()[0]:.1f})")
    print(f"   until the result   {listed(result)}")
    if lane:
        print(f"   the distances lane {listed(lane)}; {shared:,} distances taken from the concentration rule")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--link-edit", action="store_true", help="the worker after one link edit (issue 12)")
    ap.add_argument("--rules", type=Path, metavar="PROJECT",
                    help="each rule's CPU on a project file's arrays, circles not cached")
    ap.add_argument("--first", type=Path, metavar="PROJECT",
                    help="the worker's first assessment of a file: CPU to the result, then the distances")
    args = ap.parse_args()
    n = args.n
    if args.first is not None:
        first_assessment(args.first)
        return 0
    if args.rules is not None:
        rules_of_file(args.rules, args.top)
        return 0
    if args.link_edit:
        link_edits(n, args.top)
        return 0
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
