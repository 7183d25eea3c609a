"""Opening an older file: its one-time format upgrade runs on a thread behind a progress dialog
while the window keeps running its event loop, then the file opens as usual. A file the upgrade
refuses is reported, and left as it was. Real window offscreen, real files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

import sqlite3  # noqa: E402

from format3_helpers import LINKS, file_version, format3_file  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from ui_helpers import wait_for  # noqa: E402

from cluster_desk.store import schema  # noqa: E402
from cluster_desk.store.upgrade import upgrade_file  # noqa: E402
from cluster_desk.ui.project import upgrade_dialog  # noqa: E402
from cluster_desk.ui.widgets import work_dialog  # noqa: E402


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    folder = tmp_path_factory.mktemp("upgrade")
    w = MainWindow(Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat)))
    w.errors = []
    w.report_error = lambda title, text: w.errors.append((title, text))
    w.resize(1000, 700)
    w.show()
    wait_for(lambda: w.map.is_ready)
    yield w
    w.close()
    w.deleteLater()


def test_an_older_file_is_upgraded_behind_the_dialog_and_opens(window, tmp_path, monkeypatch) -> None:
    path = format3_file(tmp_path / "old.cdesk")
    monkeypatch.setattr(work_dialog, "SHOW_AFTER_MS", 0)
    # The upgrade's thread is held at its first report from the links' rebuild until the GUI
    # thread, still running its event loop, has seen the dialog say so.
    at_rebuild, go_on = threading.Event(), threading.Event()

    def held_upgrade(p: Path, progress: Any) -> None:
        def report(stage: str, fraction: float) -> None:
            progress(stage, fraction)
            if stage == "rebuild" and not at_rebuild.is_set():
                at_rebuild.set()
                go_on.wait()

        upgrade_file(p, report)

    monkeypatch.setattr(upgrade_dialog, "upgrade_file", held_upgrade)
    seen: dict[str, Any] = {}

    def look() -> None:  # on the GUI thread, inside the upgrade's wait
        dialog = window.files.upgrade_dialog
        if (at_rebuild.is_set() and dialog is not None and dialog.isVisible()
                and dialog.stage == "rebuild" and not go_on.is_set()):
            seen.update(title=dialog.windowTitle(), step=dialog.step.text(), value=dialog.bar.value(),
                        maximum=dialog.bar.maximum(), version=file_version(path))
            go_on.set()

    poll = QTimer(interval=5)
    poll.timeout.connect(look)
    poll.start()
    try:
        assert window.files.open_path(path)
    finally:
        poll.stop()
    assert seen["title"] == "Upgrading the Project File" and seen["step"] == "Upgrading the tables…"
    assert 0 < seen["value"] < seen["maximum"] and seen["version"] == 3  # (not committed yet)
    assert window.files.upgrade_dialog is None and window.errors == []
    assert len(window.session.links) == LINKS and file_version(path) == schema.current_version()
    assert (tmp_path / "old.format3.cdesk").is_file()


def test_a_file_the_upgrade_refuses_is_reported_and_left_as_it_was(window, tmp_path) -> None:
    path = format3_file(tmp_path / "odd.cdesk", links=10)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE extra (x)")  # not a table of format 3: the check refuses the file
    conn.commit()
    conn.close()
    before = path.read_bytes()
    window.errors.clear()
    assert not window.files.open_path(path)
    assert [title for title, _ in window.errors] == ["Cannot open project"]
    assert "odd.cdesk" in window.errors[0][1]
    assert path.read_bytes() == before and not list(tmp_path.glob("odd.format3*"))
