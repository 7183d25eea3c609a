"""The links table's first sort and filters right after an open come from the open's columns and
the file's (ui/links/opened_order.py, store/link_values.py; issue 17: 2.8-5 s at 300,000 links
for the records before), with no record built, and show the very rows and order the records
say (what LinksProxy.accepts and LinksModel.sort_key gave): every column, both orders, with
ties, empty values, Cyrillic names and texts longer than the sort's cut."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.links.model import COLUMNS, LinksModel
from cluster_desk.ui.links.panel import LinksPanel
from cluster_desk.ui.project import live_assessment
from cluster_desk.ui.project.session import ProjectSession

LONG = "Общество с ограниченной ответственностью «Казанский завод точного машиностроения» "


def _names(rng: random.Random) -> list[str]:
    names = []
    for i in range(240):
        pick = rng.random()
        if pick < 0.2:
            names.append(f"ООО «Компания {i % 7}»")  # ties
        elif pick < 0.3:
            names.append(LONG + ("№ 2" if i % 2 else "№ 1"))  # alike past the sort's 64 characters
        elif pick < 0.4:
            names.append(f"ооо «компания {i % 5}» и партнёры")  # case apart only
        elif pick < 0.5:
            names.append(f"Firm {i % 11} Kazan")
        else:
            names.append(f"{rng.choice(['АО', 'ООО', 'ИП', 'Ёлка'])} "
                         f"«{rng.choice(['Альфа', 'Бета', 'Ёж'])} {i}»")
    return names


@pytest.fixture
def project(tmp_path: Path) -> Path:
    rng = random.Random(17)
    path = tmp_path / "links.cdesk"
    members = [Member(name, id=f"m{i:03d}", lat=55 + i / 1000, lon=49.0)
               for i, name in enumerate(_names(rng))]
    links = []
    for i in range(1500):
        a, b = rng.sample(members, 2)
        start = rng.choice([None, None, "2015-01-01",
                            f"20{rng.randrange(10, 24)}-0{rng.randrange(1, 10)}-15"])
        end = rng.choice([None, None, "2030-12-31"]) if start else rng.choice([None, "2019-06-30"])
        links.append(Link(a.id, b.id, rng.choice(list(LinkKind)), id=f"l{i:04d}", start=start, end=end,
                          volume=rng.choice([None, None, 0.0, 1e6, 2.5e6, round(rng.uniform(0, 1e7), 2)]),
                          contract=rng.choice(["", "", "", "Договор № 12", "Договор № 7 от 2020-01-01",
                                               "Б/Н"]),
                          notes=rng.choice(["", "", "", "", "поставки стали", "Ёлка и партнёры",
                                            LONG * 2, LONG * 2 + "а", "Компания 3» ООО"])))
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return path


@pytest.fixture
def panel(qapp: Any, project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LinksPanel]:
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    s = ProjectSession()
    s.open(project)
    shown = LinksPanel(LinksModel(s))
    shown.set_active(True)
    yield shown
    shown.deleteLater()
    s.close()


def _shown(panel: LinksPanel) -> list[str]:
    """The shown rows' link ids (by the model's rows: no record built for them)."""
    proxy, ids = panel.proxy, panel.model.ids()
    return [ids[proxy.mapToSource(proxy.index(r, 0)).row()] for r in range(proxy.rowCount())]


def _records(path: Path) -> tuple[list[Link], dict[str, str]]:
    with Project.open(path) as p:
        return p.links(), {m.id: m.name for m in p.members()}


def _key(link: Link, column: str, names: dict[str, str]) -> Any:
    """What the records sort by (LinksModel._sort_key)."""
    if column == "volume":
        return -1.0 if link.volume is None else link.volume
    if column in ("source", "target"):
        return names[getattr(link, column)]
    if column == "kind":
        return link_kind_labels()[link.kind]
    value = getattr(link, column)
    return "" if value is None else str(value)


def _passes(link: Link, names: dict[str, str], kind: LinkKind | None, text: str, day: str) -> bool:
    """What the records pass (LinksProxy.accepts)."""
    whole = f"{names[link.source]} {names[link.target]} {link.contract} {link.notes}".casefold()
    return ((kind is None or link.kind == kind) and (not day or link.active_on(day))
            and (not text or text.casefold() in whole))


def _arrange(qtbot: Any, panel: LinksPanel, column: int, order: Qt.SortOrder,
             kind: LinkKind | None = None, text: str = "", day: str = "") -> list[str]:
    panel.kind.setCurrentIndex(panel.kind.findData(kind.value) if kind else 0)
    panel.text.setText(text)
    panel.day.setText(day)
    panel.view.sortByColumn(column, order)
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    return _shown(panel)


def test_every_column_sorted_both_ways_as_the_records_say(qtbot: Any, panel: LinksPanel) -> None:
    session = panel.model.session
    links, names = _records(session.path)
    assert panel.model.ids() == [lk.id for lk in links]  # (the table's rows: the file's order)
    for column, name in enumerate(COLUMNS):
        keys = [_key(lk, name, names) for lk in links]
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            descending = order == Qt.SortOrder.DescendingOrder
            # (Python's sort is stable, reverse too: equal keys keep the file's order)
            ranked = sorted(range(len(links)), key=keys.__getitem__, reverse=descending)
            expected = [links[i].id for i in ranked]
            assert _arrange(qtbot, panel, column, order) == expected, (name, order)
    # Made from the columns: no record of any link or member was built (at 300,000 links the
    # records took seconds of slices before the first sort could start).
    assert not session.links.loaded and not session.members.loaded
    assert session.links._dict is None and session.members._dict is None


@pytest.mark.parametrize("text", ["компания 3", "КОМПАНИЯ", "» ооо", "№ 1 ооо «ком", "1 ИП", "партнёры",
                                  "договор № 7", "kazan ооо", "стали", "»  ", "нет такого"])
def test_text_filters_as_the_records_say(qtbot: Any, panel: LinksPanel, text: str) -> None:
    session = panel.model.session
    links, names = _records(session.path)
    shown = _arrange(qtbot, panel, -1, Qt.SortOrder.AscendingOrder, text=text)
    assert shown == [lk.id for lk in links if _passes(lk, names, None, text.strip(), "")]
    assert not session.links.loaded and not session.members.loaded


def test_kind_day_text_and_sort_together(qtbot: Any, panel: LinksPanel) -> None:
    session = panel.model.session
    links, names = _records(session.path)
    for kind, text, day, column in ((LinkKind.SUPPLY, "", "2016-03-01", "volume"),
                                    (None, "ооо", "2020-01-01", "start"),
                                    (LinkKind.RND, "«", "", "target"),
                                    (None, "Ёлка", "2019-06-30", "end"),
                                    (None, "", "", "notes"), (None, "б/н", "", "contract")):
        kept = [lk for lk in links if _passes(lk, names, kind, text, day)]
        keys = [_key(lk, column, names) for lk in kept]
        expected = [kept[i].id for i in sorted(range(len(kept)), key=keys.__getitem__, reverse=True)]
        assert _arrange(qtbot, panel, COLUMNS.index(column), Qt.SortOrder.DescendingOrder,
                        kind, text, day) == expected, (kind, text, day, column)
    assert not session.links.loaded


def test_after_edits_as_the_records_say(qtbot: Any, panel: LinksPanel) -> None:
    """Edits since the open (a member renamed, moved, added, deleted with its links and put back;
    links added, edited and deleted): the columns with the edits laid over them still give the
    records' rows and order, and still no record of every link is built."""
    session = panel.model.session
    with Project.open(session.path) as p:
        members = {m.id: m for m in p.members()}
        some = p.links()[:40]
    session.apply_update([dataclasses.replace(members["m005"], name="Ёлка «Последняя» 0")])
    session.apply_update([dataclasses.replace(members["m006"], lat=56.5)])
    session.apply_add([Member("ООО «Компания 3» новая", id="m-new", lat=55.5, lon=49.5)])
    gone, their_links = session.apply_delete(["m010"])
    session.apply_restore(gone, their_links)
    session.apply_delete(["m011"])
    session.undo_stack.push(AddLink(session, Link("m-new", "m005", LinkKind.RND, id="l-new", volume=2.5e6,
                                                  start="2016-02-02", contract="Б/Н",
                                                  notes="новая связь")))
    session.undo_stack.push(EditLink(session, dataclasses.replace(some[3], volume=None, notes="Ёлка",
                                                                  kind=LinkKind.SUPPLY, start=None)))
    session.undo_stack.push(DeleteLinks(session, [some[7].id, some[8].id]))
    assert not session.links.loaded
    links, names = _records(session.path)
    by_id = {lk.id: lk for lk in links}
    shown = [by_id[i] for i in panel.model.ids()]  # (the table's rows now: the new ones last)
    for kind, text, day, column in ((None, "", "", "source"), (None, "", "", "volume"),
                                    (None, "ёлка", "", "target"), (None, "компания 3", "", "kind"),
                                    (LinkKind.SUPPLY, "", "2016-03-01", "start"), (None, "б/н", "", "notes")):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            kept = [lk for lk in shown if _passes(lk, names, kind, text, day)]
            keys = [_key(lk, column, names) for lk in kept]
            descending = order == Qt.SortOrder.DescendingOrder
            ranked = sorted(range(len(kept)), key=keys.__getitem__, reverse=descending)
            assert _arrange(qtbot, panel, COLUMNS.index(column), order, kind, text, day) == [
                kept[i].id for i in ranked], (kind, text, day, column, order)
    assert not session.links.loaded  # (the edits' records only)


def test_made_in_parts_the_same(qtbot: Any, panel: LinksPanel, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names casefolded and texts made into arrays a part at a time (a million at once held the
    GIL): parts of 7 give the same rows and order as one part."""
    from cluster_desk.ui.links import opened_order, text_order

    monkeypatch.setattr(text_order, "ARRAY_CHUNK", 7)
    monkeypatch.setattr(opened_order, "ARRAY_CHUNK", 7)
    links, names = _records(panel.model.session.path)
    for text, column in (("компания", "source"), ("» ооо", "target"), ("", "notes")):
        kept = [lk for lk in links if _passes(lk, names, None, text, "")]
        keys = [_key(lk, column, names) for lk in kept]
        expected = [kept[i].id for i in sorted(range(len(kept)), key=keys.__getitem__)]
        assert _arrange(qtbot, panel, COLUMNS.index(column), Qt.SortOrder.AscendingOrder,
                        None, text) == expected


def test_a_busy_pointer_while_it_is_made(qtbot: Any, panel: LinksPanel) -> None:
    """The rows stay as they were while a sort is made on its worker, under a busy pointer."""
    viewport = panel.view.viewport()
    before = _shown(panel)
    panel.view.sortByColumn(COLUMNS.index("target"), Qt.SortOrder.AscendingOrder)
    assert panel.proxy.pending and _shown(panel) == before
    assert viewport.cursor().shape() == Qt.CursorShape.BusyCursor
    qtbot.waitUntil(lambda: not panel.proxy.pending)
    assert viewport.cursor().shape() != Qt.CursorShape.BusyCursor and _shown(panel) != before


def test_what_the_columns_cannot_say_takes_the_records(qtbot: Any, project: Path, qapp: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A link whose end is no member (a file written by another program): its name is its id,
    as the records say; the table takes the records for it."""
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)
    with sqlite3.connect(project) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE links SET target = 'ghost' WHERE id = 'l0004'")
    s = ProjectSession()
    s.open(project)
    shown = LinksPanel(LinksModel(s))
    try:
        shown.set_active(True)
        links, names = _records(project)
        names["ghost"] = "ghost"
        keys = [_key(lk, "target", names) for lk in links]
        expected = [links[i].id for i in sorted(range(len(links)), key=keys.__getitem__)]
        assert _arrange(qtbot, shown, COLUMNS.index("target"), Qt.SortOrder.AscendingOrder) == expected
        assert s.links.loaded  # (the records, built for it)
    finally:
        shown.deleteLater()
        s.close()


@pytest.mark.parametrize("ahead_up_to", [10_000, 100])
def test_the_names_are_casefolded_and_ranked_ahead_up_to_a_size(
        qtbot: Any, project: Path, qapp: Any, monkeypatch: pytest.MonkeyPatch, ahead_up_to: int) -> None:
    """Shown, the table has its members' names casefolded and ranked on a worker (a first text
    filter and a first sort by an end at 100,000 members waited ~0.2 s and ~0.1 s for them); not
    for more members than FOLD_AHEAD_UP_TO."""
    from cluster_desk.ui.links import opened_order

    monkeypatch.setattr(opened_order, "FOLD_AHEAD_UP_TO", ahead_up_to)
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)
    s = ProjectSession()
    s.open(project)
    panel = LinksPanel(LinksModel(s))
    made = panel.model.opened_order()
    assert made is not None
    cache = made[0]._cache
    assert "folded names" not in cache
    panel.set_active(True)
    qtbot.waitUntil(lambda: "held" in cache or "by id" in cache)  # (the prepare's scan)
    qtbot.waitUntil(lambda: not made[0]._lock.locked())
    assert ("folded names" in cache) is (ahead_up_to > 240)
    assert ("name ranks 0" in cache) is (ahead_up_to > 240)
    ranks = cache.get("name ranks 0")
    links, names = _records(project)
    text = "компания 3"
    assert _arrange(qtbot, panel, COLUMNS.index("source"), Qt.SortOrder.AscendingOrder, text=text) == [
        lk.id for lk in sorted(links, key=lambda lk: _key(lk, "source", names))
        if _passes(lk, names, None, text, "")]
    assert ranks is None or cache["name ranks 0"] is ranks  # (the sort took the one made ahead)
    panel.deleteLater()
    s.close()
