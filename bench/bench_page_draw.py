"""The map page's own drawing at 100,000 members / 300,000 links (issues 12 and 14), without the
window: a MapView offscreen at 1400x900 is given the members and the links (typed columns, as an
opened project sends them), then each kind of change is sent and timed until the page's ``drawn``
ack (Python clock), with the page's own figures (``performance.now()``):

* a date-slider step: ``showDay`` with ~5 % of the members off, ~5 % back and a mask of ~10 %
  of the links (what ui/timeline/past_map.py sends for one year);
* a link kind hidden / shown again (``linkStyle``), a member's links standing out (focus);
* one link removed (``removeLinks``: the undo of an added link) and one added (``upsertLinks``);
* the view moved (``centreOn``: zoom in, out and a pan at ``--zoom``; try ``--zoom 10``);
* the counters say how many full member / link draws each change caused.

``--rows``: the members and links go as an opened project sends them (ui/map/blobs.py: one blob
each, the links as rows of the members' blob, links.js setLinkRows), and the first paint's own
figures are printed (sent -> painted, the page's CPU, setMembers, setLinks, the count in view).

Figures, not pass/fail; report the load with them. Run:
``python bench/bench_page_draw.py [--members 100000] [--repeat 5] [--zoom 7] [--rows]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

import numpy as np  # noqa: E402
from bench_app import spin  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cluster_desk.core.model import DIRECTED_KINDS, LinkKind, MemberKind  # noqa: E402
from cluster_desk.ui.links.labels import LINK_COLOURS  # noqa: E402
from cluster_desk.ui.map.messages import b64  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402


def js(view: MapView, code: str):  # type: ignore[no-untyped-def]
    box: list[object] = []
    view.page().runJavaScript(f"JSON.stringify({code})", 0, box.append)
    spin(lambda: bool(box))
    return json.loads(box[0]) if box[0] else None  # type: ignore[arg-type]


def stats(view: MapView) -> dict:  # type: ignore[type-arg]
    return {"m": js(view, "window.__clusterDesk.stats()"), "l": js(view, "window.__clusterDeskLinks.stats()")}


def page_cpu() -> float:
    """CPU seconds used so far by this process's QtWebEngineProcess descendants (renderer, GPU
    and viz): what the page's work costs, whatever else the shared machine runs meanwhile."""
    me, kids = os.getpid(), {}  # type: ignore[var-annotated]
    stat: dict[int, list[str]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            stat[int(d.name)] = fields
            kids.setdefault(int(fields[1]), []).append(int(d.name))
    tick = os.sysconf("SC_CLK_TCK")
    total, stack = 0.0, list(kids.get(me, []))
    while stack:
        pid = stack.pop()
        total += (int(stat[pid][11]) + int(stat[pid][12])) / tick
        stack += kids.get(pid, [])
    return total


def drawn(view: MapView, seq: int) -> float:
    t0 = time.perf_counter()
    spin(lambda: view.last_drawn >= seq)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--zoom", type=int, default=7)
    ap.add_argument("--rows", action="store_true",
                    help="send members and links as an opened project does (blobs, links as member rows)")
    args = ap.parse_args()
    n = args.members
    app = QApplication.instance() or QApplication(sys.argv)
    view = MapView()
    view.resize(1400, 900)
    view.show()
    spin(lambda: view.is_ready)
    rng = np.random.default_rng(1)
    lat = 55.79 + rng.normal(0, 1.0, n)
    lon = 50.5 + rng.normal(0, 1.6, n)
    kinds = [k.value for k in MemberKind]
    ids = [f"m{i}" for i in range(n)]
    cols = {
        "id": ids,
        "name": [f"Member {i}" for i in range(n)],
        "kind": [kinds[i % len(kinds)] for i in range(n)],
        "status": ["candidate" if i % 12 == 0 else "member" for i in range(n)],
        "lat": b64(np.ascontiguousarray(lat, dtype="<f8")),
        "lon": b64(np.ascontiguousarray(lon, dtype="<f8")),
    }
    rows_seq = None
    if args.rows:  # as an opened project sends them: one blob each, the links as member rows
        codes = np.array([i % len(kinds) for i in range(n)], dtype=np.uint8)
        statuses = np.array([1 if i % 12 == 0 else 0 for i in range(n)], dtype=np.uint8)
        t_open, c_open = time.perf_counter(), page_cpu()
        rows_seq = view.send_blob("setMembers", {"lat": np.ascontiguousarray(lat, dtype="<f8"),
                                                 "lon": np.ascontiguousarray(lon, dtype="<f8"),
                                                 "kind": codes, "status": statuses},
                                  codes={"kind": kinds, "status": ["member", "candidate"]}, texts="later")
    else:
        view.send_command("setMembers", columns=cols)
    link_kinds = list(LinkKind)
    view.send_command(
        "configureLinks",
        kinds=[
            {"kind": k.value, "colour": LINK_COLOURS[k], "directed": k in DIRECTED_KINDS} for k in link_kinds
        ],
    )
    m = 3 * n
    src = rng.integers(0, n, m)
    dst = (src + rng.integers(1, n, m)) % n
    kind = rng.integers(0, len(link_kinds), m).astype(np.uint8)
    lcols = {
        "lat1": b64(np.ascontiguousarray(lat[src], dtype="<f4")),
        "lon1": b64(np.ascontiguousarray(lon[src], dtype="<f4")),
        "lat2": b64(np.ascontiguousarray(lat[dst], dtype="<f4")),
        "lon2": b64(np.ascontiguousarray(lon[dst], dtype="<f4")),
        "kind": b64(kind),
    }
    if rows_seq is not None:
        none = np.zeros(0, dtype="<i4")
        parts = {"src": src.astype("<i4"), "dst": dst.astype("<i4"), "kind": kind, "pathSlot": none,
                 "pathSize": none, "pathCoords": np.zeros(0, dtype="<f8")}
        view.send_blob("setLinks", parts, memberRows=rows_seq)
        view.send_command("setMemberTexts", rows=rows_seq, ids=ids, names=cols["name"])
    else:
        view.send_command("setLinks", columns=lcols, paths={})
    seq = view.centre_on(55.79, 50.5, args.zoom)
    t = drawn(view, seq)
    s = stats(view)
    if rows_seq is not None:
        ops = s["m"].get("opMs", {})
        print(f"blobs of member rows: sent -> painted {time.perf_counter() - t_open:.2f} s, page CPU "
              f"{page_cpu() - c_open:.2f} s; setMembers {ops.get('setMembers', 0):.0f} ms, setLinks "
              f"{s['l'].get('setLinksMs', 0):.0f} ms, count in view {s['l'].get('lastShareMs', 0):.0f} ms")
    print(
        f"{n:,} members / {m:,} links at zoom {args.zoom}, 1400x900 (load {os.getloadavg()[0]:.1f}): "
        f"first paint {t:.2f} s; full member draw {s['m'].get('lastFullDrawMs', 0):.0f} ms, "
        f"({s['m'].get('lastStampSkips', 0)} of {s['m'].get('lastDrawCount', 0)} under others), "
        f"link draw {s['l'].get('lastLinkDrawMs', 0):.0f} ms ({s['l'].get('linksDrawn')} drawn)"
    )

    def timed(label: str, send) -> None:  # type: ignore[no-untyped-def]
        walls, full, links, cpu = [], [], [], []
        page: dict[str, list[float]] = {}
        for r in range(args.repeat):
            before = stats(view)
            t0, c0 = time.perf_counter(), page_cpu()
            seq = send(r)
            spin(lambda s=seq: view.last_drawn >= s)
            walls.append(time.perf_counter() - t0)
            cpu.append(page_cpu() - c0)
            after = stats(view)
            full.append(after["m"]["canvasFullDraws"] - before["m"]["canvasFullDraws"])
            links.append(after["l"]["linkDraws"] - before["l"]["linkDraws"])
            for key, src_ in (
                ("op", after["m"].get("lastOpMs", 0)),
                ("frame", after["m"].get("lastFrameWaitMs", 0)),
                ("paint", after["l"].get("lastPaintMs", 0)),
                ("composite", after["l"].get("lastCompositeMs", 0)),
                ("share", after["l"].get("lastShareMs", 0)),
                ("members", after["m"].get("lastDrawMs", 0)),
            ):
                page.setdefault(key, []).append(float(src_))
        med = {k: statistics.median(v) for k, v in page.items()}
        print(
            f"  {label}: {statistics.median(walls) * 1000:.0f} ms to drawn (worst {max(walls) * 1000:.0f}); "
            f"page CPU {statistics.median(cpu) * 1000:.0f} ms; op {med['op']:.1f} ms, command to ack "
            f"{med['frame']:.0f} ms (last links paint {med['paint']:.0f}, composite {med['composite']:.0f}, "
            f"share {med['share']:.0f}; last members draw {med['members']:.0f}); full member draws "
            f"{statistics.mean(full):.1f}, full link draws {statistics.mean(links):.1f} per change"
        )

    pick = random.Random(3)
    off: list[str] = []

    def step(_r: int) -> int:
        nonlocal off
        back = off
        off = pick.sample(ids, n // 20)
        upsert = [
            {"id": i, "name": "x", "kind": kinds[0], "status": "member", "lat": 55.8, "lon": 50.5 + j * 1e-4}
            for j, i in enumerate(back)
        ]
        hide = pick.sample(range(m), m // 10)
        return view.send_command(
            "showDay", remove=off, upsert=upsert, links={"hide": hide, "show": [], "clear": True}
        )

    timed("slider step (showDay: 5 % off, 5 % back, 10 % links masked)", step)
    view.send_command("maskLinks", clear=True)
    timed("hide one link kind", lambda _r: view.send_command("linkStyle", hidden=[0], focus=[], selected=-1))
    timed("show it again", lambda _r: view.send_command("linkStyle", hidden=[], focus=[], selected=-1))
    focus = [int(x) for x in np.flatnonzero((src == 5) | (dst == 5))]
    timed(
        "a member's links stand out",
        lambda r: view.send_command("linkStyle", hidden=[], focus=focus if r % 2 == 0 else [], selected=-1),
    )
    timed("remove one link", lambda r: view.send_command("removeLinks", slots=[100 + r]))
    timed(
        "add one link",
        lambda r: view.send_command("upsertLinks", rows=[[100 + r, 55.8, 50.5, 56.0, 51.0, 1, 0, None]]),
    )
    # Zoom and pan at --zoom: the view moves, every canvas is painted again (at zoom 10 the
    # lines in view run across it: their raster, on the page's main thread, is most of it).
    moves = [(55.79, 50.5, args.zoom + 1), (55.79, 50.5, args.zoom), (55.79 + 0.3, 50.5 + 0.5, args.zoom),
             (55.79, 50.5, args.zoom)]
    timed(f"zoom in, out, pan at zoom {args.zoom} (each move)",
          lambda r: view.centre_on(*moves[r % len(moves)]))
    print(f"load after {os.getloadavg()[0]:.1f}")
    view.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
