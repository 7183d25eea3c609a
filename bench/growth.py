"""Growth exponents for bench/RESULTS.md: how a work's time grows with its size.

For a work timed at several sizes, the exponent is the least-squares slope of log(time) on
log(size): 1.0 means linear (10x the members, 10x the time), 2.0 quadratic, ~0 constant.
Issue 17 asks every operation to be linear in members and links, shown from 1k to 1M.

Two users: bench/run_bench.py fits the exponents of every bench's rows for bench/RESULTS.md, and
the runner below (``python bench/growth.py``, ``make bench-growth``; ``--huge`` for 1,000,000)
times every operation at each size and writes bench/GROWTH.md.

Why ~485 lines: the fit and the runner share the rows' names and the table's layout, and the
runner's list of timed works (store, io, network, roster, links table) is one place to read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


class Growth(NamedTuple):
    """One work's growth: over all its sizes, and over its two largest (the top decade, where
    fixed costs such as a process start or a page frame no longer hide the per-member cost)."""

    overall: float
    top: float
    sizes: list[int]


def exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """Slope of log(time) on log(size) over (size, time) points; None with fewer than two
    distinct sizes or any size or time that is not positive (no logarithm)."""
    pts = [(math.log(s), math.log(t)) for s, t in points if s > 0 and t > 0]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def exponents(rows: Iterable[Mapping[str, Any]]) -> dict[str, Growth]:
    """Per work timed (unit "s") at 2+ sizes, in the order the works first appear. Rows without
    a positive time are left out of the fit."""
    by_work: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        ours, size = r.get("ours"), r.get("size") or 0
        if r.get("unit", "s") == "s" and isinstance(ours, (int, float)) and ours > 0 and size > 0:
            by_work.setdefault(r["work"], []).append((float(size), float(ours)))
    out: dict[str, Growth] = {}
    for work, pts in by_work.items():
        slope = exponent(pts)
        if slope is None:
            continue
        sizes = sorted({int(s) for s, _ in pts})
        top = exponent([(s, t) for s, t in pts if s >= sizes[-2]])
        out[work] = Growth(slope, slope if top is None else top, sizes)
    return out


def verdict(slope: float) -> str:
    """Words for the table: what an exponent (the top decade's) says about growth."""
    if slope < 0.2:
        return "about constant"
    if slope < 0.8:
        return "sublinear (fixed costs still weigh)"
    if slope <= 1.2:
        return "linear"
    if slope <= 1.5:
        return "superlinear"
    return "worse than n^1.5: look here"


# ----- the growth run: every operation at each size, its exponent ----------------------------------
#
#     python bench/growth.py [--sizes 1000,10000,100000] [--huge] [--only WORDS] [--profile WORK]
#                            [--out bench/GROWTH.md] [--add EARLIER.json]
#     flock /tmp/cdesk-1m.lock python bench/growth.py --huge      # the 1,000,000 column too
#     flock /tmp/cdesk-1m.lock python bench/growth.py --sizes 1000000 --out /tmp/g1m.md
#     python bench/growth.py --add /tmp/g1m.json                  # 1k..100k, with that 1M column
#
# Each size runs in a fresh process (one size's memory does not weigh on the next) over the
# cached bench project of n members and 3n links (bench_open.project_file: /tmp, written once;
# above 200,000 members with plain INSERTs). Every operation is timed in CPU seconds of the whole
# process (time.process_time: threads included; a shared machine's waits not counted) and wall;
# the exponent is fitted on the CPU seconds. ``--profile WORK`` cProfiles that work at every size
# and prints its top functions (where a superlinear work's time goes).

GROWTH_MD = "GROWTH.md"
#: Exponents above this (the top decade) are named in the page: the issue asks for linear.
TOO_FAST = 1.15


class Ctx:
    """What the operations of one size share: the project, its records and columns, a folder."""

    def __init__(self, n: int, folder: Any) -> None:
        from bench_open import project_file

        from cluster_desk.store.project import Project

        self.n = n
        self.folder = folder
        self.path = project_file(n)
        with Project.open(self.path) as p:
            self.members = p.members()
            self.links = p.links()
            self.settings = p.settings()
        self._arrays: Any = None
        self.project: Any = None  # held open for the edit
        self.edited: Any = None
        #: The CPU of a work's own core, when it does more (opens the file, reads a member first)
        self.own_cpu: float | None = None
        self.own_wall: float | None = None
        self.keep: Any = None
        self.net: Any = None  # the network the measures' rows time

    def arrays(self) -> Any:
        from cluster_desk.core.checks.context import Arrays

        if self._arrays is None:
            self._arrays = Arrays(self.members, self.links)
        return self._arrays


def operations(ctx: Ctx) -> list[tuple[str, Any]]:
    """(work, callable) in the order run; each callable does the whole work once."""
    import dataclasses
    import time
    from datetime import date

    from cluster_desk.core import assessment
    from cluster_desk.core import network as nw
    from cluster_desk.core.assessment import assess, assess_arrays
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.core.timeline import links_shown_on, statuses_on
    from cluster_desk.io import export_roster, import_into
    from cluster_desk.io.formats.csv_roster import export_csv
    from cluster_desk.io.links import export_links_csv, import_links
    from cluster_desk.store.edits import read_dated_years
    from cluster_desk.store.project import Project

    folder, n = ctx.folder, ctx.n
    day = "2020-12-31"
    today = date.today().isoformat()

    def check_open() -> None:  # the file guard and quick_check (the window runs it on a thread)
        Project.open(ctx.path).close()

    def open_columns() -> None:  # a window's first open (no snapshot): column_read's blobs, ids too
        import os
        import tempfile
        from unittest import mock

        from cluster_desk.core.later_texts import resolved

        with (tempfile.TemporaryDirectory() as cache, Project.open(ctx.path) as p,
              mock.patch.dict(os.environ, CLUSTER_DESK_CACHE=cache)):  # (no earlier open's snapshot)
            c = time.process_time()  # (the check is the work above: not in this one's time)
            read = p.open_columns()
            resolved(read.links.ids)  # (read on the links' thread: waited for, its CPU counted)
            ctx.own_cpu = time.process_time() - c

    def columns_row_by_row() -> None:  # the open's fallback for what the blobs cannot hold
        with Project.open(ctx.path) as p:  # (a separator inside a name or an id: odd files only)
            c = time.process_time()
            p.link_columns(p.member_columns())
            ctx.own_cpu = time.process_time() - c

    def records() -> None:
        with Project.open(ctx.path) as p:
            c = time.process_time()
            p.members()
            p.links()
            ctx.own_cpu = time.process_time() - c

    def one_edit() -> None:  # in the project the members import wrote (the bench's cached one stays
        # as it is: other benches open it warm), held open before, as a window holds it
        if ctx.project is None:
            raise RuntimeError("needs the members import first")
        m = ctx.edited or ctx.project.member(ctx.project.member_columns().ids[n // 2])
        c, w = time.process_time(), time.perf_counter()
        ctx.edited = ctx.project.update_member(dataclasses.replace(m, employees=(m.employees or 0) + 1))
        ctx.own_cpu = time.process_time() - c
        # (its wall too: the member's lookup above read every id, 11 s of the wall at 1M at load 19)
        ctx.own_wall = time.perf_counter() - w

    members_csv = folder / "members.csv"
    links_csv = folder / "links.csv"
    imported = folder / "imported.cdesk"

    def members_import() -> None:
        export_csv(ctx.members, members_csv) if not members_csv.exists() else None
        imported.unlink(missing_ok=True)
        with Project.create(imported) as p:
            report = import_into(p, members_csv)
        assert report.added >= 0.99 * n, report.problems[:3]  # a random INN may repeat: not imported twice

    def links_import() -> None:  # into the project the members import wrote
        export_links_csv(ctx.members, ctx.links, links_csv, lang="ru") if not links_csv.exists() else None
        with Project.open(imported) as p:
            report = import_links(p, links_csv)
        assert report.added >= 0.99 * len(ctx.links), report.problems[:3]  # repeated pairs update
        ctx.project = Project.open(imported)

    def built() -> Any:  # the network the row before built (not timed again here)
        if ctx.net is None:
            raise RuntimeError("needs the day's network: its row first")
        return ctx.net

    def day_network() -> None:
        """Today's network as the checks make it from their arrays (made by an earlier row; its
        participants too), none kept from before."""
        a = ctx.arrays()
        a.forget_networks()
        ctx.net = a.network(today)[0]

    def network_measures() -> None:
        """What the checks ask of a new network (its distinct pairs sorted once, shared)."""
        net = dataclasses.replace(built())  # (nothing computed kept: a fresh memo)
        nw.degree(net), nw.density(net), nw.gap_coverage(net)

    def full_assessment() -> None:
        """On arrays made before its time (the row above times making them). Until session 23
        the first ctx.arrays() was made inside this row: it timed the arrays' making too."""
        a = ctx.arrays()
        c, w = time.process_time(), time.perf_counter()
        assess_arrays(a, ctx.settings)
        ctx.own_cpu, ctx.own_wall = time.process_time() - c, time.perf_counter() - w

    def assess_records() -> None:
        """A first call, its arrays made from the records. (Until session 23 the warm-up's
        1,000 members' arrays, kept by assess() for the next call, were "refreshed" into these:
        a probe of their id map for each member, then the arrays made anyway.)"""
        with assessment._REUSED_LOCK:
            assessment._reused.clear()
        assess(ctx.members, ctx.links, ctx.settings)

    def as_of_day() -> None:
        a = ctx.arrays()
        part = a.participants(day)
        links_shown_on(a, day, part)
        statuses_on(a, day)

    return [
        ("store: open, file guard and quick_check", check_open),
        ("store: open, columns from the tables", open_columns),
        ("store: open, columns row by row (odd files' fallback)", columns_row_by_row),
        ("store: open, member and link records", records),
        ("store: timeline span (dated_years scan)", lambda: read_dated_years(ctx.path)),
        ("checks: records -> arrays", lambda: Arrays(ctx.members, ctx.links)),
        ("checks: full assessment, prepared arrays", full_assessment),
        ("core: assess (records)", assess_records),
        ("network: the day's network from the arrays (the checks')", day_network),
        ("network: degree, density and gaps of it", network_measures),
        ("timeline: one as-of day (participants, links shown, statuses)", as_of_day),
        ("io: export csv", lambda: export_roster(ctx.members, None, folder / "out.csv")),
        ("io: export gpkg", lambda: export_roster(ctx.members, None, folder / "out.gpkg")),
        ("io: export geojson", lambda: export_roster(ctx.members, None, folder / "out.geojson")),
        ("io: members csv import", members_import),
        ("io: links csv import", links_import),
        ("store: one member edit (timed alone)", one_edit),
        *roster_operations(ctx),
    ]


def roster_operations(ctx: Ctx) -> list[tuple[str, Any]]:
    """The roster and links tables over the session's records (offscreen Qt, no page)."""
    import os
    import time

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cluster_desk.core.model import MemberKind
    from cluster_desk.ui.links.model import LinksModel
    from cluster_desk.ui.project.session import ChangeSet, ProjectSession
    from cluster_desk.ui.roster.model import COL, RosterModel
    from cluster_desk.ui.roster.proxy import RosterProxy

    app = QApplication.instance() or QApplication([])
    session = ProjectSession()
    session.members = {m.id: m for m in ctx.members}
    session.links = {lk.id: lk for lk in ctx.links}
    session.project = object()  # the views' side only (as bench_roster)
    session.centre = (55.79, 50.5)
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    links = LinksModel(session)
    ctx.keep = (app, session, model, proxy, links)  # alive until the size is done

    def sort(column: str) -> Any:
        return lambda: proxy.sort(COL[column])

    def sort_by_region() -> None:
        """Until the rows are sorted by region: with many waiting, the click sorts by what is
        known and the regions' lookup runs on a thread; its answer comes through the event loop
        and the rows sort again (RosterModel._subjects_loaded)."""
        proxy.sort(COL["region"])
        while model._region_key_partial:
            app.processEvents()
            time.sleep(0.001)  # (CPU seconds are timed: the wait adds none)
        # The thread goes on after the codes to its id -> region map, and its answer is adopted
        # through the event loop: both in this row. (Left running, the process's CPU counted it
        # in the next row's: at 1,000,000 ~0.4 s of "sort by inn", read as its n^1.36; session 22.)
        loader = model.subjects._loader
        if loader is not None:
            loader.join()
        app.processEvents()

    def reset() -> None:
        """The reset and the work it starts on threads (a big roster's names ranked ahead): the
        CPU timed is the whole process's, so a thread left running would be counted in the
        next work's time instead."""
        model.apply_change(ChangeSet(reset=True))
        for thread in list(model.columns._warming.values()):
            thread.join()

    def links_reset() -> None:
        """The links table's reset (the GUI thread's work alone, no thread): its own CPU, best
        of 3. One reset of a few ms timed by the process's CPU read as 1.28 from 10,000 to
        100,000 in one run and 0.98 in the next; best of 7 of its own CPU is 22 ns a link at
        both sizes."""
        best = float("inf")
        for _ in range(3):
            c = time.thread_time()
            links._changed(ChangeSet(reset=True, links=True))
            best = min(best, time.thread_time() - c)
        ctx.own_cpu = best

    return [
        ("roster: model reset (and the names ranked on its thread)", reset),
        ("roster: distances (session, all)", lambda: session._measure(list(session.members))),
        ("roster: sort by name (cold)", sort("name")),
        ("roster: sort by region (cold)", sort_by_region),
        ("roster: sort by inn (cold)", sort("inn")),
        ("roster: sort by employees (cold)", sort("employees")),
        ("roster: text filter (cold)", lambda: proxy.set_text("компания 9")),
        ("roster: kind filter", lambda: proxy.set_kind(MemberKind.FIRM)),
        ("links table: model reset", links_reset),
    ]


def measure_size(n: int, only: list[str], profile: str, warm: bool = True) -> list[dict[str, Any]]:
    """Every operation at size ``n`` (this process): rows with CPU and wall seconds."""
    import cProfile
    import gc
    import io
    import os
    import pstats
    import tempfile
    import time
    from pathlib import Path

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="cdesk-growth-") as tmp:
        if warm:  # imports and one-time caches (region outlines, scipy) loaded before any timing,
            # so the small sizes time the work and not the first use: every work once at 1,000
            (Path(tmp) / "warm").mkdir()
            for work, fn in operations(Ctx(1_000, Path(tmp) / "warm")):
                if not only or any(w in work for w in only):
                    fn()
        t = time.perf_counter()
        ctx = Ctx(n, Path(tmp))
        print(f"# {n:,} members, {len(ctx.links):,} links: project and records in "
              f"{time.perf_counter() - t:.1f} s (load {os.getloadavg()[0]:.1f})", flush=True)
        for work, fn in operations(ctx):
            if only and not any(w in work for w in only):
                continue
            gc.collect()
            ctx.own_cpu = ctx.own_wall = None
            profiled = any(p in work for p in profile.split(",") if p)
            prof = cProfile.Profile(time.process_time) if profiled else None
            load = os.getloadavg()[0]
            c, w = time.process_time(), time.perf_counter()
            if prof is not None:
                prof.enable()
            try:
                fn()
            except Exception as e:  # one failing work is reported; the others still run
                print(f"#   {work}: FAILED {type(e).__name__}: {e}", flush=True)
                continue
            finally:
                if prof is not None:
                    prof.disable()
            cpu, wall = time.process_time() - c, time.perf_counter() - w
            if ctx.own_cpu is not None:  # a work that timed its own core
                cpu, ctx.own_cpu = ctx.own_cpu, None
            if ctx.own_wall is not None:
                wall, ctx.own_wall = ctx.own_wall, None
            rows.append({"work": f"growth: {work}", "size": n, "ours": cpu, "wall": wall, "load": load,
                         "links": len(ctx.links)})
            print(f"#   {work:<62} CPU {cpu:8.3f} s  wall {wall:8.3f} s  (load {load:.1f})", flush=True)
            if prof is not None:
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
                top = [f"#     {ln}" for ln in out.getvalue().splitlines() if ln.strip()]
                print("\n".join(top), flush=True)
    return rows


def results(sizes: list[int]) -> list[dict[str, Any]]:
    """Rows for bench/run_bench.py (via bench_growth.py), one child process per size."""
    return [r for n in sizes for r in run_child(n, [], "")]


def run_child(n: int, only: list[str], profile: str, timeout: float = 7200) -> list[dict[str, Any]]:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(here.parent), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--only", ",".join(only),
           "--profile", profile]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=here.parent)
    rows = []
    assert proc.stdout is not None
    for line in proc.stdout:  # the child's progress as it comes
        if line.startswith("ROW "):
            rows.append(json.loads(line[4:]))
        else:
            print(line.rstrip(), flush=True)
    proc.wait(timeout)
    return rows


def with_earlier(rows: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This run's rows, then an earlier run's of the (work, size) pairs not timed in this one."""
    timed = {(r["work"], r["size"]) for r in rows}
    return rows + [r for r in earlier if (r["work"], r["size"]) not in timed]


def growth_page(rows: list[dict[str, Any]], loads: tuple[Any, Any], when: str) -> str:
    sizes = sorted({r["size"] for r in rows})
    works = list(dict.fromkeys(r["work"] for r in rows))
    cell = {(r["work"], r["size"]): r for r in rows}
    exps = exponents(rows)
    head = "| work | " + " | ".join(f"{s:,}" for s in sizes) + " | exponent (all) | top decade | reads as |"
    lines = ["# Growth of every operation in members and links", "",
             "Written by `python bench/growth.py` (add `--huge` for 1,000,000, under "
             "`flock /tmp/cdesk-1m.lock`). CPU seconds of the whole process (threads included) per "
             "work, at n members and 3n links (the cached bench projects); the exponent is the "
             "least-squares slope of log CPU time on log size (1.0 = linear).", "",
             f"Load average (1, 5, 15 min) before: {loads[0]}, after: {loads[1]}; run at {when}.", "",
             head, "|---|" + "---:|" * len(sizes) + "---:|---:|---|"]
    for work in works:
        g = exps.get(work)
        cells = []
        for s in sizes:
            r = cell.get((work, s))
            cells.append("—" if r is None else (f"{r['ours'] * 1000:.1f} ms" if r["ours"] < 1
                                                 else f"{r['ours']:.2f} s"))
        flag = f" **> {TOO_FAST}**" if g and g.top > TOO_FAST else ""
        tail = f"{g.overall:.2f} | {g.top:.2f} | {verdict(g.top)}{flag}" if g else "— | — | —"
        lines.append(f"| {work.removeprefix('growth: ')} | " + " | ".join(cells) + f" | {tail} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    ap = argparse.ArgumentParser(description="Growth exponents of every operation, 1k..100k (1M with --huge)")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--huge", action="store_true", help="also 1,000,000 (run under flock /tmp/cdesk-1m.lock)")
    ap.add_argument("--only", default="", help="comma-separated parts of work names")
    ap.add_argument("--profile", default="",
                    help="cProfile the works whose names contain these (comma-separated), at every size")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / GROWTH_MD))
    ap.add_argument("--add", default="", help="a GROWTH.json of an earlier run (e.g. the 1,000,000 "
                    "column, run apart under the lock): its rows of the sizes and works not timed "
                    "here join this run's in the page")
    ap.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)  # a child: one size
    args = ap.parse_args(argv)
    only = [w for w in args.only.split(",") if w]
    if args.one:
        for row in measure_size(args.one, only, args.profile):
            print("ROW " + json.dumps(row), flush=True)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.huge else [])
    before = tuple(round(x, 2) for x in os.getloadavg())
    rows = [r for n in sizes for r in run_child(n, only, args.profile)]
    after = tuple(round(x, 2) for x in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M %Z")
    if args.add:  # the loads become pairs: this run's, then the earlier one's
        earlier = json.loads(Path(args.add).read_text(encoding="utf-8"))
        rows = with_earlier(rows, earlier["rows"])
        before, after = (before, earlier["load"][0]), (after, earlier["load"][1])
        when += f"; the sizes and works not timed then are from {Path(args.add).name} (an earlier run)"
    text = growth_page(rows, (before, after), when)
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    saved = {"rows": rows, "load": [before, after]}
    Path(args.out).with_suffix(".json").write_text(json.dumps(saved, indent=1), encoding="utf-8")
    print(f"wrote {args.out} and its .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
