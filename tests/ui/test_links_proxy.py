"""The links table's filters and sort (ui/links/proxy.py, issue 17): showing the table walks no
row; a filter or sort waits for the records (built between frames), then shows what the session's
records say; edits while filtered or sorted keep the view right and the selection on its link."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink
from cluster_desk.ui.links.model import COLUMNS, LINK_ID_ROLE, LinksModel
from cluster_desk.ui.links.panel import LinksPanel
from cluster_desk.ui.project import live_assessment
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def opened(qapp: Any, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ProjectSession, LinksPanel]]:
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    rng = random.Random(3)
    path = tmp_path / "p.cdesk"
    members = [Member(f"Firm {i:03d}", id=f"m{i:03d}", lat=55 + i / 1000, lon=49.0) for i in range(300)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links([Link(*(m.id for m in rng.sample(members, 2)), rng.choice(list(LinkKind)),
                          start=f"20{rng.randrange(10, 24)}-01-01", id=f"l{i:04d}") for i in range(900)])
    s = ProjectSession()
    s.open(path)
    panel = LinksPanel(LinksModel(s))
    yield s, panel
    panel.deleteLater()
    s.close()


def _shown(panel: LinksPanel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, 0).data(LINK_ID_ROLE) for r in range(proxy.rowCount())]


def test_showing_the_table_walks_no_row(opened: tuple[ProjectSession, LinksPanel],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    session, panel = opened
    asked: list[int] = []
    monkeypatch.setattr(panel.proxy, "accepts", lambda _m, row: asked.append(row) or True)
    panel.set_active(True)
    assert panel.proxy.rowCount() == 900 and asked == []
    assert [panel.proxy.index(r, 0).data(LINK_ID_ROLE) for r in (0, 1, 899)] == [
        list(session.links)[r] for r in (0, 1, 899)]
    shown = [[panel.proxy.index(r, c).data() for c in range(len(COLUMNS))] for r in (0, 1, 899)]
    # The rows came from the file and the open's columns: no {id: record} map of every link or
    # member was made (at 300,000 links, that map was most of the first show).
    assert session.links._dict is None and session.members._dict is None
    with Project.open(session.path) as p:
        names = {m.id: m.name for m in p.members()}
        for row, lk in zip(shown, [p.link(list(session.links)[r]) for r in (0, 1, 899)], strict=True):
            assert row[:2] == [names[lk.source], names[lk.target]] and row[3] == (lk.start or "")


def test_a_filter_waits_for_the_records_then_shows_the_kind(
        qtbot: Any, opened: tuple[ProjectSession, LinksPanel]) -> None:
    session, panel = opened
    panel.set_active(True)
    panel.kind.setCurrentIndex(panel.kind.findData(LinkKind.SUPPLY.value))
    assert panel.proxy.pending and panel.proxy.rowCount() == 900  # the rows as they are meanwhile
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    expected = [lk.id for lk in session.links.values() if lk.kind == LinkKind.SUPPLY]
    assert _shown(panel) == expected
    assert str(len(expected)) in panel.count.text() and "900" in panel.count.text()
    panel.text.setText("firm 007")
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    wanted = [lid for lid in expected if "m007" in (session.links[lid].source, session.links[lid].target)]
    assert _shown(panel) == wanted
    panel.text.setText("")
    panel.kind.setCurrentIndex(0)
    panel.day.setText("2015-06-01")
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    active = [lk.id for lk in session.links.values() if lk.active_on("2015-06-01")]
    assert _shown(panel) == active and len(active) < 900
    panel.day.setText("")
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    panel.day.setText("1.6.2015")  # the same day as Russians write it
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    assert _shown(panel) == active


def test_sort_and_edits_while_filtered(qtbot: Any, opened: tuple[ProjectSession, LinksPanel]) -> None:
    session, panel = opened
    panel.set_active(True)
    panel.view.sortByColumn(COLUMNS.index("source"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    shown = _shown(panel)
    names = [session.members[session.links[lid].source].name for lid in shown]
    assert names == sorted(names, reverse=True) and len(names) == 900
    # Equal names keep the file's order, descending too.
    assert [lid for lid in shown if names[0] == session.members[session.links[lid].source].name] == [
        lid for lid in session.links if session.members[session.links[lid].source].name == names[0]]
    panel.kind.setCurrentIndex(panel.kind.findData(LinkKind.RND.value))
    assert panel.proxy.pending and len(_shown(panel)) == 900  # sorted, not yet filtered
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    rnd = _shown(panel)
    assert {session.links[lid].kind for lid in rnd} == {LinkKind.RND}
    panel.select_link(rnd[5])
    assert panel.selected_ids() == [rnd[5]]
    # A new R&D link shows last; a deleted one goes; one edited to another kind is hidden.
    new = Link("m001", "m002", LinkKind.RND, id="new-link")
    session.undo_stack.push(AddLink(session, new))
    assert _shown(panel) == [*rnd, "new-link"]
    session.undo_stack.push(DeleteLinks(session, [rnd[0]]))
    edited = dataclasses.replace(session.links[rnd[1]], kind=LinkKind.SUPPLY)
    session.undo_stack.push(EditLink(session, edited))
    assert _shown(panel) == [*rnd[2:], "new-link"]
    assert panel.selected_ids() == [rnd[5]]  # the selection stayed on its link
    session.undo_stack.undo()
    assert _shown(panel) == [*rnd[2:], "new-link", rnd[1]]  # shown again, last



def test_keys_sharing_their_first_characters_sort_by_the_whole_text(qtbot: Any, tmp_path: Path) -> None:
    """Sort keys go to numpy cut to KEY_CHARS characters; names and notes alike that far are then
    ordered by the rest (before, they kept the file's order)."""
    from cluster_desk.ui.links.proxy import KEY_CHARS

    stem = "Договор поставки комплектующих для сборочного производства, этап " * 2
    assert len(stem) > KEY_CHARS
    tails = ["я", "а", "б", "", "аб", "а"]  # (equal whole keys keep the file's order)
    rng = random.Random(9)
    members = [Member(f"Firm {i:02d}", id=f"m{i:02d}", lat=55 + i / 1000, lon=49.0) for i in range(30)]
    links = [Link(*(m.id for m in rng.sample(members, 2)), LinkKind.SUPPLY, id=f"l{i:03d}",
                  notes=stem[:KEY_CHARS + i % 7] + tails[i % len(tails)] if i % 5 else f"Кратко {i}")
             for i in range(240)]
    rng.shuffle(links)
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(members)
        p.add_links(links)
    session = ProjectSession()
    session.open(tmp_path / "p.cdesk")
    panel = LinksPanel(LinksModel(session))
    panel.set_active(True)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        panel.view.sortByColumn(COLUMNS.index("notes"), order)
        qtbot.waitUntil(lambda: not panel.proxy.pending)
        descending = order == Qt.SortOrder.DescendingOrder
        want = sorted(links, key=lambda lk: lk.notes, reverse=descending)  # (stable: the file's order)
        assert _shown(panel) == [lk.id for lk in want]
    panel.deleteLater()
    session.close()


@pytest.mark.parametrize("small_run", [0, 2000])
def test_the_order_of_cut_keys_is_the_order_of_the_whole_texts(small_run: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """``order_of`` with keys cut at KEY_CHARS: the order of the whole texts, stable, both ways,
    by numpy part by part (small_run 0) and by a Python sort of a short run (texts alike for
    KEY_CHARS, for more, for all of them; some a prefix of others, some equal)."""
    import numpy as np

    from cluster_desk.ui.links import text_order as proxy

    monkeypatch.setattr(proxy, "SMALL_RUN", small_run)
    rng = random.Random(4)
    for _ in range(150):
        stems = ["я" * rng.choice([10, 63, 64, 65, 127, 128, 129, 200]) for _ in range(3)]
        texts = [rng.choice(stems) + "".join(rng.choice("аб") for _ in range(rng.randrange(4)))
                 for _ in range(rng.randrange(40))]
        cut = {i: t for i, t in enumerate(texts) if len(t) > proxy.KEY_CHARS}
        keys = np.array([t[:proxy.KEY_CHARS] for t in texts], dtype=str) if texts else np.zeros(0)
        for descending in (False, True):
            want = sorted(range(len(texts)), key=texts.__getitem__, reverse=descending)
            assert proxy.order_of(keys, descending, cut).tolist() == want


def test_the_proxy_answers_each_cell_as_the_model_does(
        qtbot: Any, opened: tuple[ProjectSession, LinksPanel]) -> None:
    """The proxy asks the model for a painted cell by row (LinksModel.cell, no index mapped):
    filtered, every role of every cell is the model's for the row the proxy maps to, the
    editable columns say so, and past the rows shown nothing is said."""
    from PySide6.QtCore import QModelIndex

    from cluster_desk.ui.links.model import EDITABLE, SORT_ROLE

    session, panel = opened
    panel.set_active(True)
    proxy, model = panel.proxy, panel.proxy.source()
    panel.kind.setCurrentIndex(panel.kind.findData(LinkKind.SUPPLY.value))
    qtbot.waitUntil(lambda: not proxy.pending)
    assert 0 < proxy.rowCount() < 900
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        assert session.links[index.data(LINK_ID_ROLE)].kind == LinkKind.SUPPLY
        for column in range(len(COLUMNS)):
            index = proxy.index(row, column)
            source = proxy.mapToSource(index)
            assert bool(proxy.flags(index) & Qt.ItemFlag.ItemIsEditable) == (COLUMNS[column] in EDITABLE)
            for role in [*range(0, 11), int(LINK_ID_ROLE), int(SORT_ROLE)]:
                assert proxy.data(index, role) == model.data(source, role), (row, column, role)
    assert proxy.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None
    assert proxy.data(proxy.createIndex(proxy.rowCount(), 0), Qt.ItemDataRole.DisplayRole) is None
