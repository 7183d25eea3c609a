"""core.tables: LazyRecords (the {id: record} mapping whose records are built on first use) and
the open columns (link ends as member positions, kinds as codes)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from cluster_desk.core.model import Member
from cluster_desk.core.tables import (
    KIND_VALUES,
    LazyRecords,
    LinkColumns,
    MemberColumns,
    TextColumn,
    link_columns,
)


def _lazy(names: dict[str, str]) -> tuple[LazyRecords[Member], list[str]]:
    calls: list[str] = []

    def one(key: str) -> Member:
        calls.append(key)
        return Member(names[key], id=key)

    def every() -> list[Member]:
        calls.append("*")
        return [Member(n, id=k) for k, n in names.items()]

    return LazyRecords(list(names), one, every), calls


def test_records_are_built_one_at_a_time_or_all_at_once() -> None:
    records, calls = _lazy({"a": "A", "b": "B", "c": "C"})
    assert list(records) == ["a", "b", "c"] and len(records) == 3 and "b" in records
    assert calls == []  # knowing the ids builds nothing
    assert records["b"].name == "B" and records.get("b").name == "B"
    assert calls == ["b"]  # built once, then kept
    assert records.get("zzz") is None and not records.loaded
    assert [m.name for m in records.values()] == ["A", "B", "C"]
    assert calls == ["b", "*"] and records.loaded
    assert records["b"] is records.get("b")
    again, calls = _lazy({"a": "A", "b": "B"})
    assert dict(again) == {"a": Member("A", id="a"), "b": Member("B", id="b")}
    assert calls == ["*"]  # dict() reads keys(): one pass, not a row per key


def test_edits_win_over_the_file_and_pop_never_reads() -> None:
    records, calls = _lazy({"a": "A", "b": "B", "c": "C"})
    records["a"] = Member("edited", id="a")
    records["d"] = Member("D", id="d")
    assert records.pop("b", None) is None  # not built: nothing read for a record being deleted
    del records["c"]
    with pytest.raises(KeyError):
        records.pop("c")
    assert calls == [] and records.loaded  # nothing left to build
    assert [m.name for m in records.values()] == ["edited", "D"]
    assert calls == []


def test_a_record_gone_from_the_file_is_dropped_when_all_are_built() -> None:
    names = {"a": "A", "b": "B"}
    records, _calls = _lazy(names)
    del names["b"]  # another process deleted it
    assert records.get("b") is None
    assert [m.id for m in records.values()] == ["a"] and "b" not in records


def test_fill_takes_a_slice_for_unbuilt_ids_only_and_load_all_builds_the_rest() -> None:
    records, calls = _lazy({"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"})
    records["b"] = Member("edited", id="b")
    del records["c"]
    file_slice = [Member("A", id="a"), Member("B", id="b"), Member("C", id="c")]
    assert records.fill(file_slice) == 1  # only "a": the edit wins, the deleted stays deleted
    assert records.unbuilt() == ["d", "e"] and not records.loaded and calls == []
    assert records.fill([Member("D", id="d"), Member("X", id="x")]) == 1  # not an id it holds
    assert [m.name for m in records.values()] == ["A", "edited", "D", "E"] and calls == ["*"]
    assert records.loaded and records.unbuilt() == []


def test_of_holds_built_records_and_compares_like_a_dict() -> None:
    ms = [Member("A", id="a"), Member("B", id="b")]
    records = LazyRecords.of(ms)
    assert records.loaded and records == {m.id: m for m in ms}
    assert records.pop("a") == ms[0] and list(records) == ["b"]


def test_ids_are_read_as_given_until_a_lookup_needs_the_map_and_never_changed() -> None:
    ids = ["a", "b", "c"]
    records = LazyRecords(ids, lambda k: Member(k.upper(), id=k), list)
    assert list(records) == ids and len(records) == 3
    assert records._dict is None  # iterating and counting made no dict
    del records["b"]
    records["d"] = Member("D", id="d")
    assert list(records) == ["a", "c", "d"] and records["a"].name == "A"
    assert ids == ["a", "b", "c"]  # the opened column it was given is left as it was


def test_link_columns_hold_ends_as_member_positions_and_give_ids_and_kinds_from_them() -> None:
    members = MemberColumns(["m1", "m2", "m3"], ["A", "B", "C"], ["firm"] * 3, ["member"] * 3,
                            np.array([55.0, np.nan, 56.0]), np.array([49.0, np.nan, 50.0]))
    assert members.index == {"m1": 0, "m2": 1, "m3": 2}
    links = link_columns([("l1", "m1", "m3", "rnd"), ("l2", "m3", "gone", "supply"),
                          ("l3", "m2", "m1", "odd")], members)
    assert links.source_index.tolist() == [0, 2, 1] and links.target_index.tolist() == [2, -1, 0]
    assert links.sources == ["m1", "m3", "m2"] and links.targets == ["m3", "", "m1"]
    assert links.kind_codes.tolist()[:2] == [KIND_VALUES.index("rnd"), KIND_VALUES.index("supply")]
    assert links.kind_codes[2] == 255 and links.kinds == ["rnd", "supply", ""]  # not a known kind
    assert members.codes("statuses", ["candidate", "member"]).tolist() == [1, 1, 1]
    assert members.status_counts() == {"member": 3}
    with pytest.raises(ValueError, match="different lengths"):
        LinkColumns(["l1"], members.ids, np.zeros(2, np.int32), np.zeros(1, np.int32), np.zeros(1, np.uint8))


def test_a_text_column_holds_many_texts_as_one_blob() -> None:
    values = ["a1", "", "Ёлка «x»", "z"]
    col = TextColumn("\x1f".join(values).encode(), 4)
    assert len(col) == 4 and list(col) == values and col == values and col.tolist() == values
    assert [col[i] for i in range(4)] == values and col[-1] == "z" and col[1:3] == values[1:3]
    with pytest.raises(IndexError):
        col[4]
    assert len(TextColumn(b"", 0)) == 0 and list(TextColumn(b"", 0)) == []
    assert TextColumn(b"", 1).tolist() == [""]
    with pytest.raises(ValueError, match="count"):
        TextColumn(b"a\x1fb", 3)
    records = LazyRecords(col, lambda k: Member(k or "?", id=k), list)
    assert list(records) == values and records._dict is None and "z" in records


def test_a_text_column_from_known_ends_is_the_scanned_one_and_refuses_ends_that_do_not_fit() -> None:
    values = ["a1", "", "Ёлка «x»", "z"]
    blob = "\x1f".join(values).encode()
    scanned = TextColumn(blob, 4)
    ends = scanned._ends.copy()
    known = TextColumn.with_ends(blob, ends)
    assert known.tolist() == values and [known[i] for i in range(4)] == values and "z" in known
    assert TextColumn.with_ends(b"", np.array([-1, 0])).tolist() == [""]
    for bad in ([-1, 1, len(blob)], [0, *ends[1:]], [*ends[:-1], len(blob) - 1], [-1, 3, 2, 15, len(blob)]):
        with pytest.raises(ValueError, match="ends"):
            TextColumn.with_ends(blob, np.array(bad))


def test_a_text_column_copies_on_its_first_change_and_copies_share_nothing_changed() -> None:
    col = TextColumn(b"a\x1fb\x1fc", 3)
    mine = col.copy()
    del mine[1]
    mine.append("d")
    assert mine == ["a", "c", "d"] and mine.index("d") == 2 and "b" not in mine
    assert col == ["a", "b", "c"] and col.index("c") == 2 and "b" in col  # the shared one is as read
    assert mine.joined() == b"a\x1fc\x1fd" and col.joined() == b"a\x1fb\x1fc"


def test_a_text_column_keeps_its_blob_when_values_are_set_or_appended() -> None:
    values = ["ab", "", "a", "Ёж", "b"]
    col = TextColumn.of(values)
    assert col is not None and col.joined() == "\x1f".join(values).encode()
    shared = col.copy()
    col[0], col[-1] = "x", "ab"
    col.append("новый")
    col.extend(["", "a"])
    want = ["x", "", "a", "Ёж", "ab", "новый", "", "a"]
    assert not col.owned and col.changed and col == want and len(col) == 8 and col[5] == "новый"
    assert col.joined() == "\x1f".join(want).encode()
    assert shared == values and not shared.changed  # a copy taken before is as read
    col[6] = "y"
    assert col.tolist() == [*want[:6], "y", "a"]
    del col[0]  # any other change: a list of its own
    assert col.owned and col == [*want[1:6], "y", "a"]
    assert TextColumn.of(["a\x1fb"]) is None and TextColumn.of(["\ud800"]) is None
    assert TextColumn.of([]) == [] and TextColumn.of([""]) == [""]


def test_a_text_column_finds_a_whole_value_by_searching_its_blob() -> None:
    col = TextColumn.of(["ab", "", "a", "xab", "a", "b", ""])
    assert col is not None
    found = [col.find(v) for v in ("ab", "", "a", "xab", "b", "x", "abx", "\x1f")]
    assert found == [0, 1, 2, 3, 5, -1, -1, -1]
    assert "a" in col and "x" not in col
    col[2] = "gone"  # a value set since: found where it is now, not where it was read
    assert col.find("a") == 4 and col.find("gone") == 2
    col[1] = "z"
    assert col.find("") == 6 and col.find("z") == 1
    col.append("a")
    col[4] = ""
    assert col.find("a") == 7 and col.find("") == 4
    col[0] = "a"
    assert col.find("a") == 0
    rng = random.Random(4)
    for _ in range(200):  # as list.index on random short texts, after random sets and appends
        values = [rng.choice(["", "a", "b", "ab", "ба"]) for _ in range(rng.randrange(1, 8))]
        col = TextColumn.of(values)
        assert col is not None
        for _ in range(rng.randrange(3)):
            v = rng.choice(["", "a", "c"])
            if rng.random() < 0.5:
                col.append(v)
                values.append(v)
            else:
                i = rng.randrange(len(values))
                col[i] = values[i] = v
        for v in ("", "a", "b", "ab", "ба", "c"):
            assert col.find(v) == (values.index(v) if v in values else -1), (values, v)


def test_a_text_column_keeps_the_rows_of_a_mask_without_a_str_per_value() -> None:
    rng = random.Random(5)
    for _ in range(200):
        values = [rng.choice(["", "a", "Ёж", "abc"]) for _ in range(rng.randrange(0, 9))]
        col = TextColumn.of(values)
        assert col is not None
        for _ in range(rng.randrange(3) if values else 0):  # values set beside the block ...
            i = rng.randrange(len(values))
            col[i] = values[i] = f"set {i}"
        if rng.random() < 0.4:  # ... and appended after it (an undone removal's links)
            more = [rng.choice(["t", "", "Ёж"]) for _ in range(rng.randrange(1, 4))]
            col.extend(more)
            values += more
        keep = np.array([rng.random() < 0.5 for _ in values], dtype=bool)
        got = col.kept(keep)
        assert got == [v for v, k in zip(values, keep.tolist(), strict=True) if k]
        assert len(got) == int(keep.sum()) and got.joined() == "\x1f".join(got.tolist()).encode()
    with pytest.raises(ValueError, match="length"):
        TextColumn.of(["a"]).kept(np.ones(2, dtype=bool))  # type: ignore[union-attr]


def test_lookups_through_a_known_map_make_no_dict_and_act_as_the_dict_does() -> None:
    """LazyRecords with the open's id -> row map (issue 17: a million members' {id: None} dict
    was ~30 MB, made by the roster's first rows): lookups build records and make no dict; any
    sequence of lookups, edits, fills and walks gives what the same sequence gives without it."""
    import random

    rng = random.Random(5)
    for _ in range(40):
        names = {f"m{i}": f"N{i}" for i in range(rng.randrange(1, 9))}
        plain, _calls = _lazy(names)
        ids = list(names)
        rows = {k: i for i, k in enumerate(ids)}
        mine = LazyRecords(ids, plain._load_one, plain._load_all, lambda rows=rows: rows)
        probe = [*ids, "zzz"]
        for got in (plain, mine):  # (the same loaders: their calls are compared below)
            assert [k in got for k in probe] == [k in names for k in probe]
        assert mine._dict is None
        for _step in range(rng.randrange(1, 8)):
            key, other = rng.choice(probe), rng.choice(probe)
            what = rng.random()
            out = []
            for got in (plain, mine):
                if what < 0.4:
                    value = got.get(key)
                    out.append(None if value is None else value.name)
                elif what < 0.5:
                    got[key] = Member("edited", id=key)
                elif what < 0.6:
                    out.append(got.pop(key, None))
                elif what < 0.7:
                    out.append(got.fill([Member("F", id=other)]))
                elif what < 0.8:
                    got.index_ids(2)  # (says whether its dict is whole: not compared)
                else:
                    out.append((key in got, len(got), list(got)))
            assert out[:len(out) // 2] == out[len(out) // 2:]
        assert list(plain) == list(mine)
        assert [m.name for m in plain.values()] == [m.name for m in mine.values()]
        assert plain.loaded == mine.loaded
    names = {"a": "A", "b": "B"}
    records, calls = _lazy(names)
    lazy = LazyRecords(list(names), records._load_one, records._load_all, lambda: {"a": 0, "b": 1})
    assert lazy["b"].name == "B" and lazy.get("b") is lazy["b"] and lazy.get("x") is None
    assert lazy._dict is None and calls == ["b"] and not lazy.loaded
    with pytest.raises(KeyError):
        lazy["x"]
