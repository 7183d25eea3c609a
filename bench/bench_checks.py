"""Figures for the checks and the planner at scale (issue 13): full assessment, the geographic
part after a drag, and ranking 1,000 candidates. Figures, not tests: run with

    PYTHONPATH=$PWD .venv/bin/python bench/bench_checks.py [--members 100000] [--links 300000]

"records -> arrays" is what a first assessment of an opened project pays once; "prepared arrays"
is the rules alone. "After an edit" and "after a drag" are what the session pays: it calls
assess(members, links) with one record replaced, which brings the arrays it kept up to date
(core.checks.context.Arrays.refreshed) instead of rebuilding them; a drag re-runs the geographic
checks only (distances and circles updated for the moved member unless it crosses a circle).
Also in ``make bench`` (``results()``: CPU seconds, links = 3 x members).

Where the window's first assessment from the arrays cache went at 100,000 / 300,000 (issue 17,
profiled at d41eccd, CPU at load ~5): the cache read 56-110 ms; the link id -> row map 120-180 ms,
built before the result (now after it is sent); the rules on fresh arrays 245-313 ms (gap tallies
2 x 35-40, the rule tally 65-77, the pair tally 24-28, the two days' networks 2 x 17-24, a record
built per name listed ~25, the geographic checks 25); and in a fresh process the smallest circles
200-300 ms (hidden in this bench's earlier rows: the same points were assessed before; now kept
in the arrays cache). "Prepared arrays" re-runs the rules on arrays whose day networks and
tallies are already built (38-60 ms): not a first assessment's cost.

Where "first assessment after a cold open, never cached" went (session 17, c807bcf, cProfile of
8 runs at load 5-7: ~800 ms CPU a run there, 522 idle): the read of the rest ~510, the rules
~290. Of the read: the REALs ~200 (output: 90,000 doubles, rule 8; volume: 240,000, rules 5
and 8; store.real_columns, 16 a row: the sqlite3 module's rows and SQLite's joined steps,
fetchall costs what fromiter does), the members' scan ~90 (sectors ~8, rules 1, 2, 6; industry,
special territory and organising production as one letter ~26, rules 1, 2, 6, 8; employees,
rules 5, 6, 8; joined, every rule), the links' ~90 (start, every link rule; a count beside each
joined date column ~20), numpy ~60 (dates ~38, divisions ~16, employees ~8). Ids, names, kinds,
statuses, places, link ids, ends and kinds are the open's (not read; names are cut per fact from
the open's TextColumn, ~2 ms idle). Of the rules: the geographic checks ~100 (smallest circles
in a fresh process ~68), the rule tally ~45, the gap tallies of the day and a year before ~32,
the two days' networks ~26, pairs and degrees ~22. Exact doubles some other way cost more in
SQLite 3.40 (measured on the 300,000 volumes: printf('%!.17g') 223 ms and not exact, a mantissa
and exponent by log2 +142 ms in the scan, integer and fraction 139 ms); scaled integers need each
window's largest value first (a scan more).

Where the rules of that row went (session 23, 132cd08, py-spy at 500 Hz over 20 assessments on
fresh arrays, circles forgotten: ~110-128 ms a run there): the geographic checks ~55-58 (the
smallest circles ~36: the two circles' fits ~20, the 90 % share ~9, unit vectors ~4, the points'
key ~2; exact geodesics beyond the radius ~14; concentration ~3-6), the network's ~57-70 (the
day's and the year before's pair tallies ~23, the gap tallies ~11, the rule tally ~12, the two
networks ~10). The year before's network is now taken from the day's when that holds every
link counting then (core.checks.context.Arrays._within; its degree sorts no codes), the degree
is counted from the links' ends less the repeats', and the members outside are ordered by
numpy's default sort unless two distances are equal: the rules on fresh arrays 102-108 -> 98-100
ms CPU (medians of 10, 4 alternating pairs, load 1.5-2), this row 309-324 -> 298-314, "after
an edit" 84-88 -> 71-73, "from the cache" 110-118 -> 102-114 (3 alternating runs, load 1.0-1.2).
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

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


def measure(n_members: int, n_links: int, n_candidates: int, repeat: int) -> dict[str, tuple[float, float]]:
    """(wall, cpu) seconds per work, on one synthetic roster."""
    members, links = synthetic(n_members, n_links, n_candidates)
    settings = ClusterSettings(centre_lat=55.79, centre_lon=49.12)
    day = "2026-06-01"
    arrays = Arrays(members, links)
    results = assess_arrays(arrays, settings, on=day)
    rows = {
        "records -> arrays (a first open)": timed(lambda: Arrays(members, links), repeat),
        "full assessment, prepared arrays": timed(lambda: assess_arrays(arrays, settings, on=day), repeat),
    }
    rng = random.Random(2)

    def edit() -> None:  # what the session pays after an edit: assess() reuses its arrays
        i = rng.randrange(n_candidates, n_members)
        members[i] = replace(members[i], employees=(members[i].employees or 0) + 1)
        assess(members, links, settings, on=day)

    def drag() -> None:  # ... and after a drag: one member moved, the geographic checks only
        i = rng.randrange(n_candidates, n_members)
        m = members[i]
        members[i] = replace(m, lat=(m.lat or 0) + 0.01, lon=(m.lon or 0) - 0.01)
        assess(members, links, settings, on=day, previous=results)

    assess(members, links, settings, on=day)  # the session's first assessment keeps the arrays
    rows["full assessment after an edit (session: assess())"] = timed(edit, repeat)
    rows["geographic part after a drag (session: assess())"] = timed(drag, repeat)
    rows.update(link_edits(members, links, settings, day, repeat))
    rows.update(file_reads(members, links, settings, day, repeat))
    centred = ClusterSettings()

    def drag_no_centre() -> None:
        i = rng.randrange(n_candidates, n_members)
        m = members[i]
        members[i] = replace(m, lat=(m.lat or 0) + 0.01, lon=(m.lon or 0) - 0.01)
        assess(members, links, centred, on=day, previous=results)

    drag_no_centre()
    rows["  same, no centre set (smallest circle decides it)"] = timed(drag_no_centre, repeat)
    arrays = Arrays(members, links)
    results = assess_arrays(arrays, settings, on=day)
    rows[f"rank {n_candidates:,} candidates, prepared arrays"] = timed(
        lambda: rank_candidates(members, links, settings, on=day, arrays=arrays, results=results), repeat)
    return rows


def link_edits(members: list[Member], links: list[Link], settings: ClusterSettings, day: str,
               repeat: int) -> dict[str, tuple[float, float]]:
    """What the window's worker pays after one link is added, edited or deleted (issue 12: the
    checks within 50 ms): the engine patches the link rows the session's LinkStep names and
    keeps the geographic results (ui/project/assess_engine.py)."""
    from cluster_desk.ui.project.assess_engine import AssessRequest, Engine, LinkStep

    engine = Engine()
    ms = tuple(members)
    by_id = {lk.id: lk for lk in links}
    state = {"version": 0, "steps": ()}
    engine.assess(AssessRequest(ms, tuple(by_id.values()), settings, on=day, links_version=0))
    rng = random.Random(3)

    def step(upserted: tuple[Link, ...], removed: tuple[str, ...]) -> None:
        before = int(state["version"])  # type: ignore[call-overload]
        for lid in removed:
            del by_id[lid]
        for lk in upserted:
            by_id[lk.id] = lk
        state["version"] = before + 1
        state["steps"] = (*state["steps"], LinkStep(before, before + 1, upserted, removed))[-16:]  # type: ignore[misc]
        snapshot = tuple(by_id.values())  # the session's snapshot (GUI thread, ~5 ms)
        done = engine.assess(AssessRequest(ms, snapshot, settings, on=day, links_version=before + 1,
                                           link_steps=state["steps"]))  # type: ignore[arg-type]
        assert done.arrays == "link edit", done.arrays

    def add() -> None:
        a, b = rng.sample(range(len(ms)), 2)
        step((Link(ms[a].id, ms[b].id, LinkKind.SUPPLY, id=f"new{rng.random()}", volume=1e6),), ())

    def edit() -> None:
        lk = by_id[rng.choice(list(by_id)[:1000])]
        step((replace(lk, volume=(lk.volume or 0) + 1),), ())

    def delete() -> None:
        step((), (rng.choice(list(by_id)[:1000]),))

    return {"link added: engine (patched rows)": timed(add, repeat),
            "link edited: engine": timed(edit, repeat),
            "link deleted: engine": timed(delete, repeat)}


def file_reads(members: list[Member], links: list[Link], settings: ClusterSettings, day: str,
               repeat: int, only_file_read: bool = False) -> dict[str, tuple[float, float]]:
    """What the window's worker pays for the first assessment after an open, with no record
    built (issue 17): the check columns read from the project file (store.assess_columns), or
    from the arrays a first read kept in the cache (store.arrays_cache: a warm open); then a
    drag as an EditStep (the moved member's row patched, the geographic checks only)."""
    import tempfile
    from pathlib import Path

    from cluster_desk.store import arrays_cache
    from cluster_desk.store.assess_columns import read_arrays, read_for_assessment
    from cluster_desk.store.project import Project
    from cluster_desk.ui.project.assess_engine import AssessRequest, EditStep, Engine

    folder = Path(tempfile.mkdtemp(prefix="cdesk-bench-checks-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["CLUSTER_DESK_CACHE"] = str(folder / "cache")
    path = folder / "roster.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    _arrays, keep = read_for_assessment(path)
    if keep is not None:
        keep()
    texts = cold_open_texts(path)
    # The members' id -> row map the window makes on a thread once the open has painted, for the
    # roster and the assessment alike (ui.project.loading._after_paint; ~0.1 s CPU at 100,000):
    # made here too, so each repeat of the rows after a cold open pays what the worker pays
    # (before, the first repeat made it; the medians did not count it either).
    texts.index()  # type: ignore[attr-defined]
    rows = {FILE_READ: timed(lambda: read_arrays(path), repeat),
            COLD_OPEN_READ: timed(lambda: cold_open_texts(path), repeat),
            AFTER_OPEN_READ: timed(lambda: read_after_open(path, texts), repeat),
            FLOOR_ROWS: timed(lambda: plain_read(path), repeat),
            FLOOR_SCAN: timed(lambda: scan_read(path), repeat),
            "arrays cache -> arrays (a warm open)": timed(lambda: arrays_cache.load(path, _key(path)),
                                                          repeat)}
    if only_file_read:
        return rows
    engine = Engine()
    state = {"version": 0}
    steps: list[EditStep] = []

    def request() -> AssessRequest:
        return AssessRequest(None, None, settings, on=day, read=lambda: read_for_assessment(path),
                             version=state["version"], steps=tuple(steps[-16:]))

    rows["first assessment from the cache (engine, rules included)"] = timed(
        lambda: Engine().assess(request()), repeat)
    never_cached = AssessRequest(None, None, settings, on=day,
                                 read=lambda: (read_after_open(path, texts), None))
    rows[NEVER_CACHED] = timed(lambda: (forget_circles(), Engine().assess(never_cached)), repeat)
    rows["  then after the result is sent (engine.tidy: link index)"] = after_send(request, repeat)
    rows["  the same, circles not cached (a fresh process)"] = timed(
        lambda: (forget_circles(), Engine().assess(request())), repeat)
    engine.assess(request())
    rng = random.Random(4)

    def drag() -> None:
        m = members[rng.randrange(len(members))]
        moved = replace(m, lat=(m.lat or 55.0) + 0.01, lon=(m.lon or 49.0) - 0.01)
        state["version"] += 1
        steps.append(EditStep(state["version"] - 1, state["version"], (moved,)))
        done = engine.assess(request())
        assert done.arrays == "positions", done.arrays

    rows["drag as an EditStep (engine, geographic part)"] = timed(drag, repeat)
    return rows


FILE_READ = "file -> arrays (first assessment, no records)"
#: A first open's read of the file (no columns snapshot: never opened on this machine), and the
#: window's first assessment after it, which takes the columns that read holds and reads the rest.
COLD_OPEN_READ = "file -> open's columns (a cold open, no snapshot)"
AFTER_OPEN_READ = "file -> arrays after a cold open (the rest of the columns)"
#: What the window shows first after a cold open of a file never assessed here: that read, the
#: rules and the smallest circles (a fresh process has none).
NEVER_CACHED = "first assessment after a cold open, never cached (engine, rules included)"
FLOOR_ROWS = "  floor: the same columns as rows (plain SELECT, fetchmany)"
FLOOR_SCAN = "  floor: SQLite visiting each of those values (max(), nothing out)"
#: The floor measured in the same run for a row (results(): its peer in bench/RESULTS.md).
FLOORS = {FILE_READ: FLOOR_ROWS}


def cold_open_texts(path: object) -> object:
    """The window's cold open's read (store.column_read: the columns snapshot is never current
    here, its cache folder is this bench's own and nothing writes one), as the assessment gets it."""
    from pathlib import Path

    from cluster_desk.store.column_read import open_columns
    from cluster_desk.store.project import Project
    from cluster_desk.ui.project.loading import OpenedColumns

    with Project.open(Path(str(path))) as p:
        read = open_columns(p)
    assert not read.from_snapshot
    return OpenedColumns(read.members, read.links, read.key).shared_texts()


def read_after_open(path: object, texts: object) -> object:
    """The first assessment's read after that open, the arrays cache left aside (a file never
    assessed here): the file's key compared, the open's columns taken, the rest read."""
    from pathlib import Path

    from cluster_desk.store.assess_columns import arrays_after_open, reading
    from cluster_desk.store.snapshot import file_key

    with reading(Path(str(path))) as conn:
        assert file_key(conn, Path(str(path))) == texts.key  # type: ignore[attr-defined]
        arrays = arrays_after_open(conn, texts)  # type: ignore[arg-type]
    assert arrays is not None
    return arrays


def _quoted(columns: tuple[str, ...], form: str = "{}") -> str:
    return ", ".join(form.format(f'"{c}"') for c in columns)


def plain_read(path: object) -> int:
    """What a plain reader pays for the same columns: every row as a tuple (131,072 at a time,
    dropped), nothing turned into arrays."""
    import sqlite3

    from cluster_desk.core.checks.roster_rows import LINK_VALUES, MEMBER_VALUES

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        n = 0
        for table, columns in (("members", MEMBER_VALUES), ("links", LINK_VALUES)):
            cursor = conn.execute(f"SELECT {_quoted(columns)} FROM {table}")
            while rows := cursor.fetchmany(131_072):
                n += len(rows)
        return n
    finally:
        conn.close()


def scan_read(path: object) -> list[object]:
    """SQLite's own floor: each of those values visited in one scan per table, nothing built
    (several aggregates in one query: no answer from an index)."""
    import sqlite3

    from cluster_desk.core.checks.roster_rows import LINK_VALUES, MEMBER_VALUES

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [conn.execute(f"SELECT {_quoted(columns, 'max({})')} "
                             f"FROM {table}").fetchone()
                for table, columns in (("members", MEMBER_VALUES), ("links", LINK_VALUES))]
    finally:
        conn.close()


def forget_circles() -> None:
    """Empty the smallest circles' caches (core.checks.geography): a window's first assessment
    after an open computes them (~0.2-0.3 s at 100,000 located members); the rows above reuse
    those of the earlier assessments of the same members in this process."""
    from cluster_desk.core.checks import geography

    geography._CIRCLE_CACHE.clear()
    geography._last.clear()
    geography._last_dist.clear()


def after_send(request: Callable[[], object], repeat: int) -> tuple[float, float]:
    """What the worker does once the first result is on its way (Engine.tidy: the link id -> row
    map for the next link edit; the arrays cache, when it was read from the file)."""
    from cluster_desk.ui.project.assess_engine import Engine

    wall, cpu = [], []
    for _ in range(repeat):
        engine = Engine()
        engine.assess(request())  # type: ignore[arg-type]
        t, c = time.perf_counter(), time.process_time()
        engine.tidy()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def _key(path: object) -> dict[str, object]:
    import sqlite3

    from cluster_desk.store.snapshot import file_key

    conn = sqlite3.connect(str(path))
    try:
        conn.execute("BEGIN")
        return file_key(conn, path)  # type: ignore[arg-type]
    finally:
        conn.close()


def results(sizes: list[int]) -> list[dict[str, object]]:
    """Rows for bench/run_bench.py: CPU seconds (the machine is shared), links = 3 x members."""
    out: list[dict[str, object]] = []
    for n in sizes:
        cands = max(10, min(1_000, n // 100))
        rows = measure(n, 3 * n, cands, repeat=5)
        floors = set(FLOORS.values())
        for work, (_wall, cpu) in rows.items():
            if work in floors:
                continue
            row: dict[str, object] = {"work": f"checks: {work.strip()} (CPU)", "size": n, "ours": cpu,
                                      "unit": "s"}
            if work in FLOORS:
                floor = FLOORS[work]
                row.update(peer=floor.strip().removeprefix("floor: "), peer_value=rows[floor][1])
            out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--links", type=int, default=300_000)
    ap.add_argument("--candidates", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--file-read-only", action="store_true",
                    help="only the first assessment's read of the file, and its floors")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.members:,} members, {args.links:,} links, {args.candidates:,} candidates; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    if args.file_read_only:  # (the first assessment's read and its floors, measured in one run)
        members, links = synthetic(args.members, args.links, args.candidates)
        rows = file_reads(members, links, ClusterSettings(), "2026-06-01", args.repeat, only_file_read=True)
    else:
        rows = measure(args.members, args.links, args.candidates, args.repeat)
    print(f"{'':<52} {'wall':>9}    {'cpu':>9}")
    for name, (wall, cpu) in rows.items():
        print(f"{name:<52} {wall * 1000:9.1f} ms {cpu * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
