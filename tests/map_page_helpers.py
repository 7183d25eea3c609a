"""Helpers for tests that drive the real map page (tests/ui/test_map_page.py, the tile and
cache tests): evaluate JavaScript, wait for a drawn command, real mouse events, a console log
and a request recorder."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor
from PySide6.QtWidgets import QApplication

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.view import MapView

TIMEOUT = 20_000
KAZAN = (55.79, 49.11)


# ---- helpers ---------------------------------------------------------------------------------


class ModuleBot:
    """What these helpers need of qtbot, for a module-scoped view (qtbot is per test)."""

    def addWidget(self, _widget: Any) -> None:
        pass

    def waitUntil(self, condition: Any, timeout: int = TIMEOUT) -> None:
        from ui_helpers import wait_for

        wait_for(condition, timeout)


def js(qtbot: Any, view: MapView, code: str) -> Any:
    """Evaluate ``code`` (an expression) in the page; the value comes back through JSON."""
    box: list[Any] = []
    view.page().runJavaScript(f"JSON.stringify({code})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return None if box[0] in ("", None) else json.loads(box[0])


def stats(qtbot: Any, view: MapView) -> dict[str, Any]:
    return js(qtbot, view, "window.__clusterDesk.stats()")


def wait_drawn(qtbot: Any, view: MapView, seq: int) -> None:
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)


def wait_settled(qtbot: Any, view: MapView) -> None:
    """Until the view has come to rest (an animated fit or zoom has ended)."""
    qtbot.waitUntil(lambda: stats(qtbot, view)["settled"] is True, timeout=TIMEOUT)


def inline_handlers(qtbot: Any, view: MapView) -> list[str]:
    """Every element of the page that carries an event-handler attribute (``onerror``, ``onload``…).

    Where none exists, no injected handler can ever run: a condition, not a wait for one to fire."""
    return js(qtbot, view, """Array.from(document.querySelectorAll('*')).flatMap(e =>
        Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))""")


def count_page_clicks(qtbot: Any, view: MapView) -> None:
    """From now on the page counts the clicks it has seen (after every other listener ran)."""
    js(qtbot, view, "(window.__clicks = 0, "
                    "document.addEventListener('click', () => { window.__clicks += 1; }), 0)")


def hover_until(qtbot: Any, view: MapView, x: float, y: float, condition: Any) -> None:
    """Move the pointer over (x, y), nudging it a pixel on each poll until ``condition()`` holds
    (Leaflet hit-tests canvas hovers at most once per 32 ms, so one move may be skipped)."""
    nudge = [0]

    def moved_and_holds() -> bool:
        nudge[0] ^= 1
        mouse(view, QEvent.Type.MouseMove, x + nudge[0], y, Qt.MouseButton.NoButton)
        return bool(condition())

    qtbot.waitUntil(moved_and_holds, timeout=TIMEOUT)


def members_around(n: int, seed: int = 1, spread: float = 1.0) -> list[Member]:
    import random

    rnd = random.Random(seed)
    kinds = list(MemberKind)
    return [
        Member(
            name=f"Member {i}",
            kind=kinds[i % len(kinds)],
            status=(Status.MEMBER, Status.MEMBER, Status.CANDIDATE, Status.FORMER)[i % 4],
            lat=KAZAN[0] + rnd.uniform(-spread, spread),
            lon=KAZAN[1] + rnd.uniform(-spread, spread) * 1.7,
        )
        for i in range(n)
    ]


def mouse(view: MapView, kind: QEvent.Type, x: float, y: float, buttons: Qt.MouseButton) -> None:
    """A real mouse event on the widget Chromium listens to."""
    target = view.focusProxy()
    local = QPointF(x, y)
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    ev = QMouseEvent(kind, local, target.mapToGlobal(local), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, ev)


def click(qtbot: Any, view: MapView, x: float, y: float) -> None:
    left = Qt.MouseButton.LeftButton
    mouse(view, QEvent.Type.MouseMove, x, y, Qt.MouseButton.NoButton)
    mouse(view, QEvent.Type.MouseButtonPress, x, y, left)
    qtbot.wait(30)
    mouse(view, QEvent.Type.MouseButtonRelease, x, y, Qt.MouseButton.NoButton)


def drag(
    qtbot: Any, view: MapView, start: tuple[float, float], end: tuple[float, float], steps: int = 8
) -> None:
    left = Qt.MouseButton.LeftButton
    mouse(view, QEvent.Type.MouseMove, *start, Qt.MouseButton.NoButton)
    qtbot.wait(30)
    mouse(view, QEvent.Type.MouseButtonPress, *start, left)
    qtbot.wait(30)
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        mouse(view, QEvent.Type.MouseMove, x, y, left)
        qtbot.wait(15)
    mouse(view, QEvent.Type.MouseButtonRelease, *end, Qt.MouseButton.NoButton)


class ConsoleLog:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.all: list[str] = []

    def __call__(self, level: int, text: str) -> None:
        self.all.append(text)
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel.value:
            self.errors.append(text)


def open_view(qtbot: Any, view: MapView) -> ConsoleLog:
    console = ConsoleLog()
    view.map_page.consoleMessage.connect(console)
    qtbot.addWidget(view)
    view.resize(900, 650)
    view.show()
    return console


class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


def ready_view(qtbot: Any, view: MapView) -> ConsoleLog:
    """Load a view made with ``autoload=False`` and wait until its basemap is drawn."""
    console = open_view(qtbot, view)
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        view.load_page()
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemap"] == "ready", timeout=TIMEOUT)
    return console


@contextlib.contextmanager
def checked_view(qtbot: Any) -> Iterator[MapView]:
    """A map view that loads its page itself, shown, once its basemap is drawn; on leaving, no
    JavaScript error may have reached its console."""
    view = MapView()
    console = open_view(qtbot, view)
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemap"] == "ready", timeout=TIMEOUT)
    yield view
    assert console.errors == [], "JavaScript errors on the map page"


@contextlib.contextmanager
def crowd_view(qtbot: Any, members: list[Member]) -> Iterator[MapView]:
    """``checked_view`` at zoom 9 on the first of ``members``, which are on its map."""
    with checked_view(qtbot) as view:
        first = members[0]
        js(qtbot, view, f"window.__clusterDesk.view({first.lat}, {first.lon}, 9)")  # no zoom animation
        wait_drawn(qtbot, view, view.set_members(members))
        yield view


def pixel(view: MapView, x: int, y: int) -> tuple[int, int, int]:
    c = QColor(view.grab().toImage().pixel(x, y))
    return c.red(), c.green(), c.blue()


def wait_pixel(qtbot: Any, view: MapView, x: int, y: int, want: tuple[int, int, int],
               tolerance: int = 0) -> None:
    """Until the view shows ``want`` at (x, y) (tiles fade in; wait for the colour, not a time)."""
    seen: list[tuple[int, int, int]] = []

    def shows() -> bool:
        seen.append(pixel(view, x, y))
        return all(abs(a - b) <= tolerance for a, b in zip(seen[-1], want, strict=True))

    qtbot.waitUntil(shows, timeout=TIMEOUT)


#: Premultiplied RGBA of the member canvas's (2r + 1) x (2r + 1) pixels around a member (as drawn
#: on it: the canvas is read itself, so tiles loading meanwhile do not matter).
_MEMBER_PIXELS = """(() => {
  const c = document.querySelector('.leaflet-cd-members-pane canvas');
  const p = window.__clusterDesk.memberPoint(%s);
  const map = c.closest('.leaflet-container').getBoundingClientRect();
  const r = c.getBoundingClientRect();
  const k = c.width / r.width;
  const x = Math.round((p.x + map.left - r.left) * k);
  const y = Math.round((p.y + map.top - r.top) * k);
  const n = %d;
  const d = c.getContext('2d').getImageData(x - n, y - n, 2 * n + 1, 2 * n + 1).data;
  const out = [];
  for (let j = 0; j < d.length; j += 4) {
    const a = d[j + 3];
    out.push(Math.round(d[j] * a / 255), Math.round(d[j + 1] * a / 255), Math.round(d[j + 2] * a / 255), a);
  }
  return out;
})()"""


def member_pixels(qtbot: Any, view: MapView, member_id: str, r: int = 10) -> list[int]:
    """The member canvas's pixels around ``member_id``'s point (``_MEMBER_PIXELS``)."""
    return js(qtbot, view, _MEMBER_PIXELS % (json.dumps(member_id), r))  # type: ignore[no-any-return]
