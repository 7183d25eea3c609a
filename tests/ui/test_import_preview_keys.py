"""File > Import's previews follow the column mapping as the user changes it: they share one read
of the project's keys (ids, INNs, name keys: ~0.3 s at 100,000 members, ~3.5 s at a million,
on the GUI thread each time before), and so does the import, unless the project was written
since (another program, a team pull): then it reads them afresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDialog

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project
from cluster_desk.ui.exchange.import_dialog import ImportDialog


def _counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = Project.member_keys

    def counted(self: Project, *args: Any) -> Any:
        reads.append(1)
        yield from real(self, *args)

    monkeypatch.setattr(Project, "member_keys", counted)
    return reads


def _project_and_roster(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members([Member("ООО «Кама»", inn="7707083893", employees=10, id="m-kama"),
                       Member("АО «Волга»", inn="1655000003", id="m-volga")])
    roster = tmp_path / "roster.csv"
    roster.write_text("Наименование,ИНН,Численность\nООО «Кама»,7707083893,25\nНовая фирма,,5\n",
                      encoding="utf-8")
    return path, roster


def test_previews_and_the_import_share_one_read_of_the_project_keys(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, roster = _project_and_roster(tmp_path)
    reads = _counted_reads(monkeypatch)
    with Project.open(path) as p:
        dialog = ImportDialog(None, p, roster)  # (its first preview)
        assert dialog.report is not None and (dialog.report.added, dialog.report.updated) == (1, 1)
        dialog.swap.setChecked(True)  # a change of the mapping's options: the preview again
        dialog.refresh()
        dialog.refresh(whole_file=True)
        assert len(reads) == 1
        dialog.run_import()
        assert dialog.result() == QDialog.DialogCode.Accepted and len(reads) == 1
        stored = {m.id: m for m in p.members()}
    assert stored["m-kama"].employees == 25 and len(stored) == 3


def test_the_import_reads_the_keys_again_when_the_project_was_written_since_the_preview(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, roster = _project_and_roster(tmp_path)
    reads = _counted_reads(monkeypatch)
    with Project.open(path) as p:
        dialog = ImportDialog(None, p, roster)
        assert dialog.report is not None and dialog.report.added == 1  # «Новая фирма» is new
        with Project.open(path) as other:  # another program adds it meanwhile
            other.add_members([Member("Новая фирма", id="m-new", employees=1)])
        dialog.run_import()
        assert dialog.result() == QDialog.DialogCode.Accepted and len(reads) == 2
        stored = {m.id: m for m in p.members()}
    assert len(stored) == 3 and stored["m-new"].employees == 5  # matched by name, not added twice


def test_one_decision_for_every_conflict_then_one_row_decided_otherwise(qapp: Any, tmp_path: Path) -> None:
    """A registry whose INNs differ from the project's for many names: the Conflicts tab's
    "Every conflict" buttons decide them all at once (each row may still be decided otherwise),
    and the import does what the cells say."""
    path = tmp_path / "p.cdesk"
    inns = ["7707083893", "1655000003", "500100732259"]
    with Project.create(path) as p:
        p.add_members([Member(f"ООО «Звено {i}»", inn=inn, id=f"m{i}") for i, inn in enumerate(inns)])
    roster = tmp_path / "roster.csv"
    roster.write_text("Наименование,ИНН\n" + "".join(f"ООО «Звено {i}»,16500000{i}3\n" for i in range(3)),
                      encoding="utf-8")
    with Project.open(path) as p:
        dialog = ImportDialog(None, p, roster)
        assert dialog.report is not None and dialog.report.conflicts_open == 3
        dialog.decide_all_buttons["theirs"].click()
        dialog.refresh()
        assert dialog.report.conflicts_open == 0
        column = [dialog.conflicts.item(r, 5).text() for r in range(dialog.conflicts.rowCount())]
        assert column == ["Take theirs"] * 3
        dialog.decide(3, "mine")  # the second row (file row 3), as its Decision cell would
        dialog.refresh()
        dialog.run_import()
        assert dialog.result() == QDialog.DialogCode.Accepted
        stored = {m.id: m.inn for m in p.members()}
    assert stored == {"m0": "1650000003", "m1": "1655000003", "m2": "1650000023"}
