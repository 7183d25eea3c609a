"""Launch -> the demo's map painted, from the source tree and from the frozen build (issue 17:
<= 2 s both, on an idle machine).

Both are timed the same way, from outside the app: ``cluster-desk DEMO.cdesk`` (``python -m
cluster_desk`` for the source; the PyInstaller bundle's executable for the frozen build) is
started offscreen with ``CLUSTER_DESK_START_MARK=FILE``: the app writes the wall clock at which
its map page acknowledged painting what the open sent (members and links) into FILE, which
this bench watches. The clock starts just before the process is launched. Runs alternate
source / frozen (the machine is shared); medians of 3. ``--devtools`` instead starts it with
Qt WebEngine's remote debugging port and waits, through ``devtools_probe``'s socket, for the
page to find its members and links drawn (one request the page answers once they are: a
build without the mark can be timed so). The DevTools session attached to the page costs the
app ~0.3 s of CPU by the paint (1.42-1.55 s to the paint vs 0.93-1.15 s unwatched, measured
from inside), so it times a slower start than a user's.
bench_open.py's ``app: start -> demo map painted`` times the source start from inside instead.

The frozen build: ``dist/cluster-desk`` when present (``make dist``), else one built from
build.spec into the temp directory, cached while the shipped files' commit is the same (about
1-2 min the first time; ``frozen_key``); with no PyInstaller or a failed build the row says so.

    python bench/bench_start.py [--runs 3] [--no-build]
    python bench/bench_start.py --against /tmp/old-checkout [--frozen-against OLD_EXE] --runs 6
    python bench/bench_start.py --phases [--against /tmp/old-checkout] --runs 6

``--against``: this checkout's start and another's (say the commit before a change), launched
in alternating pairs (old, new, new, old, ...; each side its own HOME, TMPDIR and
CLUSTER_DESK_CACHE), medians and ranges with the load; ``--frozen-against`` does the same for
this checkout's frozen build against another frozen executable.

``--phases``: where a source start's time goes, timed from inside (``_PHASES`` wraps ``run_app``'s
steps; nothing of it is in the app): seconds since the launch and the process's CPU seconds (all
its threads, Chromium's browser threads included) at each step, medians over the runs; with
``--against``, the other checkout's phases in alternating runs beside them.

Why ~500 lines: the launcher (source or frozen, each side's own HOME and caches), the frozen
build's cache, the alternating pairs and the in-process phases serve one figure and read best
together.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devtools_probe import free_port, page_socket

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"
PAINTED = """(() => {
  const d = window.__clusterDesk, l = window.__clusterDeskLinks;
  if (!d || !l) return false;
  const s = d.stats(), k = l.stats();
  return s.members > 0 && (s.lastDrawCount || 0) > 0 && k.linksDrawn > 0;
})()"""


#: ``PAINTED`` checked by the page itself at each animation frame (a timer as well, should frames
#: stop): one DevTools request answered once it holds, instead of one every 5 ms. That polling
#: cost the app's process ~0.6 s of CPU by the paint (its DevTools server and the renderer's
#: main thread answered each request) and slowed the start it measured.
PAINTED_PROMISE = f"""new Promise((resolve) => {{
  let done = false;
  const check = () => {{
    if (!done && {PAINTED}) {{ done = true; clearInterval(timer); resolve(true); }}
  }};
  const frame = () => {{ check(); if (!done) requestAnimationFrame(frame); }};
  const timer = setInterval(check, 50);
  frame();
}})"""


def wait_painted(port: int, timeout: float) -> bool:
    """Whether the app's page reports the demo painted before ``timeout`` seconds (one pending
    DevTools request; asked again if the page's context went away, as a page load does)."""
    deadline = time.monotonic() + timeout
    ws = page_socket(port, deadline)
    if ws is None:
        return False
    ws.sock.settimeout(max(deadline - time.monotonic(), 0.1))
    try:
        while time.monotonic() < deadline:
            ws.next_id += 1
            ws.send(json.dumps({"id": ws.next_id, "method": "Runtime.evaluate",
                                "params": {"expression": PAINTED_PROMISE, "awaitPromise": True,
                                           "returnByValue": True}}))
            while True:
                reply = json.loads(ws.receive())
                if reply.get("id") == ws.next_id:
                    break
            if reply.get("result", {}).get("result", {}).get("value") is True:
                return True
            time.sleep(0.01)  # the context went away (the page loading): ask the new one
    except OSError:
        return False
    finally:
        ws.close()
    return False


def frozen_key() -> str:
    """What the bundle is made of, as committed (git's tree ids of the shipped folders and the
    spec): a commit touching only bench/ or tests/ reuses the cached build. Uncommitted changes
    are not seen: ``make dist`` then, which this bench prefers."""
    listed = subprocess.run(["git", "ls-tree", "HEAD", "cluster_desk", "resources", "maps", "packaging",
                             "build.spec", "pyproject.toml"], cwd=ROOT, capture_output=True, text=True).stdout
    return hashlib.sha1(listed.encode()).hexdigest()[:12] if listed else "tree"


def frozen_app(build: bool = True) -> tuple[Path | None, str]:
    """(the frozen executable, "") or (None, why there is none)."""
    made = ROOT / "dist" / APP / APP
    if made.is_file():
        return made, ""
    cache = Path(tempfile.gettempdir()) / "cdesk-bench-frozen" / frozen_key()
    exe = cache / "dist" / APP / APP
    if exe.is_file():
        return exe, ""
    if not build:
        return None, "no frozen build (make dist)"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return None, "no frozen build: PyInstaller not installed"
    print(f"building the frozen app into {cache} ...", flush=True)
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--distpath", str(cache / "dist"), "--workpath", str(cache / "build"),
                           str(ROOT / "build.spec")], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    shutil.rmtree(cache / "build", ignore_errors=True)
    for old in cache.parent.iterdir():  # one cached build is enough: ~0.5 GB each
        if old.is_dir() and old != cache:
            shutil.rmtree(old, ignore_errors=True)
    if done.returncode != 0 or not exe.is_file():
        last = (done.stderr.strip().splitlines() or [""])[-1][:100]
        return None, f"no frozen build: PyInstaller failed ({last})"
    return exe, ""


@dataclass(frozen=True)
class Launch:
    """One launch until painted: wall seconds, and CPU seconds (user + system) spent by then by
    the app's own process (Python and Chromium's browser threads) and by it with its children
    (Chromium's renderer, GPU and zygote processes). On a loaded machine the wall time swings
    with the others' work; the CPU seconds much less."""

    wall: float
    cpu_app: float
    cpu_all: float


def process_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds so far of process ``pid``, and of it with all its descendants (Linux /proc;
    (0, 0) elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parent: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state ppid ... utime stime
        parent[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {pid}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        grew = bool(more)
        tree |= more
    return used.get(pid, 0.0), sum(used.get(p, 0.0) for p in tree)


def launch_to_painted(cmd: list[str], demo: Path, home: Path, timeout: float = 60,
                      root: Path = ROOT) -> float | None:
    """Seconds from launching ``cmd DEMO`` until the probe sees the demo painted (None: never);
    ``root``: the checkout a source start (``cmd`` of this Python) runs."""
    done = launch(cmd, demo, home, timeout, root)
    return None if done is None else done.wall


#: How a launch's paint is seen: "mark" (the app writes the time of the paint to a file:
#: ``CLUSTER_DESK_START_MARK``, ui/app.py) or "devtools" (the probe above, for an older build
#: without the mark; attached to the page, it slows the start it times by ~0.3 s).
PROBE = "mark"


def launch(cmd: list[str], demo: Path, home: Path, timeout: float = 60, root: Path = ROOT) -> Launch | None:
    """``launch_to_painted``, with the CPU seconds spent by then."""
    port = free_port()
    mark = home / f"painted-{port}.txt"
    mark.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "QTWEBENGINE_", "PYTEST"))}
    env.update({"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu",
                "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "CLUSTER_DESK_LANG": "en"})
    if PROBE == "devtools":
        env["QTWEBENGINE_REMOTE_DEBUGGING"] = f"127.0.0.1:{port}"
    else:
        env["CLUSTER_DESK_START_MARK"] = str(mark)
    if cmd[0] == sys.executable:
        env["PYTHONPATH"] = str(root)
    t0 = time.perf_counter()
    t0_clock = time.time()
    proc = subprocess.Popen([*cmd, str(demo)], env=env, cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        if PROBE == "devtools":
            ok = wait_painted(port, timeout)
            wall = time.perf_counter() - t0
        else:
            ok = wait_for_mark(mark, proc, timeout)
            wall = float(mark.read_text()) - t0_clock if ok else 0.0
        return Launch(wall, *process_cpu(proc.pid)) if ok else None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for_mark(mark: Path, proc: subprocess.Popen, timeout: float) -> bool:
    """Whether the app wrote its paint's time to ``mark`` within ``timeout`` seconds (the file
    is looked at every 5 ms: a stat, nothing the app's process does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if mark.read_text().strip():
                return True
        except (OSError, ValueError):
            pass
        time.sleep(0.005)
    return False


def measure(runs: int = 3, build: bool = True) -> list[dict]:
    exe, why = frozen_app(build)
    with tempfile.TemporaryDirectory(prefix="cdesk-bench-start-") as tmp:
        home = Path(tmp)
        demo = home / "demo.cdesk"
        subprocess.run([sys.executable, "-m", "cluster_desk", "demo", str(demo)], cwd=ROOT, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True)
        source_cmd = [sys.executable, "-m", "cluster_desk"]
        source: list[float] = []
        frozen: list[float] = []
        for _ in range(runs):
            got = launch_to_painted(source_cmd, demo, home)
            if got is not None:
                source.append(got)
            if exe is not None:
                got = launch_to_painted([str(exe)], demo, home)
                if got is not None:
                    frozen.append(got)
    src = statistics.median(source) if source else None
    if len(source) < runs or (exe is not None and len(frozen) < runs):
        print(f"painted within the timeout: source {len(source)} of {runs}, frozen {len(frozen)} of {runs}")
    rows: list[dict] = [{"work": "app: start -> demo painted (outside probe), source", "size": 1,
                         "ours": src, "peer": "goal (issue 17)", "peer_value": 2.0}]
    if exe is None:
        rows.append({"work": "app: start -> demo painted (outside probe), frozen build", "size": 1,
                     "ours": None, "peer": why, "peer_value": None})
    else:
        rows.append({"work": "app: start -> demo painted (outside probe), frozen build", "size": 1,
                     "ours": statistics.median(frozen) if frozen else None,
                     "peer": ("source start, same probe, same run" if frozen
                              else "the frozen app never painted"),
                     "peer_value": src if frozen else None})
    return rows


def alternate(sides: dict[str, tuple[list[str], Path]], runs: int) -> dict[str, list[Launch]]:
    """Launch -> painted of each side (name: (command, checkout)) in alternating order, ``runs``
    times each; prints every launch with the load. Failed launches are left out (and said)."""
    times: dict[str, list[Launch]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory(prefix="cdesk-bench-start-ab-") as tmp:
        folder = Path(tmp)
        demos = {}
        for name, (_cmd, root) in sides.items():
            demos[name] = folder / f"demo-{name}.cdesk"
            subprocess.run([sys.executable, "-m", "cluster_desk", "demo", str(demos[name])], cwd=root,
                           check=True, env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True)
        names = list(sides)
        for i in range(runs):
            for name in (names if i % 2 == 0 else names[::-1]):
                cmd, root = sides[name]
                home = folder / f"home-{name}"
                for sub in ("", "tmp", "cache"):
                    (home / sub).mkdir(exist_ok=True)
                saved = {k: os.environ.get(k) for k in ("TMPDIR", "CLUSTER_DESK_CACHE")}
                os.environ.update(TMPDIR=str(home / "tmp"), CLUSTER_DESK_CACHE=str(home / "cache"))
                try:
                    got = launch(cmd, demos[name], home, root=root)
                except OSError as e:  # the probe's socket: counted as a failed launch
                    print(f"{name}: probe failed ({e})")
                    got = None
                finally:
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k, None)
                        else:
                            os.environ[k] = v
                said = ("never painted" if got is None else
                        f"{got.wall:.2f} s, CPU {got.cpu_app:.2f} s app / {got.cpu_all:.2f} s with children")
                print(f"{name:>4} {said}  load {os.getloadavg()[0]:.1f}", flush=True)
                if got is not None:
                    times[name].append(got)
    for name, launches in times.items():
        if launches:
            walls = [g.wall for g in launches]
            cpus = [g.cpu_app for g in launches]
            alls = [g.cpu_all for g in launches]
            print(f"{name}: wall median {statistics.median(walls):.2f} s "
                  f"(range {min(walls):.2f}-{max(walls):.2f}); "
                  f"CPU app median {statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f}), "
                  f"with children {statistics.median(alls):.2f} s ({min(alls):.2f}-{max(alls):.2f}); "
                  f"{len(launches)} of {runs} painted")
        else:
            print(f"{name}: never painted")
    return times


#: Run as ``python -c`` (from a temp folder) with the demo's path: ``cluster-desk DEMO`` with each step of
#: ``run_app`` wrapped to note the time since CDESK_T0 (the launch) and the process's CPU; the last
#: line printed is the JSON of those notes. Stops 1 s after the assessment is shown (or at 60 s).
_PHASES = r"""
import json, os, sys, time
T0 = float(os.environ["CDESK_T0"])
notes = {}
def note(name):
    notes.setdefault(name, (round(time.time() - T0, 4), round(time.process_time(), 4)))
note("interpreter up")
from cluster_desk import cli
from cluster_desk.ui import app as app_mod
from PySide6.QtCore import QTimer

def wrap(owner, name, before, after):
    inner = getattr(owner, name)
    def wrapped(*args, **kwargs):
        note(before)
        out = inner(*args, **kwargs)
        note(after)
        return out
    setattr(owner, name, wrapped)

run_app = app_mod.run_app
def traced_run_app(path):
    note("run_app called")
    return run_app(path)
app_mod.run_app = traced_run_app
wrap(app_mod, "create_application", "QApplication starts", "QApplication made")
pending_import = app_mod.start_import
def start_import(name):
    from cluster_desk.ui.map.view import MapView
    init = MapView.__init__
    def view_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        note("map view made (Chromium starting)")
        self.ready.connect(lambda: note("page ready"))
        state["view"] = self
    MapView.__init__ = view_init
    pending = pending_import(name)
    wait = pending.wait
    def traced_wait():
        module = wait()
        note("window module imported")
        window_init = module.MainWindow.__init__
        def traced_window_init(window, *args, **kwargs):
            window_init(window, *args, **kwargs)
            note("window built")
            window.session.assessed.connect(assessed)
            open_path = window.files.open_path
            def traced_open(path):
                note("open called")
                out = open_path(path)
                note("open returned")
                state["seq"] = state["view"].seq
                state["view"].drawn.connect(drawn)
                return out
            window.files.open_path = traced_open
        module.MainWindow.__init__ = traced_window_init
        return module
    pending.wait = traced_wait
    return pending
app_mod.start_import = start_import
state = {}
def drawn(seq):
    if seq >= state["seq"]:
        note("demo painted")
def assessed(_results):
    note("assessment shown")
    QTimer.singleShot(1000, lambda: __import__("PySide6.QtWidgets").QtWidgets.QApplication.quit())
QTimer.singleShot(60_000, lambda: __import__("PySide6.QtWidgets").QtWidgets.QApplication.quit())
try:
    cli.main([sys.argv[1]])
finally:
    print(json.dumps(notes), flush=True)
    os._exit(0)
"""


def phases_once(demo: Path, home: Path, root: Path) -> dict[str, tuple[float, float]]:
    """One source start of the checkout ``root`` timed from inside: step -> (seconds since the
    launch, process CPU seconds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "QTWEBENGINE_", "PYTEST"))}
    env.update({"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu",
                "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "CLUSTER_DESK_LANG": "en",
                "PYTHONPATH": str(root), "CDESK_T0": repr(time.time())})
    # (cwd: the temp folder; from a checkout, ``-c`` would import that checkout's code first)
    out = subprocess.run([sys.executable, "-c", _PHASES, str(demo)], env=env, cwd=home, capture_output=True,
                         text=True, timeout=120).stdout
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    return {k: tuple(v) for k, v in json.loads(lines[-1]).items()} if lines else {}


def phases(roots: dict[str, Path], runs: int) -> None:
    """Print each step's median time since the launch and process CPU, per checkout (alternating)."""
    got: dict[str, list[dict[str, tuple[float, float]]]] = {name: [] for name in roots}
    with tempfile.TemporaryDirectory(prefix="cdesk-bench-phases-") as tmp:
        folder = Path(tmp)
        for name, root in roots.items():
            (folder / name).mkdir()
            demo = folder / name / "demo.cdesk"
            subprocess.run([sys.executable, "-m", "cluster_desk", "demo", str(demo)], cwd=root, check=True,
                           env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True)
        names = list(roots)
        for i in range(runs):
            for name in (names if i % 2 == 0 else names[::-1]):
                home = folder / name / f"home-{i}"  # a first start each time, as launch() has
                home.mkdir()
                notes = phases_once(folder / name / "demo.cdesk", home, roots[name])
                got[name].append(notes)
                painted = notes.get("demo painted")
                said = "never" if painted is None else f"{painted[0]:.2f} s, CPU {painted[1]:.2f} s"
                print(f"{name:>4}: painted {said}  load {os.getloadavg()[0]:.1f}", flush=True)
    steps = list(dict.fromkeys(step for runs_ in got.values() for notes in runs_ for step in notes))
    steps.sort(key=lambda step: statistics.median(n[step][0] for r in got.values() for n in r if step in n))
    head = f"step (median of {runs})"
    print(f"{head:<36}" + "".join(f"{name + ': s  CPU s':>20}" for name in names))
    for step in steps:
        cells = []
        for name in names:
            seen = [n[step] for n in got[name] if step in n]
            if not seen:
                cells.append(f"{'-':>19}")
                continue
            wall, cpu = statistics.median(t for t, _ in seen), statistics.median(c for _, c in seen)
            cells.append(f"{wall:>11.3f} {cpu:>7.3f}")
        print(f"{step:<36}" + " ".join(cells))


def results(sizes: list[int]) -> list[dict]:
    return measure()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--against", type=Path,
                    help="another checkout: alternate its source start with this one's")
    ap.add_argument("--frozen-against", type=Path, help="another frozen executable: alternate it with this "
                    "checkout's frozen build")
    ap.add_argument("--devtools", action="store_true", help="see the paint through the DevTools probe "
                    "(for a build without CLUSTER_DESK_START_MARK; slows the start it times)")
    ap.add_argument("--phases", action="store_true", help="where a source start's time goes, timed from "
                    "inside (with --against: both checkouts, alternating)")
    args = ap.parse_args()
    global PROBE
    PROBE = "devtools" if args.devtools else "mark"
    print(f"load average before: {os.getloadavg()} (paint seen by {PROBE})")
    if args.phases:
        phases({"old": args.against.resolve(), "new": ROOT} if args.against else {"this": ROOT}, args.runs)
        print(f"load average after: {os.getloadavg()}")
        return 0
    if args.against or args.frozen_against:
        source_cmd = [sys.executable, "-m", "cluster_desk"]
        if args.against:
            alternate({"old": (source_cmd, args.against.resolve()), "new": (source_cmd, ROOT)}, args.runs)
        if args.frozen_against:
            exe, why = frozen_app(not args.no_build)
            if exe is None:
                print(why)
            else:
                alternate({"old": ([str(args.frozen_against)], ROOT), "new": ([str(exe)], ROOT)}, args.runs)
        print(f"load average after: {os.getloadavg()}")
        return 0
    for row in measure(args.runs, not args.no_build):
        print(row)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
