"""The cycle collector around a File > Open (ui/open_collector.py, issue 17), in the real window.

As at the start: paused from the open's call until the map has painted the project, then every
object frozen (no full pass walks them again) and the collector on; closing the project gives
the frozen objects back, so its cyclic garbage is collected again.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from ui_helpers import TIMEOUT, demo_file, make_window


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


def test_an_open_pauses_the_collector_until_painted_and_a_close_gives_back(
        qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    window = make_window(qtbot, tmp_path)
    session = window.session
    during: list[bool] = []
    session.changed.connect(lambda change: during.append(gc.isenabled()) if change.reset else None)
    with qtbot.waitSignal(session.openPainted, timeout=TIMEOUT):
        assert window.files.open_path(demo_file(tmp_path))
        assert during == [False]  # the open's reset, with the collector paused
        probe = Cycle()
        session.project.probe = probe  # made before the paint: frozen with the project
        alive = weakref.ref(probe)
        del probe
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    del session.project.probe  # cyclic garbage now, but frozen: no pass looks at it
    gc.collect()
    assert alive() is not None
    window.files.close()
    assert gc.get_freeze_count() == 0  # given back with the closed project
    gc.collect()
    assert alive() is None


def test_a_failed_open_leaves_the_collector_on(qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    window = make_window(qtbot, tmp_path)
    bad = tmp_path / "not-a-project.cdesk"
    bad.write_bytes(b"not a database" * 100)
    assert not window.files.open_path(bad)
    qtbot.waitUntil(gc.isenabled, timeout=TIMEOUT)  # (on the next turn of the event loop)
    assert gc.get_freeze_count() == 0


def test_the_start_pause_stays_the_starts(qtbot: Any, tmp_path: Path, collector_on: None) -> None:
    """At the start the collector is off already (cli.cmd_app): ui.app's collect_after_first_paint
    ends that pause, this open does not."""
    window = make_window(qtbot, tmp_path)
    gc.disable()
    try:
        with qtbot.waitSignal(window.session.openPainted, timeout=TIMEOUT):
            assert window.files.open_path(demo_file(tmp_path))
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()
