"""Opening a project reads the file on a thread while the window keeps running its event loop;
past a moment a dialog names the file and can cancel the open, leaving the window as it was.
Real window offscreen, real files; the read is held at a gate (as the upgrade test holds its
upgrade) so that the GUI thread can be seen during it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import QTimer  # noqa: E402
from ui_helpers import TIMEOUT, chain_project, demo_file, make_window  # noqa: E402

from cluster_desk.ui.project import loading  # noqa: E402
from cluster_desk.ui.widgets import work_dialog  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


class HeldRead:
    """``loading.read_of`` held until ``go_on`` is set; the project it read, once it has."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at_read, self.go_on = threading.Event(), threading.Event()
        self.project: Any = None
        real = loading.read_of

        def held(project: Any) -> Any:
            self.project = project
            self.at_read.set()
            self.go_on.wait()
            return real(project)

        monkeypatch.setattr(loading, "read_of", held)
        monkeypatch.setattr(work_dialog, "SHOW_AFTER_MS", 0)


def poll(look: Any) -> QTimer:
    timer = QTimer(interval=5)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_the_window_runs_while_a_file_is_read_and_the_dialog_names_it(qtbot, tmp_path, monkeypatch) -> None:
    window = make_window(qtbot, tmp_path)
    first = demo_file(tmp_path)
    assert window.files.open_path(first)
    path = chain_project(tmp_path / "chain «40».cdesk")
    held = HeldRead(monkeypatch)
    seen: dict[str, Any] = {}

    def look() -> None:  # on the GUI thread, inside the open's wait
        dialog = window.files.opening_dialog
        if held.at_read.is_set() and dialog is not None and dialog.isVisible() and not held.go_on.is_set():
            seen.update(title=dialog.windowTitle(), text=dialog.label.text(),
                        shown=window.session.path, modal=dialog.isModal())
            held.go_on.set()

    timer = poll(look)
    try:
        assert window.files.open_path(path)
    finally:
        timer.stop()
    assert seen["title"] == "Opening the Project" and seen["modal"]
    assert seen["text"].startswith("Reading “chain «40».cdesk” (") and seen["text"].endswith(" kB)…")
    assert seen["shown"] == first  # the window showed its project meanwhile
    assert window.session.path == path and len(window.session.members) == 40
    assert len(window.session.links) == 39 and window.files.opening_dialog is None
    assert window.errors == []


def test_cancel_stops_the_open_and_keeps_the_project_shown(qtbot, tmp_path, monkeypatch) -> None:
    window = make_window(qtbot, tmp_path)
    first = demo_file(tmp_path)
    assert window.files.open_path(first)
    members = len(window.session.members)
    path = chain_project(tmp_path / "chain.cdesk")
    held = HeldRead(monkeypatch)

    def look() -> None:
        dialog = window.files.opening_dialog
        if held.at_read.is_set() and dialog is not None and dialog.isVisible():
            dialog.cancel_button.click()

    timer = poll(look)
    try:
        assert not window.files.open_path(path)  # at once, the read still held
    finally:
        timer.stop()
    assert not held.go_on.is_set() and window.errors == []
    assert window.session.path == first and len(window.session.members) == members
    assert window.files.opening_dialog is None
    # The read then ends, and the project it opened is closed: nobody adopts it.
    held.go_on.set()
    qtbot.waitUntil(lambda: held.project.closed, timeout=TIMEOUT)
    assert window.session.path == first and window.session.project is not held.project
    monkeypatch.undo()
    assert window.files.open_path(path) and len(window.session.members) == 40


def test_a_file_that_cannot_be_opened_is_reported_with_the_project_kept(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    first = demo_file(tmp_path)
    assert window.files.open_path(first)
    bad = tmp_path / "not a project.cdesk"
    bad.write_bytes(b"plain text, not SQLite\n" * 10)
    assert not window.files.open_path(bad)
    assert [title for title, _ in window.errors] == ["Cannot open project"]
    assert "not a project.cdesk" in window.errors[0][1]
    assert window.session.path == first and window.files.opening_dialog is None


@pytest.mark.skipif(shutil.which("xvfb-run") is None or shutil.which("xdotool") is None,
                    reason="xvfb and xdotool not installed (scripts/system-deps.sh installs them)")
def test_a_real_click_on_cancel_reaches_the_button(tmp_path) -> None:
    """A user's click, as the X server sends it: the wait had held every user event back (a loop
    that excludes them), the dialog's own too, so Cancel did nothing until the file was read."""
    child = Path(__file__).with_name("x11_cancel_child.py")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", sys.executable, str(child),
                          str(tmp_path)], env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got == {"opened": False, "clicked": True, "shown": "demo.cdesk", "read_closed": True}
