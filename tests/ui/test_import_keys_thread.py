"""File > Import on a big project: the project's keys (ids, INNs, name keys: ~4 s at a million
members) are read on a thread while the dialog says so, and the first preview follows them; the
dialog appeared only after that read before. The thresholds are lowered here so a small project
takes the big project's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDialog

from cluster_desk.core.model import Member
from cluster_desk.store.keys_read import FileKeys, KeysStopped
from cluster_desk.store.project import Project
from cluster_desk.ui.exchange import import_keys
from cluster_desk.ui.exchange.import_dialog import ImportDialog
from tests.ui_helpers import wait_for

ROSTER = "Наименование,ИНН,Численность\nООО «Кама»,7707083893,25\nНовая фирма,,5\nАО «Волга»,,7\n"


@pytest.fixture
def project_and_roster(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members([Member("ООО «Кама»", inn="7707083893", employees=10, id="m-kama"),
                       Member("АО «Волга»", inn="1655000003", id="m-volga")])
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return path, roster


def _shown(dialog: ImportDialog) -> tuple[int, int, int]:
    assert dialog.report is not None
    return dialog.report.added, dialog.report.updated, dialog.changes.rowCount()


def test_a_big_projects_keys_are_read_on_a_thread_then_the_preview_and_import_follow(
        qapp: Any, project_and_roster: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path, roster = project_and_roster
    with Project.open(path) as p:
        at_once = _shown(ImportDialog(None, p, roster))
        monkeypatch.setattr(import_keys, "KEYS_ON_THREAD_FROM", 0)
        dialog = ImportDialog(None, p, roster)
        assert dialog.keys.waiting and dialog.report is None  # the dialog is there, reading
        assert not dialog.import_button.isEnabled() and not dialog.reading.isHidden()
        assert dialog.tabs.isHidden() and dialog.mapping.isHidden()  # (no empty preview meanwhile)
        wait_for(lambda: dialog.report is not None)
        assert _shown(dialog) == at_once == (1, 2, at_once[2])
        assert dialog.reading.isHidden() and dialog.import_button.isEnabled() and not dialog.tabs.isHidden()
        assert dialog._known is not None and dialog._known.current(p)  # (the import reuses them)
        dialog.run_import()
        assert dialog.result() == QDialog.DialogCode.Accepted
        stored = {m.name: m for m in p.members()}
    assert stored["ООО «Кама»"].employees == 25 and stored["АО «Волга»"].employees == 7
    assert len(stored) == 3


def test_a_dialog_closed_while_reading_makes_no_preview(
        qapp: Any, project_and_roster: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path, roster = project_and_roster
    monkeypatch.setattr(import_keys, "KEYS_ON_THREAD_FROM", 0)
    with Project.open(path) as p:
        dialog = ImportDialog(None, p, roster)
        dialog.reject()
        wait_for(lambda: not dialog.keys.waiting)
        assert dialog.report is None and dialog.changes.rowCount() == 0


def test_the_reader_stops_between_chunks_once_asked(project_and_roster: tuple[Path, Path]) -> None:
    from cluster_desk.store.assess_columns import reading

    path, _ = project_and_roster
    asked = [False]
    with reading(path) as conn:
        chunks = FileKeys(conn, lambda: asked[0]).member_keys(size=1)
        assert next(chunks)[0][0] == "m-kama"
        asked[0] = True
        with pytest.raises(KeysStopped):
            next(chunks)


def test_keys_the_thread_cannot_read_are_read_on_the_projects_connection(
        qapp: Any, project_and_roster: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The file was moved away after the project was opened (a synced folder, a user in a file
    manager): a connection of the thread's own cannot open it by its name, the project's still
    reads it."""
    path, roster = project_and_roster
    with Project.open(path) as p:
        at_once = _shown(ImportDialog(None, p, roster))
        monkeypatch.setattr(import_keys, "KEYS_ON_THREAD_FROM", 0)
        path.rename(path.with_name("moved.cdesk"))
        dialog = ImportDialog(None, p, roster)
        assert dialog.keys.waiting
        wait_for(lambda: dialog.report is not None)
        assert _shown(dialog) == at_once
