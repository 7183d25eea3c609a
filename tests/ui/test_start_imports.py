"""Start (issue 17): what the app imports before the demo's first paint.

Run in fresh interpreters (subprocesses): ``sys.modules`` of the test process holds everything
the suite imported. Each list names modules the first paint does not need; importing one of
them again at start is a regression of the start time, not a bug a user would see, so these
tests pin the list. Add a module here when you make it lazy.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.ui.app import collect_after_first_paint, start_import

ROOT = Path(__file__).resolve().parents[2]

#: Not imported with the main window: dialogs opened on demand, the place index, the merge.
LATER_THAN_THE_WINDOW = [
    "cluster_desk.ui.offline.area_dialog",
    "cluster_desk.ui.project.settings_dialog",
    "cluster_desk.ui.project.member_form",
    "cluster_desk.ui.team.conflicts",
    "cluster_desk.store.merge",
    "cluster_desk.places.index",
    "cluster_desk.places.coords",
    "cluster_desk.io.roster",
    "matplotlib",
    "openpyxl",
    "osgeo",
    "psycopg",
]

#: Not imported by the GUI thread before the map page starts (run_app's own imports): the
#: tile downloader's network code (the window's thread may load it later, with pyproj).
LATER_THAN_THE_PAGE = ["http.client", "urllib.request", "email.utils", "ssl"]


def imported_after(code: str, names: list[str]) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter with this checkout first on the path; which of
    ``names`` it left imported, and whether a QCoreApplication existed."""
    probe = (f"{code}\nimport json, sys\nfrom PySide6.QtCore import QCoreApplication\n"
             f"print(json.dumps({{'loaded': [n for n in {names!r} if n in sys.modules],"
             f" 'app': QCoreApplication.instance() is not None}}))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "stderr": done.stderr}


def test_the_window_module_leaves_what_the_first_view_does_not_need() -> None:
    """Also: run_app imports the window on a thread while the QApplication is being made, so no
    module may make a Qt object (a QPixmap, a QFont) at import time; Qt would warn or abort."""
    got = imported_after("import cluster_desk.ui.shell.main_window", LATER_THAN_THE_WINDOW)
    assert got["loaded"] == []
    assert got["app"] is False
    assert "QGuiApplication" not in got["stderr"] and "QApplication" not in got["stderr"]


def test_the_gui_thread_starts_the_page_without_network_code() -> None:
    got = imported_after("import cluster_desk.cli\nfrom cluster_desk.ui import app, i18n, preferences\n"
                         "from cluster_desk.ui.map.view import MapView", LATER_THAN_THE_PAGE)
    assert got["loaded"] == []


def test_waiting_for_an_import_already_finished_returns_it(qapp: Any, module_folder: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    gate = types.SimpleNamespace(importer="")
    monkeypatch.setitem(sys.modules, "cdesk_start_probe_gate", gate)
    (module_folder / "cdesk_start_probe_done.py").write_text(
        "import threading, cdesk_start_probe_gate as gate\n"
        "gate.importer = threading.current_thread().name\n"
        "VALUE = 42\n")
    pending = start_import("cdesk_start_probe_done")
    finished = threading.Event()
    while not pending.finished:  # the thread's end, not a time
        finished.wait(0.001)
    assert pending.wait().VALUE == 42
    assert gate.importer != threading.current_thread().name


def test_the_collector_comes_back_once_the_opened_project_is_painted(qtbot: Any) -> None:
    """cli.cmd_app disables the cyclic collector for the start; run_app hands it to
    collect_after_first_paint, which enables it at the page's paint of what was sent."""
    from cluster_desk.ui.map.view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=60_000)
    try:
        gc.disable()
        collect_after_first_paint(view, opened=False)  # nothing opened: at once
        assert gc.isenabled()
        gc.unfreeze()
        gc.disable()
        seq = view.fit_all()  # stands for the opened project's commands
        collect_after_first_paint(view, opened=True)
        assert not gc.isenabled()  # the paint is reported through the event loop, not yet
        qtbot.waitUntil(gc.isenabled, timeout=60_000)
        assert view.last_drawn >= seq
        assert gc.get_freeze_count() > 0  # the start's objects are not walked again
    finally:
        gc.unfreeze()
        gc.enable()
