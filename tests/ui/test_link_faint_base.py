"""Issue 17: a check shown fades every link not between its members. A full paint with most
lines faded draws every line in view faint first, keeps that canvas (links.js faintBase), and
strokes the coloured lines over it; the next fade in the same view blits the kept canvas and
strokes only its own coloured lines (at 100,000 members: 15-30 ms of script and 25-30 ms of
Skia's raster a check click).

* A fade painted over the kept base looks exactly as the same fade painted afresh, whether the
  base was made by a fade's paint or ahead (an open's first checks: LinkLayer.prepareFaintBase).
* A change to the lines (a member moved: its links' ends; a kind hidden) or the view paints
  the base again; under half the lines faded and no base kept: painted as before, no base.

The real window and map page (offscreen), 300 members and 3,000 links of three kinds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from map_page_helpers import wait_settled  # noqa: E402
from ui_helpers import TIMEOUT, js, make_window, tangled_project, wait_map_synced  # noqa: E402

KINDS = ("supply", "rnd", "finance")
CENTRE = (55.79, 49.12)

#: The link display canvas's pixels: how many are painted, and a copy of them.
PIXELS = """(() => {
  const c = document.querySelector('.cd-link-stack canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let j = 3; j < d.length; j += 4) if (d[j] > 0) painted += 1;
  return { painted, pixels: Array.from(d) };
})()"""


def _project(path: Path) -> Path:
    return tangled_project(path, 3_000, KINDS, seed=5, name="Faint")


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Any:
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(_project(tmp_path / "faint.cdesk"))
    wait_map_synced(qtbot, window)
    # (the open's first checks had the page make the base of the opening view ahead)
    qtbot.waitUntil(lambda: stats(qtbot, window)["faintBaseBuilds"] >= 1, timeout=TIMEOUT)
    yield window
    assert window.map.bridge.rejected == 0
    window.close()


def centre(qtbot: Any, window: Any, east: float) -> None:
    """The map at zoom 9 here (no animation: one view), at rest and drawn."""
    js(qtbot, window, f"window.__clusterDesk.view({CENTRE[0]}, {CENTRE[1] + east}, 9)")
    wait_settled(qtbot, window.map)
    seq = window.links.layer.set_focus(None)  # (its ack comes after the paint of the view)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)


def stats(qtbot: Any, window: Any) -> dict[str, Any]:
    return dict(js(qtbot, window, "window.__clusterDeskLinks.stats()"))


def fade(qtbot: Any, window: Any, shown: list[str]) -> tuple[int, int]:
    """The links with an end outside ``shown`` faded, as a check's filter fades them: the base's
    builds and uses after it is drawn."""
    seq = window.links.layer.fade_to(frozenset(shown))
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    s = stats(qtbot, window)
    return s["faintBaseBuilds"], s["faintBaseUses"]


def ids(start: int, step: int) -> list[str]:
    return [f"m{i:03d}" for i in range(start, 300, step)]


@pytest.mark.parametrize("as_pixels", [True, False], ids=["pixels", "strokes"])
def test_a_fade_over_the_kept_base_looks_as_one_painted_afresh(
    qtbot: Any, window: Any, as_pixels: bool
) -> None:
    """The base made ahead, then the one a fade's own paint made: a fade over each looks as the
    same fade painted afresh."""
    if not as_pixels:  # (these long lines are drawn as pixels unless told not to)
        js(qtbot, window, "window.__clusterDeskLinks.linesAsPixels(false)")
    centre(qtbot, window, 0.0)
    pixel_paints = stats(qtbot, window)["pixelPaints"]
    built = stats(qtbot, window)["faintBaseBuilds"] + 1
    window.map.prepare_check_view()  # (as at an open's first checks)
    qtbot.waitUntil(lambda: stats(qtbot, window)["faintBaseBuilds"] == built, timeout=TIMEOUT)
    uses = stats(qtbot, window)["faintBaseUses"]
    assert fade(qtbot, window, ids(0, 3)) == (built, uses + 1)  # (a ninth of the lines coloured)
    assert fade(qtbot, window, ids(1, 2)) == (built, uses + 2)  # (a quarter)
    over_ahead = js(qtbot, window, PIXELS)
    assert stats(qtbot, window)["faded"] > 1_500

    centre(qtbot, window, 0.3)  # another view: its own base ...
    centre(qtbot, window, 0.0)  # ... and this one's painted again, afresh
    builds, uses = fade(qtbot, window, ids(1, 2))  # (no change: nothing painted)
    assert builds >= built + 2  # (a pan may paint more than once)
    afresh = js(qtbot, window, PIXELS)
    assert afresh["painted"] > 20_000
    assert over_ahead["pixels"] == afresh["pixels"]
    assert fade(qtbot, window, ids(0, 3)) == (builds, uses + 1)
    assert fade(qtbot, window, ids(1, 2)) == (builds, uses + 2)  # (over the base that paint made)
    assert js(qtbot, window, PIXELS)["pixels"] == afresh["pixels"]
    assert (stats(qtbot, window)["pixelPaints"] > pixel_paints) is as_pixels


def test_a_change_to_the_lines_paints_the_base_again(qtbot: Any, window: Any) -> None:
    from cluster_desk.core.model import LinkKind
    from cluster_desk.ui.project.commands import MoveMember

    session = window.session
    centre(qtbot, window, 0.0)
    built = stats(qtbot, window)["faintBaseBuilds"] + 1
    assert fade(qtbot, window, ids(0, 3)) == (built, 0)
    session.undo_stack.push(MoveMember(session, "m005", CENTRE[0] + 0.1, CENTRE[1] + 0.1))
    builds, uses = fade(qtbot, window, ids(1, 2))
    assert builds == built + 1  # (its links' ends moved: painted again at the move's paint or at this fade)
    assert fade(qtbot, window, ids(0, 3)) == (built + 1, uses + 1)

    seq = window.links.layer.set_hidden({LinkKind("rnd")})
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    builds, uses = fade(qtbot, window, ids(1, 2))
    assert builds == built + 2  # (fewer lines: painted again at the kinds' restyle or at this fade)
    assert fade(qtbot, window, ids(0, 3)) == (built + 2, uses + 1)


def test_a_light_fade_with_no_base_kept_paints_as_before(qtbot: Any, window: Any) -> None:
    centre(qtbot, window, 0.0)
    built = stats(qtbot, window)["faintBaseBuilds"]
    nearly_all = [i for i in ids(0, 1) if i not in ids(0, 40)]  # ~5 % of the members out
    assert fade(qtbot, window, nearly_all) == (built, 0)
    assert 0 < stats(qtbot, window)["faded"] < 1_500
