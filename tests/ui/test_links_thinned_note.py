"""At a low zoom the map draws at most 20,000 of the lines in view (links.js LINE_BUDGET); the
legend says so while it does, with the page's own counts, and stops saying so once zoomed in.

The real window and map page (offscreen), a project of 300 members and 21,000 links.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, js, make_window  # noqa: E402

LINKS = 21_000  # over the page's budget of 20,000 lines in view


def dense_project(path: Path) -> Path:
    from cluster_desk.core.model import Link, LinkKind, Member, MemberKind
    from cluster_desk.store.project import Project

    rng = random.Random(7)
    members = [Member(name=f"Завод {i}", kind=MemberKind.FIRM, id=f"m{i:03d}",
                      lat=55.79 + rng.uniform(-0.4, 0.4), lon=49.12 + rng.uniform(-0.6, 0.6))
               for i in range(300)]  # fmt: skip
    kinds = list(LinkKind)
    links = []
    for _ in range(LINKS):
        a, b = rng.sample(range(300), 2)
        links.append(Link(members[a].id, members[b].id, rng.choice(kinds)))
    with Project.create(path, name="Dense") as project:
        project.add_members(members)
    # The links as plain rows (as bench_open's big projects): the store's API with its change
    # log takes seconds for 21,000, and what is tested here is the map, not the store.
    import sqlite3

    from cluster_desk.store import link_edits
    from cluster_desk.store.rows import link_row

    with sqlite3.connect(path) as conn:
        conn.executemany(link_edits._INSERT_LINK, [link_row(lk) for lk in links])
    conn.close()
    return path


def test_the_legend_says_while_lines_are_thinned(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QLocale

    window = make_window(qtbot, tmp_path)
    note = window.legend.links_note
    assert window.files.open_path(dense_project(tmp_path / "dense.cdesk"))
    seq = window.map.fit_all()
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)

    def thinned() -> list[int]:
        return list(js(qtbot, window, "window.__clusterDeskLinks.stats().thinned"))

    # Everything in view: the page draws a share and tells; the note gives its counts.
    qtbot.waitUntil(lambda: thinned()[1] == LINKS, timeout=TIMEOUT)
    shown, in_view = thinned()
    assert 0 < shown <= 20_000 < in_view
    qtbot.waitUntil(lambda: note.isVisible() and QLocale().toString(shown) in note.text(), timeout=TIMEOUT)
    assert QLocale().toString(in_view) in note.text() and "zoom in" in note.text()
    # The note wraps inside the legend: it never widens it (the map's fit keeps clear of it).
    assert note.geometry().right() <= window.legend.width()

    # Zoomed in on a corner of the cluster, every line in view is drawn: no note.
    seq = window.map.centre_on(55.45, 48.6, 13)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq and thinned() == [0, 0], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not note.isVisible(), timeout=TIMEOUT)

    # Back out: thinned again, said again.
    seq = window.map.fit_all()
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq and thinned()[1] == LINKS, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: note.isVisible(), timeout=TIMEOUT)
    assert window.map.bridge.rejected == 0
    window.close()


def test_the_bridge_refuses_bad_thinned_counts(qtbot: Any, tmp_path: Path) -> None:
    """What the page says of the counts is checked in Python before the legend shows it."""
    from cluster_desk.ui.map.view import MapView

    view = MapView(autoload=False)
    qtbot.addWidget(view)
    got: list[tuple[int, int]] = []
    view.linksThinned.connect(lambda a, b: got.append((a, b)))
    for bad in ('{"shown": 5, "inView": 3}', '{"shown": -1, "inView": 3}', '{"shown": true, "inView": 3}',
                '{"shown": 1.5, "inView": 3}', '{"shown": 1, "inView": 1e99}', '{"shown": "1", "inView": 3}',
                '[1, 2]', 'nonsense'):
        view.bridge.linksThinned(bad)
    assert got == [] and view.bridge.rejected == 8
    view.bridge.linksThinned('{"shown": 20000, "inView": 61234}')
    assert got == [(20000, 61234)]
