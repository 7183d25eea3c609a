"""Start: the rest of the window is imported on a thread while the event loop serves the map
page (ui/app.py ``import_while_events_run``)."""

from __future__ import annotations

import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from cluster_desk.ui.app import import_while_events_run


def test_the_event_loop_runs_while_the_module_is_imported(qapp: Any, module_folder: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    gate = types.SimpleNamespace(opened=threading.Event(), importer="")
    monkeypatch.setitem(sys.modules, "cdesk_start_probe_gate", gate)
    (module_folder / "cdesk_start_probe_waits.py").write_text(
        "import threading, cdesk_start_probe_gate as gate\n"
        "gate.importer = threading.current_thread().name\n"
        # Only a turn of the GUI thread's event loop opens the gate (the timer below); the
        # timeout only keeps a broken build from hanging the suite.
        "OPENED = gate.opened.wait(60)\n")
    QTimer.singleShot(0, gate.opened.set)
    module = import_while_events_run("cdesk_start_probe_waits")
    assert module.OPENED
    assert gate.importer != threading.current_thread().name


def test_an_import_error_is_raised_on_the_gui_thread(qapp: Any, module_folder: Path) -> None:
    (module_folder / "cdesk_start_probe_broken.py").write_text("raise ValueError('broken on purpose')\n")
    with pytest.raises(ValueError, match="broken on purpose"):
        import_while_events_run("cdesk_start_probe_broken")
