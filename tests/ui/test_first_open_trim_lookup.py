"""The first-open warm-up (ui/shell/first_open.py) also looks glibc's malloc_trim up, on its own
thread after the page's first paint: the lookup runs ldconfig in a child process (~10 ms), which
a process's first open otherwise paid in its call (the map asks whether it can trim the heap).
The real map page (offscreen)."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT  # noqa: E402

from cluster_desk import memory  # noqa: E402
from cluster_desk.ui.shell.first_open import warm_after_first_paint  # noqa: E402


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_warm_up_looks_malloc_trim_up_on_its_thread(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_desk.ui.map.view import MapView

    memory._malloc_trim.cache_clear()
    memory._glibc.cache_clear()
    looked_up_on: list[str] = []
    real = memory._glibc.__wrapped__

    def glibc(name: str) -> Any:
        looked_up_on.append(threading.current_thread().name)
        return real(name)

    monkeypatch.setattr(memory, "_glibc", glibc)
    view = MapView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    warmed = warm_after_first_paint(view, ())
    qtbot.waitUntil(warmed.is_set, timeout=TIMEOUT)
    assert looked_up_on == ["first-open warm-up"]
    assert memory._malloc_trim.cache_info().currsize == 1  # looked up: later asks are answered at once
    memory._malloc_trim.cache_clear()  # (the next caller looks it up again through the real cache)
