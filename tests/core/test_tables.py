"""core.tables: LazyRecords (the {id: record} mapping whose records are built on first use) and
the open columns (link ends as member positions, kinds as codes)."""

from __future__ import annotations

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


def test_a_text_column_copies_on_its_first_change_and_copies_share_nothing_changed() -> None:
    col = TextColumn(b"a\x1fb\x1fc", 3)
    mine = col.copy()
    del mine[1]
    mine.append("d")
    assert mine == ["a", "c", "d"] and mine.index("d") == 2 and "b" not in mine
    assert col == ["a", "b", "c"] and col.index("c") == 2 and "b" in col  # the shared one is as read
    assert mine.joined() == b"a\x1fc\x1fd" and col.joined() == b"a\x1fb\x1fc"
