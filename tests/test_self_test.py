"""The self-test (``cluster-desk --self-test``) from the source tree, and its negative control.

The same self-test of the frozen bundle and of the extracted .deb is in tests/test_packaging.py.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from self_test_helpers import assert_self_test, run

ROOT = Path(__file__).resolve().parents[1]


def test_prepare_environment_sets_offscreen_and_keeps_flags() -> None:
    from cluster_desk.selftest import prepare_environment

    env = {"QT_QPA_PLATFORM": "xcb", "QTWEBENGINE_CHROMIUM_FLAGS": "--lang=ru --disable-gpu"}
    prepare_environment(env)
    assert env["QT_QPA_PLATFORM"] == "offscreen"
    flags = env["QTWEBENGINE_CHROMIUM_FLAGS"].split()
    assert flags.count("--disable-gpu") == 1 and "--lang=ru" in flags
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        assert "--no-sandbox" in flags  # Chromium will not start its sandbox as root


def test_self_test_from_source_tree_passes() -> None:
    """selftest.main() in a fresh interpreter (the scheme must be registered before Qt starts)."""
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    code = "import sys; from cluster_desk import selftest; sys.exit(selftest.main())"
    proc = run([sys.executable, "-c", code], timeout=120, cwd=ROOT)
    assert_self_test(proc, "the source tree")
    for step in ("qt", "demo", "open", "assessment", "passport", "charts", "map page", "map drawn",
                 "offline"):
        assert re.search(rf"\] ok +{step} ", proc.stdout), f"step {step!r} missing:\n{proc.stdout}"


def test_self_test_catches_a_remote_request() -> None:
    """Negative control: a page that asks for a remote URL must fail the self-test."""
    pytest.importorskip("PySide6.QtWebEngineWidgets")
    code = "import sys; from cluster_desk import selftest; sys.exit(selftest.main())"
    env = {**os.environ, "CLUSTER_DESK_SELFTEST_PROBE_REMOTE": "1"}
    proc = run([sys.executable, "-c", code], timeout=120, cwd=ROOT, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr[-3000:]
    assert "self-test FAILED" in proc.stdout and "off the machine" in proc.stdout, proc.stdout
    assert "example.invalid" in proc.stdout
