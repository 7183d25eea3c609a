"""The frozen bundle for tests/test_packaging.py, built by PyInstaller in the background.

The build takes a minute or two and mostly runs in its own process, so the session starts it as
soon as collection shows a frozen test will run (tests/conftest.py), niced, and the suite's other
tests run meanwhile (the frozen tests are moved to the end of the run). The ``bundle`` fixture then
waits for the build to end.

Under pytest-xdist every worker collects, but only one build may run: the controller makes one
shared folder (``share_with_workers``, passed on in the environment), the first worker to claim it
starts the build there, and whichever worker runs the frozen tests waits for the exit code the
build leaves in that folder (``rc``). The controller kills and removes it at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"
SHARED = "CLUSTER_DESK_TEST_FREEZE_DIR"  # set by the xdist controller for its workers

# Runs the build and leaves its exit code in argv[1] (written whole, then renamed), so that a
# process other than the one that started it can wait for the end.
_WRAP = ("import os, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
         "open(sys.argv[1] + '.part', 'w').write(str(code)); os.replace(sys.argv[1] + '.part', sys.argv[1])")


class FrozenBuild:
    def __init__(self, tmp: Path, *, start: bool) -> None:
        self.tmp = tmp
        self.log = tmp / "pyinstaller.log"
        self.rc = tmp / "rc"
        self.proc: subprocess.Popen[bytes] | None = None
        if not start:  # another worker started it
            return
        (tmp / "started").write_text(repr(time.time()))
        # Niced: the build only takes the CPU the tests leave (the suite's own process, its
        # page renderers, chromium and LibreOffice come first); the frozen tests run last.
        nice = ["nice", "-n", "10"] if shutil.which("nice") else []
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [*nice, sys.executable, "-c", _WRAP, str(self.rc),
                 sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                 "--distpath", str(tmp / "dist"), "--workpath", str(tmp / "build"),
                 str(ROOT / "build.spec")],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)  # its own process group: discard() ends PyInstaller's children too
        (tmp / "pid").write_text(str(self.proc.pid))

    def folder(self, timeout: float = 1500) -> Path:
        """dist/cluster-desk once PyInstaller has ended well; AssertionError with its log if not."""
        if self.proc is not None:
            self.proc.wait(timeout=timeout)
        else:  # started by another worker: wait for the exit code it leaves
            deadline = time.monotonic() + timeout
            while not self.rc.exists():
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the frozen build in {self.tmp} did not end in {timeout} s")
                time.sleep(0.2)
        code = int(self.rc.read_text())
        assert code == 0, f"PyInstaller failed ({code}):\n{self.log.read_text(errors='replace')[-6000:]}"
        return self.tmp / "dist" / APP

    def seconds(self) -> float:
        return time.time() - float((self.tmp / "started").read_text())


def _end(folder: Path) -> None:
    """Kill a build still running in ``folder`` (its whole process group), then remove it."""
    pid = folder / "pid"
    if pid.exists() and not (folder / "rc").exists() and hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(int(pid.read_text()), signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


_build: FrozenBuild | None = None
_shared_by_me: Path | None = None  # the controller's shared folder


def share_with_workers() -> None:
    """In the xdist controller, before the workers start: one folder for the one build."""
    global _shared_by_me
    _shared_by_me = Path(tempfile.mkdtemp(prefix="cluster-desk-freeze-"))
    os.environ[SHARED] = str(_shared_by_me)


def start() -> FrozenBuild:
    """The session's build: started here, unless another worker of the same run has started it."""
    global _build
    if _build is None:
        shared = os.environ.get(SHARED)
        if shared:
            folder = Path(shared) / "build"
            try:
                folder.mkdir()  # atomic: the first worker to get here starts the build
            except FileExistsError:
                _build = FrozenBuild(folder, start=False)
            else:
                _build = FrozenBuild(folder, start=True)
        else:
            _build = FrozenBuild(Path(tempfile.mkdtemp(prefix="cluster-desk-freeze-")), start=True)
    return _build


def discard() -> None:
    """At the session's end: the build of a run without workers, or, in the xdist controller, the
    shared one (a worker leaves it: the other may still be using it)."""
    global _build, _shared_by_me
    if _shared_by_me is not None:
        _end(_shared_by_me / "build")
        shutil.rmtree(_shared_by_me, ignore_errors=True)
        _shared_by_me = None
    elif _build is not None and not os.environ.get(SHARED):
        if _build.proc is not None and _build.proc.poll() is None:
            _end(_build.tmp)
            _build.proc.wait()
        shutil.rmtree(_build.tmp, ignore_errors=True)
    _build = None
