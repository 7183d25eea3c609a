"""Issue 17: the roster's first sorts right after an open or a reset, at no cost they need not pay.

- A sort by Region clicked while the regions are looked up on their thread sorts as soon as the
  thread knows every row's region, before it has made its id -> region map (which took about as
  long again), and in the order each member's own region gives; the thread makes that map only
  once the sort has taken the codes (it would hold the GIL the sort needs).
- An opened project's first sort by kind or status ranks the codes its open read (no read of the
  column from the file, no label looked up per row), in the order the records give.
- ``ranks.codes_key`` is ``ranks.key_of`` of the texts the codes name.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from test_roster_fast_keys import _random_members, _shown, _slow_order, _views_side
from test_roster_file_columns import _shown as _shown_ids

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster import file_columns, ranks, subject_column
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.proxy import RosterProxy


def _lookup_held_until(clicked: threading.Event, monkeypatch: Any) -> None:
    """The thread's lookup waits for the click: a reset starts it, and under load it could know
    every row's codes before the test clicks (the sort then has nothing to wait for)."""
    index_of = subject_column.default_subjects

    def held_index() -> Any:
        if threading.current_thread() is not threading.main_thread():
            assert clicked.wait(timeout=30)
        return index_of()

    monkeypatch.setattr(subject_column, "default_subjects", held_index)



def _reset_roster(seed: int, monkeypatch: Any) -> tuple[Any, RosterModel, RosterProxy, threading.Event]:
    """400 random members reset into a roster behind a proxy, the regions thread's lookup held
    until the returned event is set (the test's click); the click does not wait for the codes
    (a roster past SORT_WAITS_ROWS: test_ui_roster tests the brief wait below it)."""
    monkeypatch.setattr(subject_column, "SORT_WAITS_ROWS", 0)
    clicked = threading.Event()
    _lookup_held_until(clicked, monkeypatch)
    members = _random_members(random.Random(seed), 400)
    session, model = _views_side([])
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    return session, model, proxy, clicked

def test_a_region_sort_waiting_for_the_thread_sorts_once_the_rows_codes_are_known(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    held = threading.Event()
    reached = threading.Event()
    parts = subject_column._id_parts

    def held_parts(ids: Any) -> Any:  # the thread's id -> region map, held until the end
        reached.set()
        assert held.wait(timeout=30)
        return parts(ids)

    monkeypatch.setattr(subject_column, "_id_parts", held_parts)
    session, model, proxy, clicked = _reset_roster(8, monkeypatch)
    try:
        proxy.sort(COL["region"])  # the click: the lookup starts on its thread
        assert model._region_key_partial
        clicked.set()
        qtbot.waitUntil(lambda: not model._region_key_partial, timeout=30_000)
        # sorted while the map is still held: nothing of it is known here yet
        assert not model.subjects._subject and model.subjects._prefetched is None
        assert reached.wait(timeout=30) and not held.is_set()
        sorted_early = _shown(proxy)
    finally:
        clicked.set()
        held.set()
    qtbot.waitUntil(lambda: model.subjects._prefetched is None and not model.subjects._loader.is_alive())
    qtbot.waitUntil(lambda: model.subjects._subject != {})
    assert sorted_early == _slow_order(model, "region", False)  # each member's own region
    assert _shown(proxy) == sorted_early  # the map's arrival changes no row
    proxy.sort(COL["region"], Qt.SortOrder.DescendingOrder)
    assert _shown(proxy) == _slow_order(model, "region", True)
    session.project = None


def test_the_threads_region_map_waits_until_a_waiting_region_sort_has_taken_the_codes(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    # The map holds the GIL in C calls: made at once, it kept the GUI thread from the codes'
    # sort (and paint) until it was done (issue 17: ~60 ms more to a sorted Region at 100,000).
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    monkeypatch.setattr(subject_column, "_CODES_WAIT_S", 60.0)  # (the test ends long before)
    seen: list[tuple[bool, bool]] = []
    parts = subject_column._id_parts

    def watched_parts(ids: Any) -> Any:  # where the map starts: the GUI thread's state then
        seen.append((model._region_key_partial, model.subjects._codes_taken.is_set()))
        return parts(ids)

    monkeypatch.setattr(subject_column, "_id_parts", watched_parts)
    session, model, proxy, clicked = _reset_roster(10, monkeypatch)
    proxy.sort(COL["region"])  # the click: the lookup starts on its thread
    clicked.set()
    assert model._region_key_partial and model.subjects.codes_awaited
    qtbot.waitUntil(lambda: model.subjects._subject != {}, timeout=30_000)
    assert seen == [(False, True)]  # sorted by the codes before the map began
    assert not model.subjects.codes_awaited
    assert _shown(proxy) == _slow_order(model, "region", False)
    session.project = None


def test_the_region_key_from_codes_is_the_key_of_the_rows_names(qapp: Any, qtbot: Any,
                                                                 monkeypatch: Any) -> None:
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    members = _random_members(random.Random(9), 300)
    session, model = _views_side([])
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    column = model.subjects
    column._prefetch()
    qtbot.waitUntil(lambda: column._prefetched is not None or column._row_codes is not None, timeout=30_000)
    column.adopt()
    key = column.sort_key(len(members))
    assert key is not None
    slow = ranks.key_of(column.sort_names([m.id for m in members]), False)
    assert key[0] == slow[0] and key[2] is None
    np.testing.assert_array_equal(key[1], slow[1])
    session.project = None


@pytest.fixture(scope="module")
def opened_file(tmp_path_factory: Any) -> tuple[Path, list[Member]]:
    path = tmp_path_factory.mktemp("first-sorts") / "opened.cdesk"
    members = _random_members(random.Random(12), 120)
    with Project.create(path, name="R") as project:
        project.add_members(members)
    return path, members


@pytest.mark.parametrize("col", ["kind", "status"])
def test_an_opened_projects_first_sort_by_kind_or_status_reads_no_column(
        qapp: Any, opened_file: tuple[Path, list[Member]], col: str, monkeypatch: Any) -> None:
    session = ProjectSession()
    session.open(opened_file[0])
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    assert session.opened is not None and not session.members.loaded
    read: list[Any] = []
    real = file_columns.read_rows
    monkeypatch.setattr(file_columns, "read_rows", lambda *a, **k: read.append(a) or real(*a, **k))
    proxy.sort(COL[col])
    assert read == [] and not session.members.loaded  # the open's codes: no file read, no record
    order = _shown(proxy)
    proxy.sort(COL[col], Qt.SortOrder.DescendingOrder)
    descending = _shown(proxy)
    assert order == _slow_order(model, col, False)  # (builds the records: after the sorts)
    assert descending == _slow_order(model, col, True)
    session.close()


def test_codes_key_is_key_of_the_texts_the_codes_name() -> None:
    rng = np.random.default_rng(4)
    texts = ["b", None, "a", "", "c", "a", "zz"]  # a blank, an empty text, a text twice
    for n in (0, 1, 50, 2000):
        codes = rng.integers(-1, len(texts), n).astype(np.int16)  # -1: the last text
        got = ranks.codes_key(codes, texts)
        want = ranks.key_of([texts[c] for c in codes.tolist()], False)
        assert got[0] == want[0] and got[2] is None
        np.testing.assert_array_equal(got[1], want[1])
    only_some = ranks.codes_key(np.array([0, 0, 4], dtype=np.uint8), texts)
    assert only_some[0] == ["b", "c"]  # the distinct texts the rows have, as key_of keeps them


def test_kind_and_status_values_are_the_codes_order() -> None:
    """The open's codes are positions in these tuples (store.column_read): the key reads them so."""
    from cluster_desk.core.tables import MEMBER_KIND_VALUES, STATUS_VALUES

    assert tuple(k.value for k in MemberKind) == MEMBER_KIND_VALUES
    assert tuple(s.value for s in Status) == STATUS_VALUES


def test_an_opened_projects_stored_columns_ranked_ahead_sort_as_the_records_do(
        qapp: Any, qtbot: Any, opened_file: tuple[Path, list[Member]], monkeypatch: Any) -> None:
    """Once the open is assessed, INN, sector, head count and size are read in one pass and ranked
    on a thread: their first sorts read nothing more and give the records' order."""
    session = ProjectSession()
    session.open(opened_file[0])
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    threads: list[str] = []
    reader = file_columns.reader

    def counted(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return reader(*args, **kwargs)

    monkeypatch.setattr(file_columns, "reader", counted)
    model.prewarm_stored()
    assert len(threads) == 1  # one read for the four columns
    warming = set(model.columns._warming.values())
    assert len(warming) == 1
    qtbot.waitUntil(lambda: not any(t.is_alive() for t in warming), timeout=30_000)
    read: list[Any] = []
    real = file_columns.read_rows
    monkeypatch.setattr(file_columns, "read_rows", lambda *a, **k: read.append(a) or real(*a, **k))
    orders = {}
    for col in ("inn", "sector", "employees", "size"):
        proxy.sort(COL[col])
        orders[col] = _shown_ids(proxy)  # (no cell's data asked: that builds the row's record)
    assert read == [] and not session.members.loaded
    for col, order in orders.items():
        assert order == _slow_order(model, col, False), col
    session.close()
