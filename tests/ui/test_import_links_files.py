"""File > Import of links from every format the command line reads (issue 12), in the real window.

The files are real: GeoJSON, KML, GeoPackage, XLSX and the links CSV/TSV written by the window's own
File > Export from the demo, a GeoJSON and a KML that GDAL's ogr2ogr made from that GeoPackage (its line
layer alone; both layers), and a cp1251 links CSV with bad rows. Each is imported into a project
holding the demo's members and no links: the dialog recognises the links (a file of links only,
or the link part of a file with members too), the links come back as they were exported, the map
draws them, and the import is one undo step that undo and redo take back and forth on disk.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox  # noqa: E402
from ui_helpers import close_shared, exported, reopen, shared_window, wait_for  # noqa: E402

from cluster_desk.core.model import Link  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.ui.exchange.import_dialog import ImportDialog  # noqa: E402
from cluster_desk.ui.exchange.import_run import run_import_dialog  # noqa: E402

OGR2OGR = shutil.which("ogr2ogr")
pytestmark = pytest.mark.skipif(OGR2OGR is None, reason="GDAL (ogr2ogr) is not installed: run "
                                "scripts/system-deps.sh")


def _fields(lk: Link) -> tuple[Any, ...]:
    return lk.id, lk.source, lk.target, lk.kind, lk.start, lk.end, lk.volume, lk.contract, lk.notes, lk.share


class Setup:
    """The module's window (a members-only project open in it), the demo's links, the files."""

    def __init__(self, window: Any, links: dict[str, Link], drawn: int, files: dict[str, Path], bare: Path,
                 ) -> None:
        self.window, self.links, self.drawn, self.files, self.bare = window, links, drawn, files, bare


def _drawn(window: Any) -> int:
    """Links the page holds (alive); sent in the order of the window's commands."""
    box: list[Any] = []
    window.map.page().runJavaScript("window.__clusterDeskLinks.stats().links", 0, box.append)
    wait_for(lambda: bool(box))
    return int(box[0])


@pytest.fixture(scope="module")
def setup(qapp: Any, tmp_path_factory: Any) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("links-files")
    window = shared_window(folder)  # the demo, with its links, opened in the real window
    session = window.session
    links = dict(session.links)
    wait_for(lambda: _drawn(window) > 0)
    drawn = _drawn(window)
    files: dict[str, Path] = {}
    said: list[str] = []
    window.exchange.ctx.notifier.statusShown.connect(lambda text, *_: said.append(text))
    for suffix in (".geojson", ".kml", ".gpkg", ".xlsx"):  # File > Export, the formats that carry links
        out = files[f"ours{suffix}"] = folder / f"demo{suffix}"
        assert exported(window.exchange.export_to(out)) == len(session.members)
        assert said[-1] == f"Exported {len(session.members)} members and {len(links)} links to {out}"
    files["ours.csv"] = folder / "links.csv"  # File > Export, "Links table, CSV"
    assert exported(window.exchange.export_links_to(files["ours.csv"])) == len(links)
    files["ours.tsv"] = folder / "links.tsv"
    assert exported(window.exchange.export_links_to(files["ours.tsv"])) == len(links)
    files["gdal-lines.geojson"] = folder / "gdal-lines.geojson"  # the GeoPackage's line layer alone
    files["gdal-both.kml"] = folder / "gdal-both.kml"  # members and links, as GDAL writes KML
    files["gdal-lines.gpkg"] = folder / "gdal-lines.gpkg"  # a GeoPackage of the line layer alone
    drivers = {".geojson": "GeoJSON", ".kml": "KML", ".gpkg": "GPKG"}
    for out, layers in ((files["gdal-lines.geojson"], ["links"]), (files["gdal-both.kml"], []),
                        (files["gdal-lines.gpkg"], ["links"])):
        done = subprocess.run([str(OGR2OGR), "-f", drivers[out.suffix], str(out), str(files["ours.gpkg"]),
                               *layers], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    # The project the files go into: the demo's members and settings, no links.
    bare = folder / "members.cdesk"
    with Project.create(bare, name="members") as p:
        p.add_members(session.members.values())
        p.set_settings(session.settings)
    assert window.files.open_path(bare)
    wait_for(lambda: _drawn(window) == 0 and bool(window.session.results))
    yield Setup(window, links, drawn, files, bare)
    close_shared(window)


def _import(window: Any, path: Path, look: Callable[[ImportDialog], None],
            told: list[str] | None = None) -> Any:
    """File > Import of ``path`` in the window: the preview is looked at, then Import and OK (the
    summary box's text and details go to ``told``)."""
    seen: list[ImportDialog] = []

    def answer() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, ImportDialog) and not seen:
            seen.append(widget)
            look(widget)
            widget.run_import()
        elif isinstance(widget, QMessageBox):
            if told is not None:
                told.extend([widget.text(), widget.detailedText()])
            widget.accept()
        elif isinstance(widget, QDialog):
            widget.reject()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    try:
        report = run_import_dialog(window, window.session, path)
    finally:
        timer.stop()
    assert seen, "the import dialog was not shown"
    return report


ROUND_TRIPS = {  # file -> whether it holds members as well (the links are then a tab beside them)
    "ours.geojson": True, "ours.kml": True, "ours.gpkg": True, "ours.xlsx": True, "ours.csv": False,
    "ours.tsv": False,
    "gdal-lines.geojson": False, "gdal-both.kml": True, "gdal-lines.gpkg": False,
}


@pytest.mark.parametrize("name", list(ROUND_TRIPS))
def test_links_file_imports_in_the_window_as_one_undo_step(setup: Setup, name: str) -> None:
    window, session = setup.window, setup.window.session
    path, with_members = setup.files[name], ROUND_TRIPS[name]
    members_before = dict(session.members)
    step = session.undo_stack.index()

    def look(d: ImportDialog) -> None:
        assert d.links is not None and d.links_only is (not with_members)
        assert d.links.report is not None and d.links.report.added == len(setup.links)
        assert not d.links.report.problems, d.links.report.problems[:3]
        assert d.links.sample.rowCount() == 50
        if not with_members:
            assert d.windowTitle() == f"Import links — {path.name}"
            assert d.tabs.count() == 1 and d.tabs.tabText(0) == f"Links ({len(setup.links)})"
        else:
            assert d.report is not None and d.report.unchanged == len(members_before)

    report = _import(window, path, look)
    assert report is not None
    assert {i: _fields(lk) for i, lk in session.links.items()} == {
        i: _fields(lk) for i, lk in setup.links.items()}
    assert session.members == members_before  # a file with members too: they are the same
    assert session.undo_stack.index() == step + 1  # one step (an undone one before it is dropped)
    wait_for(lambda: _drawn(window) == setup.drawn)

    session.undo_stack.undo()  # one step takes every link away, in the window and in the file
    assert not session.links and session.members == members_before
    assert reopen(session.path)[1] == []
    wait_for(lambda: _drawn(window) == 0)
    session.undo_stack.redo()
    assert {_fields(lk) for lk in reopen(session.path)[1]} == {_fields(lk) for lk in setup.links.values()}
    wait_for(lambda: _drawn(window) == setup.drawn)
    session.undo_stack.undo()  # the next file starts from no links
    wait_for(lambda: _drawn(window) == 0)


def test_members_and_links_into_an_empty_project(setup: Setup, tmp_path: Path) -> None:
    """A new project, then File > Import of our GeoPackage: members and links, one undo step."""
    window = setup.window
    empty = tmp_path / "new.cdesk"
    Project.create(empty).close()
    assert window.files.open_path(empty)
    try:
        session = window.session
        wait_for(lambda: _drawn(window) == 0)

        def look(d: ImportDialog) -> None:  # the ends are the file's own members, not yet stored
            assert d.links is not None and not d.links_only and d.links.report is not None
            assert d.links.report.added == len(setup.links) and not d.links.report.problems

        _import(window, setup.files["ours.gpkg"], look)
        assert len(session.members) == len(reopen(setup.bare)[0])
        assert {_fields(lk) for lk in session.links.values()} == {_fields(lk) for lk in setup.links.values()}
        assert session.undo_stack.index() == 1
        wait_for(lambda: _drawn(window) == setup.drawn)
        session.undo_stack.undo()
        assert not session.members and not session.links
        assert reopen(empty)[:2] == ({}, [])
        wait_for(lambda: _drawn(window) == 0)
    finally:
        assert window.files.open_path(setup.bare)
        wait_for(lambda: _drawn(window) == 0 and not window.session.links)


def _cp1251_links(folder: Path, members: list[Any]) -> tuple[Path, list[str]]:
    """A links CSV as Excel saves it in Russian Windows: cp1251, semicolons, Russian headers."""
    a, b, c = members[:3]
    rows = [
        ["Поставщик", "ИНН поставщика", "Покупатель", "Вид связи", "Дата начала", "Дата окончания",
         "Сумма договора"],
        [a.name, a.inn, b.name, "Поставка промышленной продукции", "01.03.2022", "", "1 250 000,50"],  # 2
        ["", a.inn, c.id, "совместные НИОКР", "2021-09-01", "30.06.2024", "н/д"],  # 3: by INN and by id
        [f"  {b.name.upper()} ", "", c.name, "обучение, стажировки", "", "", "1,25 млн"],  # 4: name key
        [a.name, "", "ООО «Нет такого»", "Поставка", "", "", ""],  # 5: unmatched end
        [b.name, "", b.name, "Поставка", "", "", ""],  # 6: a member to itself
        [a.name, "", c.name, "дружба", "", "", ""],  # 7: unknown kind
        [c.name, "", a.name, "Финансирование", "2023-01-01", "2020-01-01", ""],  # 8: ends before start
        [c.name, "", b.name, "Господдержка", "", "", "-5"],  # 9: negative volume
    ]
    path = folder / "связи.csv"
    path.write_bytes("\r\n".join(";".join(r) for r in rows).encode("cp1251"))
    return path, [a.id, b.id, c.id]


def test_cp1251_links_csv_names_bad_rows_and_imports_the_rest(setup: Setup, tmp_path: Path) -> None:
    window, session = setup.window, setup.window.session
    members = sorted((m for m in session.members.values() if m.inn and "«" in m.name), key=lambda m: m.name)
    path, (a, b, c) = _cp1251_links(tmp_path, members)
    said: list[str] = []

    def look(d: ImportDialog) -> None:
        assert d.links_only and d.links is not None and d.links.report is not None
        assert "CSV, cp1251" in d.info.text() and "Поставщик → Member 1 (supplier)" in d.columns_label.text()
        assert "8 link rows read: 3 to add, 0 to update, 0 unchanged, 5 with problems." in d.links.info.text()
        said.extend(d.links.problems.item(i).text() for i in range(d.links.problems.count()))
        assert d.links.sample.rowCount() == 3

    told: list[str] = []
    report = _import(window, path, look, told)
    assert told[0] == "Imported 3 links from связи.csv (3 added, 0 updated, 0 unchanged); 5 rows skipped."
    assert told[1].splitlines() == [s.removeprefix("Not imported: ") for s in said]
    expected = [
        "связи.csv, row 5, field “Member 2 (buyer)”: “ООО «Нет такого»” matches no member",
        "связи.csv, row 6, field “Member 2 (buyer)”",
        "связи.csv, row 7, field “Kind of link”: “дружба”",
        "связи.csv, row 8, field “End”: “2020-01-01” is before the start",
        "связи.csv, row 9, field “Volume, roubles”: “-5”",
    ]
    for line in expected:
        assert any(line in s for s in said), (line, said)
    assert report.added == 3 and sorted({p.row for p in report.problems}) == [5, 6, 7, 8, 9]
    got = {(lk.source, lk.target): lk for lk in session.links.values()}
    assert got[(a, b)].volume == 1_250_000.5 and got[(a, b)].start == "2022-03-01"
    assert got[(a, c)].volume is None and got[(a, c)].end == "2024-06-30"
    assert got[(b, c)].volume == 1_250_000.0
    assert len(reopen(session.path)[1]) == 3
    session.undo_stack.undo()
    assert not session.links and reopen(session.path)[1] == []
    session.undo_stack.redo()
    assert len(session.links) == 3 and len(reopen(session.path)[1]) == 3
    session.undo_stack.undo()
    wait_for(lambda: _drawn(window) == 0)



@pytest.mark.usefixtures("russian")
def test_links_file_preview_speaks_russian(qtbot: Any, setup: Setup, tmp_path: Path) -> None:
    session = setup.window.session
    members = sorted((m for m in session.members.values() if m.inn and "«" in m.name), key=lambda m: m.name)
    path, _ = _cp1251_links(tmp_path, members)
    d = ImportDialog(None, session.project, path)
    qtbot.addWidget(d)
    assert d.windowTitle() == "Импорт связей — связи.csv"
    assert d.tabs.tabText(0) == "Связи (3)" and d.links is not None
    assert d.links.sample.horizontalHeaderItem(0).text() == "Участник 1"
    problems = [d.links.problems.item(i).text() for i in range(d.links.problems.count())]
    where = "Не импортировано: связи.csv, строка 5, поле «Участник 2 (покупатель)»"
    assert any(line.startswith(where) for line in problems), problems
    assert "прочитано строк связей: 8" in d.links.info.text().lower(), d.links.info.text()
    assert not session.links  # the preview writes nothing
