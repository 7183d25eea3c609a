"""Launch -> the demo's map painted, from the source tree and from the frozen build (issue 17:
<= 2 s both, on an idle machine).

Both are timed the same way, from outside the app: ``cluster-desk DEMO.cdesk`` (``python -m
cluster_desk`` for the source; the PyInstaller bundle's executable for the frozen build) is
started offscreen with Qt WebEngine's remote debugging port, and ``devtools_probe`` polls the
map page until the demo's members and links are drawn. The clock starts just before the
process is launched. Runs alternate source / frozen (the machine is shared); medians of 3.
bench_open.py's ``app: start -> demo map painted`` times the source start from inside instead.

The frozen build: ``dist/cluster-desk`` when present (``make dist``), else one built from
build.spec into the temp directory, cached while the shipped files' commit is the same (about
1-2 min the first time; ``frozen_key``); with no PyInstaller or a failed build the row says so.

    python bench/bench_start.py [--runs 3] [--no-build]
    python bench/bench_start.py --against /tmp/old-checkout [--frozen-against OLD_EXE] --runs 6

``--against``: this checkout's start and another's (say the commit before a change), launched
in alternating pairs (old, new, new, old, ...; each side its own HOME, TMPDIR and
CLUSTER_DESK_CACHE), medians and ranges with the load; ``--frozen-against`` does the same for
this checkout's frozen build against another frozen executable.
"""

from __future__ import annotations

import argparse
import hashlib
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
from devtools_probe import free_port, wait_true

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"
PAINTED = """(() => {
  const d = window.__clusterDesk, l = window.__clusterDeskLinks;
  if (!d || !l) return false;
  const s = d.stats(), k = l.stats();
  return s.members > 0 && (s.lastDrawCount || 0) > 0 && k.linksDrawn > 0;
})()"""


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


def launch(cmd: list[str], demo: Path, home: Path, timeout: float = 60, root: Path = ROOT) -> Launch | None:
    """``launch_to_painted``, with the CPU seconds spent by then."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "QTWEBENGINE_", "PYTEST"))}
    env.update({"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_REMOTE_DEBUGGING": f"127.0.0.1:{port}",
                "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu", "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / ".config"), "CLUSTER_DESK_LANG": "en"})
    if cmd[0] == sys.executable:
        env["PYTHONPATH"] = str(root)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*cmd, str(demo)], env=env, cwd=home, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        ok = wait_true(port, PAINTED, timeout)
        wall = time.perf_counter() - t0
        return Launch(wall, *process_cpu(proc.pid)) if ok else None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()}")
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
