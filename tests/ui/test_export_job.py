"""Exports off the GUI thread (ui/exchange/export_job.py, issue 17), in the real window on the demo.

The worker is held at a gate (a threading.Event) where a test needs it to be mid-export; the
gate opens from the GUI thread's own timer, so an export that ends at all proves the window
handled events while it ran. No sleeps: every wait is for the condition then asserted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402
from ui_helpers import close_shared, exported, shared_window, wait_for  # noqa: E402

from cluster_desk.io import read_roster  # noqa: E402
from cluster_desk.ui.exchange import export_work  # noqa: E402


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Iterator[Any]:
    w = shared_window(tmp_path_factory.mktemp("export-job"))
    yield w
    close_shared(w)


class Gate:
    """Holds the export's worker inside ``read_committed`` until ``open`` (from the GUI thread)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()
        read = export_work.read_committed

        def held(*args: Any, **kwargs: Any) -> Any:
            self.reached.set()
            assert self.opened.wait(60), "the gate was never opened"
            return read(*args, **kwargs)

        monkeypatch.setattr(export_work, "read_committed", held)

    def open(self) -> None:
        self.opened.set()


def _names(path: Path) -> list[str]:
    return sorted(m.name for m in read_roster(path).members)


def test_the_window_runs_its_timers_while_exporting(window: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    out = tmp_path / "roster.gpkg"
    job = window.exchange.export_to(out)
    assert job is not None and not job.finished
    ticked: list[bool] = []

    def tick() -> None:  # a timer of the GUI thread, firing while the worker waits at the gate
        ticked.append(job.finished)
        gate.open()

    QTimer.singleShot(0, tick)
    assert exported(job) == len(window.session.members)
    assert ticked == [False]
    assert _names(out) == sorted(m.name for m in window.session.members.values())
    links = len(window.session.links)
    assert window.statusBar().currentMessage() == (
        f"Exported {len(window.session.members)} members and {links} links to {out}")


def test_the_dialog_shows_and_cancel_leaves_no_file(window: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    out = tmp_path / "roster.xlsx"
    job = window.exchange.export_to(out)
    wait_for(lambda: gate.reached.is_set() and job.dialog.isVisible())
    assert job.dialog.labelText() == "Reading the project…"
    job.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    gate.open()
    assert exported(job) is None and job.cancelled
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temp file
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_folder_in_the_way_is_said_and_left_alone(window: Any, tmp_path: Path) -> None:
    target = tmp_path / "roster.csv"
    target.mkdir()
    errors = len(window.errors)
    assert exported(window.exchange.export_to(target)) is None
    said = f"{target}: cannot write the export (it is a folder)"
    assert window.errors[errors:] == [("Export failed", said)]
    assert [p.name for p in tmp_path.iterdir()] == ["roster.csv"] and target.is_dir()
    assert list(target.iterdir()) == []


def test_closing_the_project_mid_export_writes_the_file_as_committed(
        window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate(monkeypatch)
    names = sorted(m.name for m in window.session.members.values())
    path = window.session.path
    out = tmp_path / "links.csv"
    job = window.exchange.export_links_to(out)
    wait_for(gate.reached.is_set)
    links = len(window.session.links)
    window.session.close()
    gate.open()
    assert exported(job) == links
    assert out.read_text(encoding="utf-8-sig").count("\n") == links + 1  # the header and each link
    assert window.files.open_path(path)  # (the module's window as it was)
    assert sorted(m.name for m in window.session.members.values()) == names


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".gpkg", ".kml"])
def test_cancelled_mid_write_leaves_no_file(window: Any, tmp_path: Path, suffix: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's own part: cancelled after a few records were written, the exporter's temp
    file goes and no destination appears."""
    monkeypatch.setattr(export_work, "STEP", 3)
    cancel = threading.Event()
    written: list[float] = []

    def progress(stage: str, fraction: float) -> None:
        if stage == "write" and fraction > 0:
            written.append(fraction)
            if len(written) == 4:
                cancel.set()

    out = tmp_path / f"roster{suffix}"
    with pytest.raises(export_work.ExportCancelled):
        export_work.export_file(window.session.path, out, "roster", title="t", lang="en",
                                progress=progress, cancel=cancel)
    assert len(written) == 4 and list(tmp_path.iterdir()) == []
