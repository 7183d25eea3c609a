"""The first open in a process (ui/shell/first_open.py): the map paints before the roster, what an
open imports on first use is imported after the page's first paint, and the start's paint mark.

The real window and map page (offscreen) and a real demo file.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import QEvent, QObject

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, demo_file, make_window  # noqa: E402

from cluster_desk.ui.app import mark_first_paint  # noqa: E402
from cluster_desk.ui.shell import first_open  # noqa: E402
from cluster_desk.ui.shell.first_open import WARM_MODULES, warm_after_first_paint  # noqa: E402


class _Paints(QObject):
    """Counts the paint events that reach a widget (installed before the window's own filters,
    so it sees only what they let through)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_the_first_open_paints_the_map_before_the_roster(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The roster's fallback release (the page has not painted in 3 s) is not this test's subject:
    # on a loaded machine the demo's page can take that long.
    monkeypatch.setattr(first_open, "FIRST_PAINT_AT_LATEST_MS", 600_000)
    window = make_window(qtbot, tmp_path)
    view = window.roster.view
    paints = _Paints()
    view.viewport().installEventFilter(paints)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    sent = window.map.seq
    # The roster has its rows, but does not paint them (the subjects' index its first paint
    # loads would hold up the page's data) until the page has painted what the open sent:
    # not even when the window repaints its area (the rows' scroll bar resizes the viewport).
    assert window.roster_model.rowCount() > 0
    assert not view.updatesEnabled()
    painted_before: list[int] = []
    window.map.drawn.connect(lambda seq: painted_before.append(paints.count) if seq >= sent else None)
    qtbot.waitUntil(lambda: window.map.last_drawn >= sent, timeout=TIMEOUT)
    assert painted_before and painted_before[0] == 0
    qtbot.waitUntil(view.updatesEnabled, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: paints.count > 0, timeout=TIMEOUT)  # then it paints
    # A later open is not held: the index is loaded by then.
    assert window.files.open_path(demo_file(tmp_path, "other.cdesk"))
    assert view.updatesEnabled()
    before = paints.count
    qtbot.waitUntil(lambda: paints.count > before, timeout=TIMEOUT)


def test_a_held_widget_is_released_at_the_latest_when_the_page_never_reports(qtbot: Any) -> None:
    from cluster_desk.ui.map.view import MapView

    view = MapView()  # never shown: its page reports no paint
    qtbot.addWidget(view)
    released: list[bool] = []
    first_open.when_painted(view, lambda: released.append(True), at_latest_ms=1)
    qtbot.waitUntil(lambda: released == [True], timeout=TIMEOUT)


def test_what_an_open_imports_is_imported_on_a_thread_after_the_first_paint(
        qtbot: Any, module_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_desk.ui.map.view import MapView

    gate = types.SimpleNamespace(importer="")
    monkeypatch.setitem(sys.modules, "cdesk_start_probe_gate", gate)
    (module_folder / "cdesk_start_probe_warm.py").write_text(
        "import threading, cdesk_start_probe_gate as gate\n"
        "gate.importer = threading.current_thread().name\n")
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    warmed = warm_after_first_paint(view, ("cdesk_start_probe_warm",))
    assert "cdesk_start_probe_warm" not in sys.modules  # not before the page has painted
    qtbot.waitUntil(warmed.is_set, timeout=TIMEOUT)
    assert view.last_drawn >= 1  # (configure, sent when the page said ready)
    assert "cdesk_start_probe_warm" in sys.modules
    assert gate.importer not in ("", threading.current_thread().name)


def test_the_warmed_modules_exist() -> None:
    assert all(importlib.util.find_spec(name) is not None for name in WARM_MODULES)


def test_the_start_marks_the_time_its_project_was_painted(qtbot: Any, tmp_path: Path) -> None:
    """What bench_start.py waits for (CLUSTER_DESK_START_MARK): the wall clock of the paint of
    everything sent so far, written once the page says so, not before."""
    from cluster_desk.ui.map.view import MapView

    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=TIMEOUT)
    seq = view.fit_all()  # stands for the opened project's commands
    mark = tmp_path / "painted.txt"
    before = time.time()
    mark_first_paint(view, mark)
    assert not mark.exists()  # the paint is reported through the event loop, not yet
    qtbot.waitUntil(mark.exists, timeout=TIMEOUT)
    assert view.last_drawn >= seq
    assert before <= float(mark.read_text()) <= time.time()


def test_towns_built_while_the_page_paints_an_open_are_sent_after_that_paint(qtbot: Any) -> None:
    """The towns layer's thread may finish in the middle of a first open (a project opened
    right after the start): its ~1.7 MB wait until the page has painted what it was given."""
    import json

    from cluster_desk.ui.map.view import MapView
    from cluster_desk.ui.offline.controller import TownsLayer, _build_towns

    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=TIMEOUT)
    painted_when_sent: list[int] = []
    view.bridge.command.connect(lambda text: painted_when_sent.append(view.last_drawn)
                                if json.loads(text)["op"] == "setTowns" else None)
    layer = TownsLayer(view, "en")
    answer = _build_towns("en")  # (what the thread answers)
    sent = view.fit_all()  # stands for the open's commands, not painted yet
    assert view.last_drawn < sent
    layer._built(answer)
    assert layer.seq is None and not painted_when_sent  # held
    qtbot.waitUntil(lambda: layer.settled, timeout=TIMEOUT)
    assert painted_when_sent == [painted_when_sent[0]] and painted_when_sent[0] >= sent
    # Built while the page has nothing to paint: sent at once.
    again = TownsLayer(view, "en")
    again._built(answer)
    assert again.seq is not None
