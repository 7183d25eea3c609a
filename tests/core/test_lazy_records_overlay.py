"""``LazyRecords`` edited before its ``{id: record}`` dict is made (issue 17: a link added,
deleted, put back or edited on an opened project of 300,000 links needs no dict of them all).

Random edits, lookups and walks against a plain dict of the same records (and a "file" that
takes every edit, as the store does): the mapping says what the dict says at every step, with
the ids' IdIndex there from the start, arriving midway (as from the worker) or never, and the
dict made at a random step; once made, it holds the same ids in the same order, and the count
of records not built yet is right; ``present`` of many ids says what ``in`` says of each."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest

from cluster_desk.core.id_index import IdIndex
from cluster_desk.core.tables import LazyRecords, TextColumn


@dataclass(frozen=True)
class Rec:
    id: str
    value: int


def _check(records: LazyRecords[Rec], want: dict[str, Rec], rng: random.Random) -> None:
    assert len(records) == len(want)
    assert list(records) == list(want)
    assert list(reversed(records))[:5] == list(reversed(want))[:5]
    for key in rng.sample([*want, "never", *[f"c{i}" for i in range(0, 60, 7)]], 8):
        assert (key in records) == (key in want), key
        assert records.get(key) == want.get(key), key
    asked = rng.sample([*want, "never", *[f"c{i}" for i in range(60)], *[f"n{i}-0" for i in range(160)]], 40)
    assert records.present(asked) == [k for k in asked if k in want]  # (all at once)


@pytest.mark.parametrize("seed", range(12))
def test_edits_before_the_dict_say_what_a_dict_says(seed: int) -> None:
    rng = random.Random(seed)
    column = [f"c{i}" for i in range(60)]
    file = {k: Rec(k, 0) for k in column}  # what the store holds (every edit written)
    ids = TextColumn.of(column) if seed % 2 else list(column)
    assert ids is not None
    index_at = [0, 25, 10**9][seed % 3]  # the IdIndex: at once, midway, never
    # the links' IdIndex, or the members' id -> row map (``present`` looks all up at once in it)
    index: Any = IdIndex(ids) if seed % 4 < 2 else {k: i for i, k in enumerate(column)}
    records: LazyRecords[Rec] = LazyRecords(ids, lambda k: file[k], lambda: list(file.values()),
                                            find=lambda: index if step >= index_at else None)
    want = dict(file)
    removed: list[Rec] = []
    dict_at = rng.randrange(20, 120)
    for step in range(160):
        what = rng.choice(["add", "pop", "del", "put back", "edit", "read", "read"])
        if what == "add":
            new = [Rec(f"n{step}-{k}", step) for k in range(rng.choice([1, 1, 3]))]
            records.add_new(new)
            for r in new:
                want[r.id] = file[r.id] = r
        elif what in ("pop", "del") and want:
            key = rng.choice(list(want))
            if what == "pop":
                got = records.pop(key, "absent")
                assert got in (want[key], "absent")  # (the default: never built, not read to delete it)
            else:
                del records[key]
            removed.append(want.pop(key))
            del file[key]
            assert records.pop(key, "absent") == "absent"
            with pytest.raises(KeyError):
                records[key]
        elif what == "put back" and removed:  # an undo of a delete: stored again, last
            back = removed.pop(rng.randrange(len(removed)))
            records[back.id] = back
            want[back.id] = file[back.id] = back
        elif what == "edit" and want:
            key = rng.choice(list(want))
            want[key] = file[key] = records[key] = Rec(key, step)
        elif want:
            key = rng.choice(list(want))
            assert records[key] == want[key]
        if step == dict_at:
            assert records._data is records._dict  # (makes the dict, as a slice reader does)
        _check(records, want, rng)
    assert len(records.unbuilt()) == records._missing
    records.load_all()
    assert records.loaded and dict(records.items()) == want and list(records) == list(want)


def test_with_the_index_a_link_edit_makes_no_dict() -> None:
    column = [f"c{i}" for i in range(10)]
    loaded: list[str] = []

    def one(key: str) -> Rec:
        loaded.append(key)
        return Rec(key, 0)

    index = IdIndex(column)
    records: LazyRecords[Rec] = LazyRecords(column, one, list, find=lambda: index)
    assert "c3" in records and "x" not in records and records.get("x") is None
    records.pop("c3")  # deleted (never built: not read)
    records["c3"] = Rec("c3", 1)  # put back: last
    records["c5"] = Rec("c5", 2)  # edited: in place
    records.add_new([Rec("n", 3)])
    assert records["c7"] == Rec("c7", 0) and loaded == ["c7"]
    assert list(records) == [*(f"c{i}" for i in range(10) if i != 3), "c3", "n"]
    assert records._dict is None and records._missing == 7  # c3 deleted, c5 set, c7 built
