"""``LazyRecords.at``: a record asked for by its place in the column (a view's row) needs no id
lookup while the ``{id: record}`` dict is not made (issue 17: the roster's first rows of a million
members made the members' whole id -> row map on the GUI thread), and says what ``self[key]``
says at every step of edits, deletes and put-backs, whatever the place it is told."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from cluster_desk.core.id_index import IdIndex
from cluster_desk.core.tables import LazyRecords, TextColumn


@dataclass(frozen=True)
class Rec:
    id: str
    value: int


class Lookup:
    """The column's id lookup (``find``), counting how often it is asked for."""

    def __init__(self, ids: list[str] | TextColumn) -> None:
        self.index = IdIndex(ids)
        self.asked = 0

    def __call__(self) -> IdIndex:
        self.asked += 1
        return self.index


def _column(packed: bool) -> tuple[list[str], list[str] | TextColumn]:
    column = [f"c{i}" for i in range(40)]
    if not packed:
        return column, list(column)
    ids = TextColumn.of(column)
    assert ids is not None
    return column, ids


@pytest.mark.parametrize("packed", [False, True])
def test_rows_of_the_column_ask_no_lookup(packed: bool) -> None:
    column, ids = _column(packed)
    file = {k: Rec(k, 0) for k in column}
    loads: list[str] = []

    def load_one(key: str) -> Rec:
        loads.append(key)
        return file[key]

    find = Lookup(ids)
    records: LazyRecords[Rec] = LazyRecords(ids, load_one, lambda: list(file.values()), find=find)
    first = column[:12]  # the rows a view shows first
    assert [records.at(i, k) for i, k in enumerate(first)] == [file[k] for k in first]
    assert [records.at(i, k) for i, k in enumerate(first)] == [file[k] for k in first]  # (kept)
    assert loads == first and find.asked == 0 and not records.loaded
    # Edits made meanwhile: the rows say them, still with no lookup.
    file["c3"] = records["c3"] = Rec("c3", 1)
    del records["c5"]
    assert records.at(3, "c3") == Rec("c3", 1)
    with pytest.raises(KeyError):
        records.at(5, "c5")
    records["c5"] = Rec("c5", 2)  # put back (after the others), still told its old place
    assert records.at(5, "c5") == Rec("c5", 2) == records.at(40, "c5") == records["c5"]
    file["c30"] = records["c30"] = Rec("c30", 3)  # a record never built, set by an edit
    assert records.at(30, "c30") == Rec("c30", 3)
    del records["c31"]  # one never built, deleted
    with pytest.raises(KeyError):
        records.at(31, "c31")
    assert find.asked == 2  # (the edit's and the delete's own questions: is it in the column?)
    # A place that is not the key's: asked by id, as ``self[key]`` is.
    assert records.at(0, "c20") == file["c20"] and find.asked == 3
    with pytest.raises(KeyError):
        records.at(0, "never")
    # The rows once every record is built (the dict made): the same answers.
    records.load_all()
    assert records.at(3, "c3") == Rec("c3", 1) and records.at(9, "c9") == file["c9"]
    with pytest.raises(KeyError):
        records.at(99, "never")


@pytest.mark.parametrize("seed", range(10))
def test_rows_say_what_a_dict_says(seed: int) -> None:
    """A view's rows over the mapping (the column's order, rows added at the end, rows taken out
    where they were, as the roster keeps them), each read by its row: the record a plain dict
    holds, or KeyError for one it does not; the lookup asked only by edits and off-place reads."""
    rng = random.Random(seed)
    column, ids = _column(seed % 2 == 1)
    file = {k: Rec(k, 0) for k in column}
    find = Lookup(ids)
    records: LazyRecords[Rec] = LazyRecords(ids, lambda k: file[k], lambda: list(file.values()),
                                            find=find)
    want = dict(file)
    rows = list(column)  # the view's rows, in order
    removed: list[Rec] = []
    dict_at = rng.choice([rng.randrange(30, 90), 10**9])
    moved = False  # a row taken out: the rows after it are no longer at their column's place
    for step in range(120):
        what = rng.choice(["add", "del", "put back", "edit", "read", "read", "read"])
        if what == "add":
            new = Rec(f"n{step}", step)
            records.add_new([new])
            want[new.id] = file[new.id] = new
            rows.append(new.id)
        elif what == "del" and rows:
            row = rng.randrange(len(rows))
            key = rows.pop(row)
            del records[key]
            removed.append(want.pop(key))
            del file[key]
            moved = moved or row < len(rows)
            with pytest.raises(KeyError):
                records.at(row, key)
        elif what == "put back" and removed:
            back = removed.pop(rng.randrange(len(removed)))
            records[back.id] = back
            want[back.id] = file[back.id] = back
            rows.append(back.id)
        elif what == "edit" and rows:
            key = rng.choice(rows)
            want[key] = file[key] = records[key] = Rec(key, step)
        elif rows:
            asked = find.asked
            for row in rng.sample(range(len(rows)), min(6, len(rows))):
                assert records.at(row, rows[row]) == want[rows[row]]
            if not moved:  # every row at its column's place, or an added one: no lookup
                assert find.asked == asked
        if step == dict_at:
            records.load_all()
    assert [records.at(row, key) for row, key in enumerate(rows)] == [want[k] for k in rows]
    assert list(records) == rows == list(want)
