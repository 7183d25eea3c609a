"""The frozen bundle for tests/test_packaging.py, built by PyInstaller in the background.

The build takes a minute or two and mostly runs in its own process, so the session starts it as
soon as collection shows a frozen test will run (tests/conftest.py), niced, and the suite's other
tests run meanwhile (the frozen tests are moved to the end of the run). The ``bundle`` fixture then
waits for the build to end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "cluster-desk"


class FrozenBuild:
    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="cluster-desk-freeze-"))
        self.log = self.tmp / "pyinstaller.log"
        self.started = time.perf_counter()
        # Niced: the build only takes the CPU the tests leave (the suite's own process, its
        # page renderers, chromium and LibreOffice come first); the frozen tests run last.
        nice = ["nice", "-n", "10"] if shutil.which("nice") else []
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [*nice, sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                 "--distpath", str(self.tmp / "dist"), "--workpath", str(self.tmp / "build"),
                 str(ROOT / "build.spec")],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def folder(self, timeout: float = 1500) -> Path:
        """dist/cluster-desk once PyInstaller has ended well; AssertionError with its log if not."""
        code = self.proc.wait(timeout=timeout)
        assert code == 0, f"PyInstaller failed ({code}):\n{self.log.read_text(errors='replace')[-6000:]}"
        return self.tmp / "dist" / APP

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def discard(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


_build: FrozenBuild | None = None


def start() -> FrozenBuild:
    global _build
    if _build is None:
        _build = FrozenBuild()
    return _build


def discard() -> None:
    global _build
    if _build is not None:
        _build.discard()
        _build = None
