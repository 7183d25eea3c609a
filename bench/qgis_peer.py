"""The QGIS peer of bench_open's "open -> painted": the same members, exported with our own
GeoPackage export, loaded and rendered at 1400x900 by PyQGIS (bench/qgis_render.py).

PyQGIS lives in Debian's system Python (3.11 on Debian 12), not in the venv, so it runs as a
subprocess of ``/usr/bin/python3``. It is an optional bench dependency (scripts/system-deps.sh
``--bench``): without it the row says "QGIS not installed" and the bench goes on.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENDER = ROOT / "bench" / "qgis_render.py"
SYSTEM_PYTHON = "/usr/bin/python3"
PEER = "QGIS load+render of our GeoPackage export, 1400x900 (median of 3)"


def qgis_installed() -> bool:
    if not Path(SYSTEM_PYTHON).is_file():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60)
    return probe.returncode == 0


_EXPORT = """
import sys
from cluster_desk.io import export_roster
from cluster_desk.store.project import Project
with Project.open(sys.argv[1]) as p:
    export_roster(p.members(), None, sys.argv[2])
"""


def members_gpkg(project: Path) -> Path:
    """The project's members exported with our GeoPackage export (in a child process, so the
    bench's own memory figures stay the app's), cached beside the project (written again when
    the project file is newer)."""
    out = project.with_suffix(".members.gpkg")
    if out.exists() and out.stat().st_mtime >= project.stat().st_mtime:
        return out
    tmp = out.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    subprocess.run([sys.executable, "-c", _EXPORT, str(project), str(tmp)], check=True, env=env,
                   capture_output=True, timeout=3600)
    tmp.replace(out)
    return out


def load_and_render(gpkg: Path, repeat: int = 3, timeout: float = 600) -> tuple[float | None, str]:
    """(median seconds, "") or (None, why not)."""
    if not qgis_installed():
        return None, "QGIS not installed"
    try:
        done = subprocess.run([SYSTEM_PYTHON, str(RENDER), str(gpkg), "--repeat", str(repeat)],
                              capture_output=True, text=True, timeout=timeout,
                              env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                   "HOME": str(Path.home())})
    except subprocess.TimeoutExpired:
        return None, f"QGIS: no result in {timeout:.0f} s"
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("QGIS")), "")
    if line.startswith("QGIS "):
        return float(line.split()[1]), ""
    tail = (line or (done.stderr.strip().splitlines() or ["no output"])[-1])[:120]
    return None, f"QGIS failed: {tail}"


def peer_fields(project: Path) -> dict[str, object]:
    """``peer``/``peer_value`` for a run_bench row: QGIS's figure, or why there is none."""
    if not qgis_installed():
        return {"peer": "QGIS not installed (scripts/system-deps.sh --bench)", "peer_value": None}
    seconds, why = load_and_render(members_gpkg(project))
    return {"peer": PEER if seconds is not None else why, "peer_value": seconds}
