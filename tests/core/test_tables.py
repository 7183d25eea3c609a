"""core.tables.LazyRecords: the {id: record} mapping whose records are built on first use."""

from __future__ import annotations

import pytest

from cluster_desk.core.model import Member
from cluster_desk.core.tables import LazyRecords


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
