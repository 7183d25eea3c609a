"""Issue 17: on an opened project the roster's first sort by any stored column, and its first text
filter, read that column from the file (store.member_fields): no member record is built, and the
order and the rows shown are the ones the records give."""

from __future__ import annotations

import dataclasses
import random
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from test_roster_fast_keys import _random_members, _slow_order

from cluster_desk.core.model import Industry, Member
from cluster_desk.store import member_fields
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.roster import file_columns
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel
from cluster_desk.ui.roster.proxy import RosterProxy


def _shown(proxy: RosterProxy) -> list[str]:
    """The ids of the rows shown, in order (no cell's data asked: that builds the row's record)."""
    model = proxy.sourceModel()
    return [model.member_id(proxy.mapToSource(proxy.index(r, 0)).row()) for r in range(proxy.rowCount())]


STORED = ["kind", "status", "industry", "sector", "inn", "employees", "size", "lat", "lon"]


def _members() -> list[Member]:
    rng = random.Random(21)
    members = _random_members(rng, 90)
    industries = list(Industry)
    out = [dataclasses.replace(m, industry=rng.choice(industries),
                               address=rng.choice(["", "Казань, ул. Баумана", "STRASSE 1"]),
                               notes=rng.choice(["", "завод «Альфа»", "ß"])) for m in members]
    # a separator the joined reads use, inside stored texts: those columns are read row by row
    out[3] = dataclasses.replace(out[3], sector="a\x1fb", notes="x\x1fЗавод")
    return out


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: Any) -> tuple[Path, list[Member]]:
    path = tmp_path_factory.mktemp("roster") / "opened.cdesk"
    members = _members()
    with Project.create(path, name="R") as project:
        project.add_members(members)
    return path, members


def _opened(path: Path) -> tuple[ProjectSession, RosterModel, RosterProxy]:
    session = ProjectSession()
    session.open(path)
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    assert session.opened is not None and not session.members.loaded
    return session, model, proxy


def _opened_panel(qtbot: Any, path: Path) -> tuple[ProjectSession, RosterModel, RosterPanel]:
    session = ProjectSession()
    session.open(path)
    model = RosterModel(session)
    panel = RosterPanel(model)
    qtbot.addWidget(panel)
    return session, model, panel


@pytest.mark.parametrize("col", STORED)
def test_first_sort_of_an_opened_project_reads_the_column_not_the_records(
        qapp: Any, project_file: tuple[Path, list[Member]], col: str) -> None:
    session, model, proxy = _opened(project_file[0])
    try:
        shown = {}
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(COL[col], order)
            shown[order] = _shown(proxy)
        assert not session.members.loaded
        assert shown[Qt.SortOrder.AscendingOrder] == _slow_order(model, col, False)
        assert shown[Qt.SortOrder.DescendingOrder] == _slow_order(model, col, True)
    finally:
        session.close()


@pytest.mark.parametrize("needle", ["завод", "STRASSE", "strasse", "ß", "1655", "a\x1fb", "x", "нет такого"])
def test_first_text_filter_of_an_opened_project_reads_the_texts_not_the_records(
        qapp: Any, project_file: tuple[Path, list[Member]], needle: str) -> None:
    session, model, proxy = _opened(project_file[0])
    try:
        proxy.set_text(needle)
        got = set(_shown(proxy))
        assert not session.members.loaded
        wanted = {m.id for m in project_file[1] if needle.casefold().replace("\x1f", "") in model.haystack(m)}
        assert got == wanted
    finally:
        session.close()


def test_after_a_delete_and_its_undo_the_rows_are_matched_by_id(
        qapp: Any, project_file: tuple[Path, list[Member]], tmp_path: Path) -> None:
    path = tmp_path / "edited.cdesk"
    path.write_bytes(project_file[0].read_bytes())
    session, model, proxy = _opened(path)
    try:
        first = model.member_at(0)
        gone, links = session.apply_delete([first.id])
        session.apply_restore(gone, links)  # the row comes back last in the roster
        assert model.member_id(model.rowCount() - 1) == first.id
        assert not session.members.loaded and session.opened is None
        proxy.sort(COL["employees"])
        proxy.set_text("завод")
        assert not session.members.loaded
        assert _shown(proxy) == [i for i in _slow_order(model, "employees", False)
                                 if "завод" in model.haystack(session.members[i])]
    finally:
        session.close()


def test_rows_in_another_order_than_the_file_get_their_own_values(
        qapp: Any, project_file: tuple[Path, list[Member]]) -> None:
    session, _model, _proxy = _opened(project_file[0])
    try:
        by_id = {m.id: m for m in project_file[1]}
        rows = [m.id for m in project_file[1]][::-1]
        for opened in (session.opened, None):  # the open's ids, then the ids read with the column
            session.opened = opened
            got = file_columns.read_rows(session, rows, ["inn", "employees"], ["name", "sector"])
            assert got is not None
            inn, employees, joined = got
            assert inn == [by_id[i].inn for i in rows]
            assert [None if np.isnan(e) else int(e) for e in employees] == [by_id[i].employees for i in rows]
            assert joined == [f"{by_id[i].name}\x01{by_id[i].sector}" for i in rows]
        assert file_columns.read_rows(session, [*rows, "not in the file"], ["inn"]) is None
    finally:
        session.close()


def test_member_fields_reads_columns_in_file_order(project_file: tuple[Path, list[Member]]) -> None:
    path, members = project_file
    with Project.open(path) as project:
        got = project.member_fields(["id", "sector", "employees", "lat"], joined=["name", "notes"])
    assert got["id"] == [m.id for m in members]
    assert got["sector"] == [m.sector for m in members]  # one held the separator: row by row
    want = np.array([np.nan if m.employees is None else m.employees for m in members], dtype=float)
    np.testing.assert_array_equal(got["employees"], want)
    np.testing.assert_array_equal(got["lat"], np.array([np.nan if m.lat is None else m.lat for m in members]))
    assert got["joined"] == [f"{m.name}\x01{m.notes}" for m in members]
    with Project.open(path) as project, pytest.raises(ValueError, match="not a members column"):
        project.member_fields(["id; DROP TABLE members"])
    assert member_fields.TEXTS.isdisjoint(member_fields.NUMBERS)


def test_typing_in_the_filter_reads_the_texts_ahead_on_a_thread(
        qtbot: Any, project_file: tuple[Path, list[Member]]) -> None:
    """The filter box's first keystroke starts the file read on a thread: the read overlaps the
    pause the filter waits for, and the rows shown are the records' (issue 17)."""
    session, model, panel = _opened_panel(qtbot, project_file[0])
    try:
        filtered: list[bool] = []
        panel.proxy.filterChanged.connect(lambda: filtered.append(True))
        panel.filter_edit.setText("Завод")
        assert model.columns._hay_warming is not None  # started by the keystroke, before the filter
        qtbot.waitUntil(lambda: bool(filtered))
        assert model.columns._hay_warming is None  # taken by the filter
        assert set(_shown(panel.proxy)) == {m.id for m in project_file[1] if "завод" in model.haystack(m)}
    finally:
        session.close()


def test_texts_read_ahead_are_dropped_when_a_row_changes_meanwhile(
        qapp: Any, project_file: tuple[Path, list[Member]], tmp_path: Path) -> None:
    """An edit while the read-ahead runs: its (older) texts are not used."""
    path = tmp_path / "edited.cdesk"
    path.write_bytes(project_file[0].read_bytes())
    session, model, proxy = _opened(path)
    try:
        release = threading.Event()
        stale = ["stale"] * model.rowCount()
        model.columns.prewarm_haystacks(lambda: stale if release.wait() else None)
        first = model.member_at(0)
        session.apply_update([dataclasses.replace(first, name="Новое имя")])
        release.set()
        proxy.set_text("stale")
        assert proxy.rowCount() == 0
        proxy.set_text("новое имя")
        assert _shown(proxy) == [first.id]
    finally:
        session.close()


@pytest.mark.parametrize("col", STORED)
def test_the_pointer_on_a_title_ranks_its_column_ahead(
        qtbot: Any, project_file: tuple[Path, list[Member]], monkeypatch: pytest.MonkeyPatch,
        col: str) -> None:
    """Issue 17: resting the pointer on a stored column's title reads and ranks that column on a
    thread; the click finds the key built and reads nothing; the order is the records'."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    session, model, panel = _opened_panel(qtbot, project_file[0])
    panel.resize(1400, 400)
    panel.show()
    try:
        header = panel.view.horizontalHeader()
        at = QPointF(header.sectionViewportPosition(COL[col]) + 4, header.height() / 2)
        QApplication.sendEvent(header.viewport(), QMouseEvent(
            QEvent.Type.MouseMove, at, header.viewport().mapToGlobal(at), Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
        assert col in model.columns._warming  # started by the pointer, before any click
        qtbot.waitUntil(lambda: col in model.columns._warm)
        reads: list[Any] = []
        monkeypatch.setattr(file_columns, "read_rows", lambda *a, **k: reads.append(a))
        panel.proxy.sort(COL[col], Qt.SortOrder.AscendingOrder)
        assert reads == []
        assert _shown(panel.proxy) == _slow_order(model, col, False)
    finally:
        session.close()


def test_the_pointer_entering_the_filter_box_reads_the_texts_ahead_once(
        qtbot: Any, project_file: tuple[Path, list[Member]]) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    session, model, panel = _opened_panel(qtbot, project_file[0])
    try:
        assert model.columns._hay_warming is None
        QApplication.sendEvent(panel.filter_edit, QEvent(QEvent.Type.Enter))
        started = model.columns._hay_warming
        assert started is not None
        QApplication.sendEvent(panel.filter_edit, QEvent(QEvent.Type.Enter))  # again: the same read
        assert model.columns._hay_warming is started
        panel.proxy.set_text("завод")
        assert set(_shown(panel.proxy)) == {m.id for m in project_file[1] if "завод" in model.haystack(m)}
    finally:
        session.close()


def test_an_opened_project_reads_the_filter_texts_ahead_once_assessed(
        qtbot: Any, project_file: tuple[Path, list[Member]]) -> None:
    """Issue 17: the first assessment of an open starts the haystack's read on a thread, so the
    first filter typed (pointer nowhere near the box) does not wait for the file."""
    session, model, proxy = _opened(project_file[0])
    try:
        assert model.columns.wants_haystacks()
        with qtbot.waitSignal(session.assessed, timeout=10_000):
            session.assess_now()
        assert not model.columns.wants_haystacks()  # being read, or read: no filter used yet
        proxy.set_text("завод")
        assert set(_shown(proxy)) == {m.id for m in project_file[1] if "завод" in model.haystack(m)}
    finally:
        session.close()
