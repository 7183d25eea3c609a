"""The frozen bundle for tests/test_packaging.py, built by PyInstaller in the background.

The build takes a minute or two and mostly runs in its own process, so the session starts it as
soon as collection shows a frozen test will run (tests/conftest.py), niced, and the suite's other
tests run meanwhile (the frozen tests are moved to the end of the run). The ``bundle`` fixture then
waits for the build to end.

Under pytest-xdist every worker collects, but only one build may run: the controller makes one
shared folder (``share_with_workers``, passed on in the environment), the first worker to claim it
starts the build there, and whichever worker runs the frozen tests waits on the folder's lock
(held by the build's wrapper until it has left the exit code, ``rc``: no polling). The controller
kills and removes it at the end.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"
SHARED = "CLUSTER_DESK_TEST_FREEZE_DIR"  # set by the xdist controller for its workers

# Runs the build and leaves its exit code in argv[1] (written whole, then renamed), so that a
# process other than the one that started it can wait for the end.
_WRAP = ("import os, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
         "open(sys.argv[1] + '.part', 'w').write(str(code)); os.replace(sys.argv[1] + '.part', sys.argv[1])")


class FrozenBuild:
    def __init__(self, tmp: Path, *, start: bool, lock: BinaryIO | None = None) -> None:
        """``lock``: the shared folder's lock file, held exclusively by this worker (``start``:
        the build's wrapper inherits it and holds it until the exit code is written) or to be
        waited on (not ``start``: another worker's build holds it)."""
        self.tmp = tmp
        self.log = tmp / "pyinstaller.log"
        self.rc = tmp / "rc"
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = None if start else lock
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
                pass_fds=() if lock is None else (lock.fileno(),),
                start_new_session=True)  # its own process group: discard() ends PyInstaller's children too
        if lock is not None:
            lock.close()  # (the wrapper's inherited copy holds the lock now, until it ends)
        (tmp / "pid").write_text(str(self.proc.pid))

    def folder(self, timeout: float = 1500) -> Path:
        """dist/cluster-desk once PyInstaller has ended well; AssertionError with its log if not."""
        if self.proc is not None:
            self.proc.wait(timeout=timeout)
        elif self._lock is not None:  # started by another worker: its wrapper lets the lock go at the end
            fcntl.flock(self._lock, fcntl.LOCK_SH)
        assert self.rc.exists(), f"the frozen build in {self.tmp} ended without an exit code (killed?)"
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
            # The lock is taken before the folder is claimed: a worker that finds it held waits
            # for that build; one that takes it and claims the folder starts the build; one that
            # takes it but finds the folder made comes after a build that has ended.
            folder = Path(shared) / "build"
            lock = open(Path(shared) / "build.lock", "ab")  # noqa: SIM115 (held past this call)
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _build = FrozenBuild(folder, start=False, lock=lock)
            else:
                try:
                    folder.mkdir()
                except FileExistsError:
                    _build = FrozenBuild(folder, start=False, lock=lock)
                else:
                    _build = FrozenBuild(folder, start=True, lock=lock)
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
