"""Issue 17 memory: a big text column keeps only its ranks (float32) and its rows in rank order, no
casefolded copy of its texts; an edit places its row by bisecting the other rows' own values.
After any run of edits the sort is the slow obvious one's (Cyrillic, Latin, mixed, ё/е, ß, ties).
The proxy holds no row arrays with no sort and no filter, int32 ones else.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from test_roster_fast_keys import _shown, _slow_order, _views_side

from cluster_desk.core.model import Member
from cluster_desk.ui.project.session import ChangeSet
from cluster_desk.ui.roster import columns, ranks
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.proxy import RosterProxy

_NAMES = ["Ёлка", "елка", "ёлка", "Ежи", "Straße", "STRASSE", "strasse", "Zebra", "zebra", "Альфа",
          "альфа 2", "Альфа 10", "ООО «Бета»", "Beta", "\u0130stanbul", "ﬁrm", "FIRM", "x", "Я", "я"]
_INNS = ["", "7701", "1655", "77010", "0", "16550000001"]


def _members(rng: random.Random, n: int) -> list[Member]:
    return [Member(name=rng.choice(_NAMES) + rng.choice(["", " 1", " Ё"]), inn=rng.choice(_INNS))
            for _ in range(n)]


def _edit(session: Any, member: Member) -> None:
    session.members[member.id] = member
    session.changed.emit(ChangeSet(upserted=[member.id]))


@pytest.fixture
def ranks_only(monkeypatch: Any) -> None:
    """Small rosters take the big-roster path (ranks only)."""
    monkeypatch.setattr(ranks, "_NUMPY_RANKS", 10)
    monkeypatch.setattr(ranks, "_SAMPLE", 10_000)


_one_edit = st.tuples(st.integers(0, 59), st.sampled_from(["name", "inn"]),
                     st.one_of(st.sampled_from(_NAMES + _INNS), st.text("аЁеzZß01 ", max_size=5)))
#: Edits, each one or a few rows at once (one change set: the rows are placed together)
edits = st.lists(st.lists(_one_edit, min_size=1, max_size=4), min_size=1, max_size=8)


@given(seed=st.integers(0, 10_000), edits=edits, descending=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_edits_of_a_ranks_only_column_keep_the_slow_order(
        qapp: Any, ranks_only: None, seed: int, edits: list[list[tuple[int, str, str]]],
        descending: bool) -> None:
    members = _members(random.Random(seed), 60)
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for col in ("inn", "name"):  # both keys built; the name's is sorted by
        proxy.sort(COL[col], order)
    assert "name" in model.columns._orders and "name" not in model.columns._uniq  # no texts kept
    for together in edits:
        ids = []
        for row, field, text in together:
            m = model.member_at(row)
            value = text.strip() or ("n" if field == "name" else "")  # (a name is never blank)
            session.members[m.id] = dataclasses.replace(m, **{field: value})
            ids.append(m.id)
        session.changed.emit(ChangeSet(upserted=ids))
        assert _shown(proxy) == _slow_order(model, "name", descending)
    assert "name" in model.columns._orders  # placed, not ranked again
    proxy.sort(COL["inn"], order)
    assert _shown(proxy) == _slow_order(model, "inn", descending)
    session.project = None


def test_an_edit_between_two_neighbouring_ranks_moves_the_ranks_above(qapp: Any, ranks_only: None) -> None:
    """No free rank between a new text's neighbours: the ranks above move up one (a new array, so
    the proxy sorts again: a row tied with the edited one may part from it)."""
    members = [Member(name=n) for n in ["b", "a", "c", "b", "d"] * 4]
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["name"])
    before = model.columns._keys["name"]
    assert before.dtype == np.float32
    _edit(session, dataclasses.replace(members[4], name="bb"))  # between "b" and "c"
    assert model.columns._keys["name"] is not before
    assert _shown(proxy) == _slow_order(model, "name", False)
    _edit(session, dataclasses.replace(members[0], name="b"))  # its own name again: its rank stays
    assert _shown(proxy) == _slow_order(model, "name", False)


def test_an_edit_of_many_rows_ranks_the_column_again(qapp: Any, ranks_only: None) -> None:
    members = _members(random.Random(3), 200)
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["name"])
    many = members[: columns.PATCH_RANKS_AT_MOST + 1]
    renamed = [dataclasses.replace(m, name=m.name[::-1] + "я") for m in many]
    for m in renamed:
        session.members[m.id] = m
    session.changed.emit(ChangeSet(upserted=[m.id for m in renamed]))
    assert _shown(proxy) == _slow_order(model, "name", False)


def test_the_proxy_holds_row_arrays_only_for_a_sort_or_a_filter(qapp: Any) -> None:
    members = _members(random.Random(5), 50)
    session, model = _views_side(members)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    assert proxy._rows is None and proxy._pos is None and proxy._order is None and proxy._mask is None
    assert _shown(proxy) == [m.id for m in members]
    proxy.sort(COL["name"])
    assert proxy._order is not None and proxy._order.dtype == np.int32
    assert proxy._pos is not None and proxy._pos.dtype == np.int32 and proxy._mask is None
    proxy.set_text("ёлка")
    haystack = model.haystack
    filtered = [mid for mid in _slow_order(model, "name", False) if "ёлка" in haystack(session.members[mid])]
    assert _shown(proxy) == filtered
    proxy.sort(-1)
    assert proxy._order is None and proxy._rows is not None and proxy._rows.dtype == np.int32
    assert _shown(proxy) == [m.id for m in members if m.id in set(filtered)]
    proxy.set_text("")
    assert proxy._rows is None and proxy._pos is None
    # rows added and removed with nothing on: still none, and the rows are the model's
    extra = Member(name="Новый")
    session.members[extra.id] = extra
    session.changed.emit(ChangeSet(upserted=[extra.id]))
    del session.members[members[0].id]
    session.changed.emit(ChangeSet(removed=[members[0].id]))
    assert proxy._rows is None and _shown(proxy) == [model.member_id(r) for r in range(model.rowCount())]
    assert proxy.mapFromSource(model.index(model.row_of(extra.id), 0)).row() == model.rowCount() - 1
    session.project = None


_LETTERS = "aAzZßẞİıΣσςёЁеЕйЙﬁ Ǆǅ1\x00\x01"


def _text_rows(texts: list[tuple[str, str, str]]) -> list[Member]:
    return [Member(name=name or "n", sector=sector, address=address) for name, sector, address in texts]


@given(rows=st.lists(st.tuples(st.text(_LETTERS, max_size=6), st.text(_LETTERS, max_size=3),
                               st.text(_LETTERS, max_size=4)), min_size=1, max_size=25),
       needles=st.lists(st.text(_LETTERS, min_size=1, max_size=3), min_size=1, max_size=4),
       edits=st.lists(st.tuples(st.integers(0, 24), st.text(_LETTERS, max_size=6)), max_size=6),
       from_file=st.booleans(), edits_at_most=st.sampled_from([1, 2000]),
       part_rows=st.sampled_from([1, 3, 8192]))
@settings(max_examples=200, deadline=None)
def test_the_text_filter_finds_what_the_obvious_test_finds(
        rows: list[tuple[str, str, str]], needles: list[str], edits: list[tuple[int, str]],
        from_file: bool, edits_at_most: int, part_rows: int) -> None:
    """The haystack kept as one casefolded string (no list of the rows' texts), casefolded a part
    of ``part_rows`` rows at a time when read from the file (ß -> ss, İ, ς... in one part and not
    the next), with edited rows aside or joined again: the rows the filter shows are those whose
    own casefolded text holds the needle."""
    members = _text_rows(rows)
    haystack = RosterModel.haystack
    raw = ["\x01".join((m.name, m.sector, m.inn, m.address, m.notes)) for m in members]
    cols = columns.RosterColumns(
        lambda: members, lambda m, c: None, lambda c: False, haystack, lambda m: (0, 0),
        haystacks_all=(lambda: list(raw)) if from_file else None)  # (a list of its own: taken)
    old = columns.HAY_EDITS_AT_MOST, columns.PART_ROWS
    columns.HAY_EDITS_AT_MOST, columns.PART_ROWS = edits_at_most, part_rows  # (restored below)
    try:
        for needle in needles:
            assert cols.text_mask(needle).tolist() == _wanted(needle, members)
        for row, name in edits:
            if row < len(members):
                members[row] = dataclasses.replace(members[row], name=name or "n")
                cols.patch([row], [members[row]])
            for needle in needles:
                assert cols.text_mask(needle).tolist() == _wanted(needle, members)
    finally:
        columns.HAY_EDITS_AT_MOST, columns.PART_ROWS = old


def _wanted(needle: str, members: list[Member]) -> list[bool]:
    """The obvious filter: each row's own casefolded text holds the cleaned needle."""
    clean = columns.clean_needle(needle)
    return [not clean or clean in RosterModel.haystack(m) for m in members]
