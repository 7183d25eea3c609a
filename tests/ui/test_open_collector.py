"""The cycle collector around a File > Open (ui/open_collector.py, issue 17), in the real window.

What exists is frozen as the open starts (a pass during the open walks only what it made) and
again once the map has painted the project (its columns: no full pass walks them again); the
collector stays on; closing the project gives the frozen objects back, so its cyclic garbage is
collected again.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from ui_helpers import TIMEOUT, demo_file, make_window, shared_window


class Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector_on() -> Iterator[None]:
    """The collector as after the start (on, nothing frozen), and as it was after the test."""
    was = gc.isenabled()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def test_an_open_freezes_as_it_starts_and_once_painted_and_a_close_gives_back(
        qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    window = make_window(qtbot, tmp_path)
    session = window.session
    before = Cycle()  # made before the open: frozen as it starts
    made_before = weakref.ref(before)
    during: list[tuple[bool, int]] = []
    session.changed.connect(
        lambda change: during.append((gc.isenabled(), gc.get_freeze_count())) if change.reset else None)
    with qtbot.waitSignal(session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(demo_file(tmp_path))
        [(on, frozen)] = during  # the open's reset: the collector on, the window's objects frozen
        assert on and frozen > 0
        probe = Cycle()
        session.project.probe = probe  # made during the open, before the paint: frozen then
        made_during = weakref.ref(probe)
        del probe, before
    assert gc.isenabled()
    del session.project.probe  # both cyclic garbage now, but frozen: no pass looks at them
    gc.collect()
    assert made_before() is not None and made_during() is not None
    window.files.close()
    assert gc.get_freeze_count() == 0  # given back with the closed project
    gc.collect()
    assert made_before() is None and made_during() is None


def test_a_window_closed_with_its_project_open_gives_back_when_it_goes(
        qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    """(The window's close closes the project without a word: its session's end gives back.)"""
    window = shared_window(tmp_path)  # (not the qtbot's: deleted here) the demo opened, painted
    assert gc.get_freeze_count() > 0
    window.close()
    with qtbot.waitSignal(window.session.destroyed, timeout=TIMEOUT):
        window.deleteLater()
    assert gc.get_freeze_count() == 0


def test_the_start_pause_stays_the_starts(qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    """At the start the collector is off already (cli.cmd_app): ui.app's collect_after_first_paint
    ends that pause and freezes, this open does neither."""
    window = make_window(qtbot, tmp_path)
    gc.disable()
    try:
        with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
            assert window.files.open_path(demo_file(tmp_path))
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
