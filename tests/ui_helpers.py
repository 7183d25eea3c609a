"""Shared helpers for the main-window tests (real page, real store files in tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

TIMEOUT = 20_000


def make_window(qtbot: Any, tmp_path: Path, lang: str = "en") -> Any:
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(prefs, lang=lang)
    window.errors = []
    window.report_error = lambda title, text: window.errors.append((title, text))
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=TIMEOUT)
    return window


def wait_for(condition: Any, timeout_ms: int = TIMEOUT) -> None:
    """Run the event loop until ``condition()`` holds (for module-scoped fixtures, which cannot
    use the function-scoped qtbot); fails after ``timeout_ms``."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError(f"waited {timeout_ms} ms for {condition}")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def exported(job: Any) -> int | None:
    """Wait for an export started from the window (it runs off the GUI thread) to end: the
    count it wrote, or None (failed or cancelled: ``job.error``, ``job.cancelled``)."""
    assert job is not None
    wait_for(lambda: job.finished)
    return job.count


def shared_window(folder: Path, lang: str = "en") -> Any:
    """A window with the demo project open, for a module of tests that only look (one page
    load instead of one per test). The caller closes it (``close_shared``)."""
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    prefs = Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(prefs, lang=lang)
    window.errors = []
    window.report_error = lambda title, text: window.errors.append((title, text))
    window.resize(1280, 820)
    window.show()
    wait_for(lambda: window.map.is_ready)
    assert window.files.open_path(demo_file(folder))
    seq = window.map.fit_all()
    wait_for(lambda: window.map.last_drawn >= seq and bool(window.session.results))
    return window


def close_shared(window: Any) -> None:
    window.close()
    window.deleteLater()


def chain_project(path: Path) -> Path:
    """A project of 40 members in a row, each linked to the next (39 links)."""
    from cluster_desk.core.model import Link, LinkKind, Member
    from cluster_desk.store.project import Project

    members = [Member(f"M{i}", id=f"m{i}", lat=55.0 + i / 1000, lon=49.0) for i in range(40)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links([Link(f"m{i}", f"m{i + 1}", LinkKind.RND) for i in range(39)])
    return path


def tangled_project(path: Path, links: int, kinds: tuple[str, ...], seed: int, name: str) -> Path:
    """300 firms around Kazan (+-0.4 deg lat, +-0.6 lon) and ``links`` random links between them of
    ``kinds`` (written as plain rows: a map test's project, not the store's)."""
    import random
    import sqlite3

    from cluster_desk.core.model import Link, LinkKind, Member, MemberKind
    from cluster_desk.store import link_edits
    from cluster_desk.store.project import Project
    from cluster_desk.store.rows import link_row

    rng = random.Random(seed)
    members = [Member(name=f"Завод {i}", kind=MemberKind.FIRM, id=f"m{i:03d}",
                      lat=55.79 + rng.uniform(-0.4, 0.4), lon=49.12 + rng.uniform(-0.6, 0.6))
               for i in range(300)]  # fmt: skip
    made = []
    for _ in range(links):
        a, b = rng.sample(range(300), 2)
        made.append(Link(members[a].id, members[b].id, LinkKind(rng.choice(kinds))))
    with Project.create(path, name=name) as project:
        project.add_members(members)
    with sqlite3.connect(path) as conn:
        conn.executemany(link_edits._INSERT_LINK, [link_row(lk) for lk in made])
    conn.close()
    return path


_demo_template: Path | None = None


def linked_project(path: Path, seed: int, members: int = 200, links: int = 600) -> Path:
    """A project of ``members`` firms (ids m000...) and ``links`` supply links between random
    pairs (ids l0000...): the undo and bulk-write tests' file, opened with records left unbuilt."""
    import random

    from cluster_desk.core.model import Link, LinkKind, Member
    from cluster_desk.store.project import Project

    rng = random.Random(seed)
    firms = [Member(f"Firm {i:03d}", id=f"m{i:03d}", lat=55 + i / 1000, lon=49.0) for i in range(members)]
    with Project.create(path) as p:
        p.add_members(firms)
        p.add_links([Link(*(m.id for m in rng.sample(firms, 2)), LinkKind.SUPPLY, id=f"l{i:04d}")
                     for i in range(links)])
    return path


def demo_file(tmp_path: Path, name: str = "demo.cdesk") -> Path:
    """The demo project (``write_demo``) as a file of this test's own: a byte copy of one
    written once per session (a closed SQLite file, no journal beside it), ~0.2 s of CPU
    less per test. The copy shares the template's uuid and creation time; its path and its
    snapshot are its own (store.snapshot keys by path)."""
    import shutil

    global _demo_template
    if _demo_template is None:
        import atexit
        import tempfile

        from cluster_desk.ui.project.files import write_demo

        folder = Path(tempfile.mkdtemp(prefix="cdesk-test-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        write_demo(folder / "demo.cdesk")
        _demo_template = folder / "demo.cdesk"
    path = tmp_path / name
    shutil.copyfile(_demo_template, path)
    return path


def js(qtbot: Any, window: Any, code: str) -> Any:
    box: list[Any] = []
    window.map.page().runJavaScript(f"JSON.stringify({code})", 0, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    return None if box[0] in ("", None) else json.loads(box[0])


def wait_map_synced(qtbot: Any, window: Any) -> None:
    """Until the page has drawn every command sent so far, and an open project is assessed (the
    first assessment waits for the first paint)."""
    seq = window.map.fit_all()
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    if window.session.is_open:
        qtbot.waitUntil(lambda: bool(window.session.results), timeout=TIMEOUT)
        seq = window.map.fit_all()  # and the circle and outside styles that followed it
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    # fit_all animates: a view set while the zoom animation runs is overridden when it ends.
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().settled") is True,
                    timeout=TIMEOUT)


def big_demo_window(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> Any:
    """A window on the demo opened as a big project is (no record built for the opening fit,
    nor in slices after the open: "big" lowered to the demo's size), painted and assessed."""
    from cluster_desk.ui.map import sync
    from cluster_desk.ui.project import live_assessment

    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)
    monkeypatch.setattr(sync, "EXACT_FIRST_FIT", 0)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    s = window.session
    qtbot.waitUntil(lambda: bool(s.results) and not s.assessor.busy, timeout=TIMEOUT)
    return window


def click_map(qtbot: Any, window: Any, x: float, y: float) -> None:
    """A real left click on the widget Chromium listens to."""
    target = window.map.focusProxy()
    local = QPointF(x, y)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, button, buttons in ((QEvent.Type.MouseMove, none, none),
                                  (QEvent.Type.MouseButtonPress, left, left),
                                  (QEvent.Type.MouseButtonRelease, left, none)):
        ev = QMouseEvent(kind, local, target.mapToGlobal(local), button, buttons,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(target, ev)
        qtbot.wait(30)


def reopen(path: Path) -> tuple[dict[str, Any], list[Any], Any]:
    """Members (by id), links and settings read back through a second Project on the file."""
    from cluster_desk.store.project import Project

    project = Project.open(path)
    try:
        return {m.id: m for m in project.members()}, project.links(), project.settings()
    finally:
        project.close()


def check(window: Any, check_id: str) -> Any:
    return next(r for r in window.session.results if r.id == check_id)
