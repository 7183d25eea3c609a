"""Issue 17: the roster's sort keys at scale, built the fast way, give the order the slow way gave.

- text columns of many rows are ranked by numpy (np.unique), not sorted(set) + a dict;
- size, nearest place, kind/status codes and region come from tight whole-column loops;
- the regions of a big roster are looked up on a thread once its first rows show, so a sort
  by region finds them resolved; after a drag or an edit the order follows.
The thresholds are lowered here so small rosters take the big-roster paths.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.core.tables import TextColumn
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster import ranks, subject_column
from cluster_desk.ui.roster.model import COL, COLUMNS, ID_ROLE, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel
from cluster_desk.ui.roster.proxy import RosterProxy

_WORDS = ["ООО", "Завод", "завод", "Альфа", "Straße", "STRASSE", "Äpfel", "apfel", "ёлка", "Ёж",
          "Bolt", "№1", "\U0001f600", "x"]


def _random_members(rng: random.Random, n: int) -> list[Member]:
    kinds, statuses = list(MemberKind), list(Status)
    out = []
    for i in range(n):
        name = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 2)))  # many ties
        placed = i % 9 != 0
        out.append(Member(name=name, kind=rng.choice(kinds), status=rng.choice(statuses),
                          sector=rng.choice(["", "29.10", "C28", "Ab", "ав"]),
                          inn=rng.choice(["", "7701", "1655"]),
                          employees=rng.choice([None, 0, 15, 16, 100, 101, 250, 251, rng.randint(0, 5000)]),
                          lat=rng.uniform(51, 59) if placed else None,
                          lon=rng.uniform(40, 60) if placed else None))
    return out


def _views_side(members: list[Member]) -> tuple[ProjectSession, RosterModel]:
    session = ProjectSession()
    session.members = {m.id: m for m in members}
    session.project = object()  # "open" for the model; no edits go to a store here
    return session, RosterModel(session)


def _slow_order(model: RosterModel, col: str, descending: bool, kind: MemberKind | None = None) -> list[str]:
    """The order the slow obvious way: each member's own sort value, a stable sort, blanks last."""
    members = [model.member_at(r) for r in range(model.rowCount())]
    keyed = [(model._sort_value(m, col), m.id) for m in members if kind is None or m.kind is kind]
    present = sorted((k for k in keyed if k[0] is not None), key=lambda k: k[0], reverse=descending)
    return [mid for _, mid in present] + [mid for v, mid in keyed if v is None]


def _shown(proxy: RosterProxy) -> list[str]:
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def _assert_python_ranks(values: list[Any], got: tuple[np.ndarray, np.ndarray] | None) -> None:
    """``got`` (ranks, rows in rank order) are what Python's str order gives: each row's rank among
    the distinct texts (NaN: None or ""), the rows in that order, ties in row order, blanks last."""
    assert got is not None
    ranks, rows = got
    uniq = sorted(set(values) - {None, ""})
    rank = {v: i for i, v in enumerate(uniq)}
    expected = [rank[v] if v else None for v in values]
    assert [None if np.isnan(r) else int(r) for r in ranks.tolist()] == expected
    place = [len(uniq) if r is None else r for r in expected]  # a blank: after every text
    assert rows.tolist() == sorted(range(len(values)), key=place.__getitem__)
    assert ranks.dtype == np.float32 and rows.dtype == np.int32  # (half of float64 / int64: issue 17)


@pytest.mark.parametrize(("part", "look"), [(65536, 16384), (7, 5), (1, 1)])
def test_numpy_ranks_order_texts_as_python_does(monkeypatch: Any, part: int, look: int) -> None:
    monkeypatch.setattr(ranks, "_PART", part)  # (texts compared a part at a time: its edges)
    monkeypatch.setattr(ranks, "_LOOK_ROWS", look)  # (texts looked at and put in the array: the same)
    rng = random.Random(11)
    values: list[Any] = [rng.choice([*_WORDS, "\ud800x", "a b", "A", "ёж", "еж", "Ё"]).casefold()
                         for _ in range(3000)]
    values[::17] = [None] * len(values[::17])
    values[::23] = [""] * len(values[::23])
    _assert_python_ranks(values, ranks._numpy_ranks(values))
    _assert_python_ranks(values[:8], ranks._numpy_ranks(values[:8]))
    # texts numpy would compare differently, or an array too wide: the Python way instead
    assert ranks._numpy_ranks(["a\x00", "a"]) is None
    assert ranks._numpy_ranks(["a", "b", "c", "d", "e", "x" * (ranks._NUMPY_WIDTH + 1), "a"]) is None
    assert ranks._numpy_ranks(["a", "b", "c", "d", "e", "f\x00", "a"]) is None  # (in a later part)
    _assert_python_ranks([None, None], ranks._numpy_ranks([None, None]))
    _assert_python_ranks([], ranks._numpy_ranks([]))


@given(st.lists(st.one_of(st.none(), st.text("0123456789", max_size=19), st.text("09aZ ~", max_size=6),
                          st.text("09яЁ", max_size=4)), max_size=40),
       st.sampled_from(["digits", "ascii", "any"]))
@settings(max_examples=300, deadline=None)
@example(["12", "1", "", None, "120", "0", "00", "9" * 18, "1" * 18], "digits")
@example(["9" * 19, "1"], "digits")  # too long for an int64: compared as texts
@example(["9", "89", "19", "2", "099", "1"], "digits")  # a "9" must never carry into the next digit
@example(["", "", "", "12", "3"], "digits")  # an empty first part, digits after
@example(["12", "ab", "3"], "any")  # digits, then a part that is not
def test_numpy_ranks_of_digits_and_ascii_order_as_python_does(values: list[Any], alphabet: str) -> None:
    """The INN column's digits ranked as numbers and ASCII texts as bytes (issue 17) keep Python's
    str order; a blank (None or "") ranks NaN. The texts are looked at in parts of 3 (a part's
    ASCII or digits alone must not decide for the whole)."""
    if alphabet == "digits":
        values = [v if v is None or v.isdigit() else None for v in values]
    elif alphabet == "ascii":
        values = [v if v is None or v.isascii() else None for v in values]
    old = ranks._LOOK_ROWS
    ranks._LOOK_ROWS = 3  # (restored below: no fixture with @given)
    try:
        _assert_python_ranks(values, ranks._numpy_ranks(values))
    finally:
        ranks._LOOK_ROWS = old


@pytest.mark.parametrize("seed", [1, 2])
def test_every_sort_and_the_kind_filter_match_the_slow_order(qapp: Any, monkeypatch: Any, seed: int) -> None:
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    if seed == 2:  # texts numpy cannot rank (too long): Python ranks them, ranks-only all the same
        monkeypatch.setattr(ranks, "_NUMPY_WIDTH", 3)
    members = _random_members(random.Random(seed), 250)
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    for col in COLUMNS:
        for descending in (False, True):
            model.columns.drop()
            proxy.sort(COL[col], Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
            assert _shown(proxy) == _slow_order(model, col, descending), (col, descending)
    proxy.sort(COL["size"])
    proxy.set_kind(MemberKind.FIRM)
    assert _shown(proxy) == _slow_order(model, "size", False, MemberKind.FIRM)
    proxy.set_status(Status.CANDIDATE)
    assert _shown(proxy) == [mid for mid in _slow_order(model, "size", False, MemberKind.FIRM)
                             if session.members[mid].status is Status.CANDIDATE]
    session.project = None


def test_a_big_rosters_regions_are_looked_up_on_a_thread_before_the_click(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    from cluster_desk.places.regions import default_subjects

    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    monkeypatch.setattr(subject_column, "_CHUNK", 64)  # in parts: 64 * 4 + 44
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    members = _random_members(random.Random(7), 300)
    session, model = _views_side([])
    index = default_subjects()
    calls: list[int] = []
    real = index.codes

    def counted(lats: Any, lons: Any) -> Any:
        calls.append(len(lats))
        return real(lats, lons)

    monkeypatch.setattr(index, "codes", counted)
    panel = RosterPanel(model)  # the real dock: its rows show, and ask for their regions
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.members = {m.id: m for m in members}  # a big project opened in the window
    model.apply_change(ChangeSet(reset=True))
    parts = [64, 64, 64, 64, 44]
    qtbot.waitUntil(lambda: not model.subjects._pending and calls == parts)  # all, on the thread
    proxy = panel.proxy
    proxy.sort(COL["region"])
    assert calls == parts  # the click looked nothing up
    assert _shown(proxy) == _slow_order(model, "region", False)
    assert len({model._sort_value(m, "region") for m in members}) > 3

    # A drag to another region moves the member's row; an edit of the head count, its size.
    first = session.members[_shown(proxy)[0]]
    before = model._sort_value(first, "region")
    _edit(session, dataclasses.replace(first, lat=70.0, lon=100.0), moved=True)  # Taymyr
    assert model._sort_value(session.members[first.id], "region") not in (before, None)
    assert _shown(proxy) == _slow_order(model, "region", False)
    proxy.sort(COL["size"], Qt.SortOrder.DescendingOrder)
    last = session.members[_shown(proxy)[-1]]
    assert model._sort_value(last, "size") is None  # blank (no head count): last either way
    _edit(session, dataclasses.replace(last, employees=100_000))
    assert _shown(proxy)[-1] != last.id
    assert _shown(proxy) == _slow_order(model, "size", True)
    session.project = None



class _CountedGets(dict):  # type: ignore[type-arg]
    """The subject column's id -> subject map, counting its look-ups."""

    gets = 0

    def get(self, *args: Any) -> Any:
        _CountedGets.gets += 1
        return super().get(*args)


def test_a_region_sort_right_after_a_big_open_looks_up_no_row_by_id(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    """Issue 17 (a click on Region right after a 100,000-member open: 168 ms to sorted rows): the
    click while the thread looks up sorts with no row's subject known without asking for each;
    once the thread has answered, the rows' names come from its codes, in the rows' order, not
    from a look-up by id per row. After a drag the codes no longer hold: by id again, right."""
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    members = _random_members(random.Random(5), 300)
    session, model = _views_side([])
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    column = model.subjects
    column._subject = _CountedGets()
    _CountedGets.gets = 0
    assert column.sort_names(model._ids, wait=False) == [None] * len(members)
    assert _CountedGets.gets == 0
    assert column.looking_up()  # the thread starts (as the click's sort does)
    qtbot.waitUntil(lambda: not column._pending)  # answered, and taken by the model
    column._subject = _CountedGets(column._subject)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["region"])
    assert _CountedGets.gets == 0
    assert _shown(proxy) == _slow_order(model, "region", False)
    assert len({model._sort_value(m, "region") for m in members}) > 3
    first = session.members[_shown(proxy)[0]]
    _edit(session, dataclasses.replace(first, lat=70.0, lon=100.0), moved=True)  # to Taymyr
    assert _shown(proxy) == _slow_order(model, "region", False)
    session.project = None


def test_while_the_map_paints_an_opened_project_no_warm_up_thread_starts(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    """The blobs the page fetches move only while the GUI thread is free: the region lookup and
    the name ranking (threads holding the GIL) wait for ``openPainted``, then start."""
    from cluster_desk.ui.roster import model as roster_model

    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    monkeypatch.setattr(roster_model, "PREWARM_ROWS", 50)
    members = _random_members(random.Random(11), 200)
    session, model = _views_side([])
    panel = RosterPanel(model)  # the real dock: its rows show, and ask for their regions
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.hold_assessment()  # as the map does while it paints an opened project
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    qtbot.waitExposed(panel)
    qapp.processEvents()  # the rows are painted, their region cells asked for
    shown = panel.proxy.index(0, COL["region"])
    assert shown.data() == "" and model.subjects._loader is None and not model.columns._warming
    with qtbot.waitSignal(session.openPainted):
        session.release_assessment()
    session._assess_timer.stop()  # no store behind this session to assess
    qtbot.waitUntil(lambda: not model.subjects._pending)  # looked up on the thread, then adopted
    assert model.subjects._loader is not None and "name" in model.columns._warming
    placed = next(r for r in range(model.rowCount()) if model.member_at(r).lat is not None)
    qtbot.waitUntil(lambda: model.index(placed, COL["region"]).data() != "")
    session.project = None


def _edit(session: ProjectSession, member: Member, moved: bool = False) -> None:
    """An edit as the session reports it (the store's side is not part of this)."""
    session.members[member.id] = member
    session.changed.emit(ChangeSet(upserted=frozenset({member.id}),
                                   moved=frozenset({member.id}) if moved else frozenset()))


def test_points_changed_while_the_thread_looks_up_are_not_overwritten(qapp: Any, monkeypatch: Any) -> None:
    """The thread's answer for older points is not taken (a drag during the lookup wins)."""
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 5)
    kazan = Member(name="Kazan firm", lat=55.79, lon=49.12)
    others = [Member(name=f"Izhevsk {i}", lat=56.85, lon=53.2) for i in range(10)]
    session, model = _views_side([kazan, *others])
    column = model.subjects
    column.forget()
    column.update(session.members.values())
    column._prefetch()
    moved = dataclasses.replace(kazan, lat=56.85, lon=53.2)
    column.update([moved])  # while (or after) the thread looked the old point up
    assert column._loader is not None
    column._loader.join()
    column.adopt()  # stale: not taken (a new lookup may start)
    column.resolve_all()
    assert column.subject(kazan.id) is not None and column.subject(kazan.id).code == "RU-UD"
    session.project = None


def test_the_kind_and_status_codes_follow_the_as_of_view(qapp: Any) -> None:
    from cluster_desk.core.timeline import DayStatus

    members = _random_members(random.Random(3), 60)
    session, model = _views_side(members)
    model.show_day_status(lambda mid: DayStatus.NOT_YET if mid == members[0].id else None)
    kinds, statuses = model.columns.codes()
    codes = model.columns._codes
    assert [(int(k), int(s)) for k, s in zip(kinds, statuses, strict=True)] == [codes(m) for m in members]
    model.apply_change(ChangeSet(reset=True))
    session.project = None


def test_a_big_rosters_name_key_is_ranked_ahead_and_an_edit_since_is_not_lost(
        qapp: Any, monkeypatch: Any) -> None:
    from cluster_desk.ui.roster import model as roster_model

    monkeypatch.setattr(roster_model, "PREWARM_ROWS", 50)
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    members = _random_members(random.Random(9), 200)
    session, model = _views_side(members)  # the reset ranks the names on a thread
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    thread = model.columns._warming["name"]
    thread.join()
    assert "name" in model.columns._warm  # ranked on the thread, not yet taken
    model.columns.drop("distance")  # the centre moved: the names' key stays good
    proxy.sort(COL["name"])
    assert "name" in model.columns._keys and not model.columns._warm  # the click took it
    assert _shown(proxy) == _slow_order(model, "name", False)

    # Sorted by name, a reset ranks them at once (the proxy needs the key): no thread for it.
    model.apply_change(ChangeSet(reset=True))
    assert "name" in model.columns._keys and "name" not in model.columns._warming
    assert _shown(proxy) == _slow_order(model, "name", False)

    # An edit after the ranking started: the thread's key is stale, the sort ranks anew.
    proxy.sort(COL["kind"])
    model.apply_change(ChangeSet(reset=True))
    model.columns._warming["name"].join()
    renamed = dataclasses.replace(members[5], name="\U0001f600\U0001f600 last of all")
    _edit(session, renamed)
    proxy.sort(COL["name"])
    assert _shown(proxy)[-1] == renamed.id
    assert _shown(proxy) == _slow_order(model, "name", False)
    proxy.sort(COL["name"], Qt.SortOrder.DescendingOrder)
    assert _shown(proxy) == _slow_order(model, "name", True)
    session.project = None


def test_a_sort_of_an_opened_project_reads_its_records_in_one_pass(qapp: Any) -> None:
    """An opened project's members are built lazily: the first sort by a column that needs the
    records builds them in one pass over the file, not one query per row."""
    from cluster_desk.core.tables import LazyRecords

    members = _random_members(random.Random(4), 120)
    by_id = {m.id: m for m in members}
    one_by_one: list[str] = []
    passes: list[int] = []

    def load_one(mid: str) -> Member:
        one_by_one.append(mid)
        return by_id[mid]

    def load_all() -> list[Member]:
        passes.append(1)
        return members

    session = ProjectSession()
    session.members = LazyRecords([m.id for m in members], load_one, load_all)
    session.project = object()
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    # As right after an open: the rows are there, no record is built yet.
    session.members = LazyRecords([m.id for m in members], load_one, load_all)
    passes.clear()
    proxy.sort(COL["size"])
    assert passes == [1] and one_by_one == []
    assert _shown(proxy) == _slow_order(model, "size", False)
    session.project = None


def test_right_after_an_open_kind_filters_and_region_sorts_build_no_record(qapp: Any, tmp_path: Any) -> None:
    from cluster_desk.store.project import Project

    path = tmp_path / "k.cdesk"
    project = Project.create(path, name="K")
    members = _random_members(random.Random(12), 80)
    project.add_members(members)
    project.close()
    session = ProjectSession()
    session.open(path)
    try:
        model = RosterModel(session)
        proxy = RosterProxy()
        proxy.setSourceModel(model)
        assert session.opened is not None and not session.members.loaded
        proxy.set_kind(MemberKind.FIRM)
        proxy.sort(COL["region"])
        assert not session.members.loaded  # from the opened columns and the ids alone
        firms = {m.id for m in members if m.kind is MemberKind.FIRM}
        assert _shown(proxy) == [mid for mid in _slow_order(model, "region", False) if mid in firms]
        proxy.set_status(Status.MEMBER)  # codes built: the same again
        assert set(_shown(proxy)) == {m.id for m in members if m.kind is MemberKind.FIRM
                                      and m.status is Status.MEMBER}
    finally:
        session.close()


def test_an_opened_snapshot_s_names_are_ranked_ahead_from_their_blob(qapp: Any, monkeypatch: Any) -> None:
    """A snapshot's names (one UTF-8 blob, issue 17) are casefolded and ranked on the thread
    with no str per name made on the GUI thread; the order is the slow one."""
    from cluster_desk.core.tables import LinkColumns, MemberColumns
    from cluster_desk.ui.project.loading import OpenedColumns
    from cluster_desk.ui.roster import model as roster_model

    monkeypatch.setattr(roster_model, "PREWARM_ROWS", 50)
    monkeypatch.setattr(roster_model, "PART_ROWS", 7)  # (casefolded a part at a time: its edges)
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    members = _random_members(random.Random(12), 200)
    session, model = _views_side(members)
    names = TextColumn.of([m.name for m in members])
    assert names is not None
    ids = [m.id for m in members]
    session.opened = OpenedColumns(
        MemberColumns(ids, names, [m.kind.value for m in members], [m.status.value for m in members],
                      np.array([np.nan if m.lat is None else m.lat for m in members]),
                      np.array([np.nan if m.lon is None else m.lon for m in members])),
        LinkColumns([], ids, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8)))
    model.apply_change(ChangeSet(reset=True))
    model.columns._warming["name"].join()
    assert "name" in model.columns._warm  # ranked from the blob on the thread
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["name"])
    assert _shown(proxy) == _slow_order(model, "name", False)
    session.opened = None
    session.project = None


def test_the_rows_map_of_an_opened_project_is_a_copy_of_the_opens(qapp: Any) -> None:
    """The roster's id -> row map right after an open is the open's own map copied (a dict up to
    250,000 ids: not made again from the ids on the GUI thread, issue 17); a row added later goes
    in the copy, never in the open's."""
    from cluster_desk.core.tables import LinkColumns, MemberColumns
    from cluster_desk.ui.project.loading import OpenedColumns

    members = _random_members(random.Random(13), 40)
    session, model = _views_side(members)
    ids = [m.id for m in members]
    session.opened = OpenedColumns(
        MemberColumns(ids, [m.name for m in members], [m.kind.value for m in members],
                      [m.status.value for m in members],
                      np.array([np.nan if m.lat is None else m.lat for m in members]),
                      np.array([np.nan if m.lon is None else m.lon for m in members])),
        LinkColumns([], ids, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8)))
    model.apply_change(ChangeSet(reset=True))
    shared = session.opened.members.index
    rows = model._row
    assert rows == {mid: i for i, mid in enumerate(ids)} and rows is not shared
    added = dataclasses.replace(members[0], id="added-later")
    session.members[added.id] = added
    session.changed.emit(ChangeSet(upserted=[added.id]))
    assert model.row_of("added-later") == len(ids) and "added-later" not in shared
    session.opened = None
    session.project = None
