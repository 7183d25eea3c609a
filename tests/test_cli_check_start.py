"""How ``cluster-desk check`` starts its process (issue 17, 1M ``check`` <= 3 s on 2 cores):
the file's quick_check starts before numpy, pyproj, the project's and the checks' modules are
imported (they load beside it), and numpy's OpenBLAS runs with one thread (its spare worker
spun on a core after each of the geodesy's matrix-vector products: 0.15-0.5 s of CPU at a
million members, taken from the command's own threads). Each run is a fresh interpreter: what is
imported, and OpenBLAS's thread count, are decided once per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk import cli

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/self/task")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("start") / "demo.cdesk"
    assert cli.main(["demo", str(path), "--seed", "1"]) == 0  # (the command line's own demo)
    return path


def _run(code: str, path: Path, tmp_path: Path) -> list[str]:
    """``code`` (with ``PATH`` the project) in a fresh interpreter; its stderr lines."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
                                                            "OMP_NUM_THREADS")}
    env.update(CLUSTER_DESK_CACHE=str(tmp_path / "cache"), LANG="en_GB.UTF-8",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", f"PATH = {str(path)!r}\n{code}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr.splitlines()


def test_the_quick_check_starts_before_numpy_and_the_checks_modules_load(demo: Path, tmp_path: Path) -> None:
    code = """
import sys
from cluster_desk.store import fileguard
real = fileguard.BackgroundCheck.start
def start(self):
    if not self.started:  # (wait() asks again once started)
        print("loaded:", sorted(m for m in ("numpy", "pyproj", "shapely", "cluster_desk.store.project",
                                            "cluster_desk.core.checks.context",
                                            "cluster_desk.store.assess_columns") if m in sys.modules),
              file=sys.stderr)
    real(self)
fileguard.BackgroundCheck.start = start
from cluster_desk import cli
assert cli.main(["check", PATH]) == 0
"""
    lines = [line for line in _run(code, demo, tmp_path) if line.startswith("loaded:")]
    assert lines == ["loaded: []"]


def test_numpy_computes_with_one_blas_thread(demo: Path, tmp_path: Path) -> None:
    """After the check every thread of its own has ended: the process is its main thread alone,
    no BLAS worker beside it (a user's own OPENBLAS_NUM_THREADS would be kept)."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("OpenBLAS starts no worker on one core")
    code = """
import os, sys
from cluster_desk import cli
assert cli.main(["check", PATH]) == 0
import numpy as np
np.ones((200_000, 3)) @ np.ones(3)  # (a product as the geodesy makes them)
print("threads:", len(os.listdir("/proc/self/task")), file=sys.stderr)
"""
    lines = [line for line in _run(code, demo, tmp_path) if line.startswith("threads:")]
    assert lines == ["threads: 1"]


def test_every_command_and_the_window_compute_with_one_blas_thread(demo: Path, tmp_path: Path) -> None:
    """``main`` sets it before anything loads numpy, whatever the command: the window's checks'
    worker makes the same products beside the GUI thread (here ``demo``, which opens no project
    for a check)."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("OpenBLAS starts no worker on one core")
    code = f"""
import os, sys
from cluster_desk import cli
assert cli.main(["demo", {str(tmp_path / "new.cdesk")!r}]) == 0
import numpy as np
np.ones((200_000, 3)) @ np.ones(3)
print("threads:", len(os.listdir("/proc/self/task")), "blas:", os.environ.get("OPENBLAS_NUM_THREADS"),
      file=sys.stderr)
"""
    lines = [line for line in _run(code, demo, tmp_path) if line.startswith("threads:")]
    assert lines == ["threads: 1 blas: 1"]
