"""Running the app's self-test in a child process: tests/test_self_test.py (from the source tree)
and tests/test_packaging.py (the frozen bundle and the extracted .deb)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path


def clean_env() -> dict[str, str]:
    """The environment a user's shell would give the frozen app (no venv, no test settings)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "QT_", "QTWEBENGINE_", "PYTEST", "VIRTUAL_ENV"))}
    env.setdefault("PATH", os.defpath)
    return env


def run(cmd: list[str], timeout: float, env: dict[str, str] | None = None,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd,
                          check=False)


def assert_self_test(proc: subprocess.CompletedProcess[str], where: str) -> float | None:
    """Self-test passed; returns the seconds from process start to map drawn, if reported."""
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"self-test of {where} exited {proc.returncode}:\n{out[-6000:]}"
    assert "self-test passed" in proc.stdout, out[-6000:]
    assert "FAILED" not in proc.stdout
    m = re.search(r"map drawn ([\d.]+) s after the process started", proc.stdout)
    return float(m.group(1)) if m else None


