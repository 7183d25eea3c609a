"""A closed project's cyclic garbage is collected, not frozen into the next open (issue 17).

Each open freezes what exists as it starts (ui/open_collector.py). A project closed before it
left cyclic garbage (~90 objects at 100,000 members, holding its columns: ~100 MB) that no pass
had collected yet: the next open froze it, and it stayed for that project's whole session (five
reopens of a 100,000-member file: 543 -> 927 MB). Now a close collects at once, and an open over
an open project (closed during the open, after the freeze) collects at its paint.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from test_open_collector import Cycle, collector_on  # noqa: F401 - (a fixture: used by name)
from ui_helpers import TIMEOUT, demo_file, make_window

from cluster_desk.ui.project.loading import wait_for_snapshots

pytestmark = pytest.mark.usefixtures("collector_on")  # the collector as after the start


def _garbage_of(session: Any) -> weakref.ref[Cycle]:
    """A cycle the open project holds, made after its paint, as its columns. (The columns
    snapshot's thread, started at the paint, holds the project while it writes: let it end, or a
    close on a loaded machine finds the project still held.)"""
    wait_for_snapshots()
    probe = Cycle()
    session.project.probe = probe
    return weakref.ref(probe)


def test_a_close_collects_the_projects_cycles_before_the_next_open_freezes_them(
        qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(path)
    gone = _garbage_of(window.session)
    window.files.close()
    assert gone() is None  # no pass of ours asked for: the close collected it
    with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(path)
    assert gc.get_freeze_count() > 0  # (the open still freezes what exists)


def test_an_open_over_an_open_project_collects_the_old_ones_cycles_at_its_paint(
        qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(demo_file(tmp_path, "a.cdesk"))
    gone = _garbage_of(window.session)
    with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(demo_file(tmp_path, "b.cdesk"))  # a closed during it
        assert gone() is not None  # frozen as the open started (a still open then)
    assert gone() is None
    assert gc.get_freeze_count() > 0  # and frozen again after that pass
    kept = _garbage_of(window.session)
    gc.collect()
    assert kept() is not None  # (the open project's own: alive)


def test_a_close_collects_a_project_the_start_froze(qtbot: Any, tmp_path: Path) -> None:
    """The start's first open is frozen by ui.app.collect_after_first_paint, not by an open."""
    window = make_window(qtbot, tmp_path)
    gc.disable()  # the start's pause (cli.cmd_app)
    try:
        with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
            assert window.files.open_path(demo_file(tmp_path))
    finally:
        gc.enable()
    gone = _garbage_of(window.session)
    gc.freeze()  # as collect_after_first_paint
    window.files.close()
    assert gone() is None
