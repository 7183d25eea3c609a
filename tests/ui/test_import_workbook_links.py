"""File > Import of a members-and-links workbook made by LibreOffice (issue 12): the dialog previews
both sheets, names bad link rows by file, sheet, row and field, imports both in one transaction and
the window records them as one undo step; in English and Russian."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.ui.exchange.import_dialog import ImportDialog, reload_views
from cluster_desk.ui.project.session import ProjectSession

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: run scripts/system-deps.sh")

_FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body></office:document>"""

MEMBERS = [
    ["Наименование", "ИНН", "Вид участника", "Широта", "Долгота"],
    ["ООО «Камапласт»", "1650000011", "Фирма", "55,74", "52,40"],
    ["ООО «Челны-Пресс»", "1650000012", "Фирма", "55,70", "52,33"],
    ["КФУ", "1655018018", "Образование", "55,79", "49,12"],
]
LINKS = [
    ["Поставщик", "Покупатель", "Вид связи", "Дата начала", "Дата окончания", "Сумма договора"],
    ["ООО «Камапласт»", "ООО «Челны-Пресс»", "Поставка промышленной продукции", "01.03.2022", "",
     "25 000 000"],
    ["КФУ", "ООО «Челны-Пресс»", "Обучение, стажировки", "01.09.2021", "30.06.2024", "н/д"],
    ["ООО «Камапласт»", "ООО «Нет такого»", "Поставка", "", "", ""],
    ["ООО «Старый»", "КФУ", "Совместные НИОКР", "2023-01-01", "2020-01-01", ""],
]


def _sheet(name: str, rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in r)}</table:table-row>" for r in rows)
    return f'<table:table table:name="{name}">{body}</table:table>'


@pytest.fixture(scope="module")
def book(tmp_path_factory: Any) -> Path:
    """A two-sheet workbook («Участники», «Связи») as LibreOffice writes it."""
    folder = tmp_path_factory.mktemp("book")
    fods = folder / "кластер.fods"
    sheets = _sheet("Участники", MEMBERS) + _sheet("Связи", LINKS)
    fods.write_text(_FODS.format(sheets=sheets), encoding="utf-8")
    done = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(folder / "lo"), str(fods)],
        capture_output=True, text=True, timeout=180, cwd=folder, env={**os.environ, "HOME": str(folder)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folder / "lo" / "кластер.xlsx"


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> Iterator[ProjectSession]:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        old = Member("ООО «Старый»", inn="1650000099", lat=55.8, lon=49.1)
        other = Member("ООО «Другой»", lat=55.7, lon=49.2)
        p.add_members([old, other])
        p.add_links([Link(old.id, other.id, LinkKind.SUPPLY)])
    s = ProjectSession()
    s.open(path)
    yield s
    s.close()



def _lines(widget: Any) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def test_workbook_members_and_links_preview_import_and_one_undo(qtbot, session, book, monkeypatch):
    members_before, links_before = dict(session.members), dict(session.links)
    d = ImportDialog(None, session.project, book)
    qtbot.addWidget(d)
    assert d.links is not None and d.links.sheet == "Связи" and d.links.members_sheet == "Участники"
    assert d.tabs.tabText(d.tabs.indexOf(d.links)) == "Links (2)"
    assert d.preview.rowCount() == 3 and d.links.sample.rowCount() == 2
    # The ends are the file's new members, matched by name before they exist in the project.
    sample = {(d.links.sample.item(r, 0).text(), d.links.sample.item(r, 1).text()) for r in range(2)}
    assert sample == {("ООО «Камапласт»", "ООО «Челны-Пресс»"), ("КФУ", "ООО «Челны-Пресс»")}
    assert d.links.sample.item(0, 5).text() == "25,000,000"
    problems = _lines(d.links.problems)
    unmatched = ("кластер.xlsx, sheet «Связи», row 4, field “Member 2 (buyer)”: “ООО «Нет такого»” "
                 "matches no member")
    assert any(unmatched in line for line in problems), problems
    assert any("sheet «Связи», row 5" in line and "before the start" in line for line in problems), problems
    assert "2 to add, 0 to update, 0 unchanged, 2 with problems" in d.links.info.text()
    members_said = _lines(d.problems)  # the member rows name their sheet too
    assert members_said and all("кластер.xlsx, sheet «Участники», row " in line for line in members_said)
    assert len(session.project.links()) == 1  # nothing written by the preview
    assert len(session.project.members()) == 2

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    d.run_import()
    assert d.result() == d.DialogCode.Accepted and d.report.added == 3 and d.links.report.added == 2
    assert "Imported 2 links from кластер.xlsx (2 added" in d.links.summary()
    reload_views(session)
    assert len(session.members) == 5 and len(session.links) == 3
    assert session.undo_stack.count() == 1  # members and links: one step
    session.undo_stack.undo()
    assert session.members == members_before and session.links == links_before
    with Project.open(session.project.path) as p:
        assert len(p.members()) == 2 and len(p.links()) == 1
    session.undo_stack.redo()
    assert len(session.members) == 5 and len(session.links) == 3


@pytest.mark.usefixtures("russian")
def test_workbook_links_preview_speaks_russian(qtbot, session, book):
    d = ImportDialog(None, session.project, book)
    qtbot.addWidget(d)
    assert d.tabs.tabText(d.tabs.indexOf(d.links)) == "Связи (2)"
    assert d.links.sample.horizontalHeaderItem(0).text() == "Участник 1"
    assert d.links.sample.item(0, 5).text().replace("\u00a0", " ") == "25 000 000"
    problems = _lines(d.links.problems)
    where = "Не импортировано: кластер.xlsx, лист «Связи», строка 4"
    assert any(line.startswith(where) for line in problems), problems
    assert "добавить: 2, обновить: 0" in d.links.info.text(), d.links.info.text()
