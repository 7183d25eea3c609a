"""After the page has painted an opened project, the work that follows comes in order: the
ack's own slots (the member texts to the page, the roster let paint), then, on a later turn of
the event loop, the release (``openPainted``: the assessment, the id map, the snapshot, the
roster's sort keys), whose threads held the interpreter while the first part ran (issue 17).
The real window and map page (offscreen) and a real demo file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, demo_file, make_window  # noqa: E402

from cluster_desk.ui.shell import first_open  # noqa: E402


def test_the_release_follows_the_acks_own_slots(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(first_open, "FIRST_PAINT_AT_LATEST_MS", 600_000)  # (released by the paint)
    window = make_window(qtbot, tmp_path)
    view = window.map
    inside_ack = [False]
    real_on_drawn = view._on_drawn

    def on_drawn(seq: int) -> None:  # (the ack's own slots run inside this call)
        inside_ack[0] = True
        try:
            real_on_drawn(seq)
        finally:
            inside_ack[0] = False

    monkeypatch.setattr(view, "_on_drawn", on_drawn)
    seen: list[tuple[bool, bool, bool]] = []
    roster = window.roster.view
    window.session.openPainted.connect(
        lambda: seen.append((inside_ack[0], view._texts is None, roster.updatesEnabled())))
    assert window.files.open_path(demo_file(tmp_path))
    sent = view.seq
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert view.last_drawn >= sent  # released by the paint, not by the fallback
    inside, texts_sent, roster_may_paint = seen[0]
    assert not inside  # a later turn of the event loop than the ack
    assert texts_sent  # the member texts went to the page first
    assert roster_may_paint  # and the roster was let paint (first_open.paint_map_first)
    qtbot.waitUntil(lambda: bool(window.session.results), timeout=TIMEOUT)  # then assessed as before


def test_an_open_before_the_release_is_not_released_by_the_one_before(
        qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    view, sync = window.map, window.sync
    assert window.files.open_path(demo_file(tmp_path))
    first = view.seq
    qtbot.waitUntil(lambda: view.last_drawn >= first, timeout=TIMEOUT)
    sync._release_timer.start()  # a release due for that open when another open comes first
    assert window.files.open_path(demo_file(tmp_path, "other.cdesk"))
    assert not sync._release_timer.isActive()  # that open holds its own release
    assert window.session.painting
    second = view.seq
    qtbot.waitUntil(lambda: view.last_drawn >= second and not window.session.painting, timeout=TIMEOUT)
