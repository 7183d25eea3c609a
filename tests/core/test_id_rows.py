"""core.id_index.IdRows: the member id -> row map a million members' columns and checks' arrays
hold (issue 17: sorted hashes, ~12 bytes a member, instead of a ~75 MB dict) reads as the dict of
the same rows, over a list, a packed TextColumn or an object array of ids; its copies take new ids
without touching the map they came from; and a big roster's map is that, not a dict."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np
import pytest

from cluster_desk.core import id_index
from cluster_desk.core.id_index import IdRows, row_map, rows_of
from cluster_desk.core.tables import MemberColumns, TextColumn


def _columns(ids: list[str]) -> list[object]:
    packed = TextColumn.of(ids) if ids else None
    return [ids, np.array(ids, dtype=object), *([packed] if packed is not None else [])]


@pytest.mark.parametrize("n", [0, 1, 7, 5_000])
def test_id_rows_read_as_the_dict_of_their_rows(n: int) -> None:
    rng = random.Random(n)
    ids = [f"m{rng.randrange(10**9)}-{i}" for i in range(n)]
    want = {mid: i for i, mid in enumerate(ids)}
    probe = [*rng.sample(ids, min(n, 300)), "nope", "", "m1-", *(f"x{i}" for i in range(70))]
    for column in _columns(ids):
        rows = IdRows(column)  # type: ignore[arg-type]
        assert len(rows) == n and list(rows) == ids and rows == want
        assert [rows.get(k) for k in probe] == [want.get(k) for k in probe]
        assert [rows.get(k, -5) for k in probe] == [want.get(k, -5) for k in probe]
        assert [k in rows for k in probe] == [k in want for k in probe]
        assert 7 not in rows and rows.get(7) is None  # type: ignore[call-overload]
        assert rows_of(rows, probe).tolist() == [want.get(k, -1) for k in probe]
        assert rows_of(want, probe).tolist() == [want.get(k, -1) for k in probe]
        if n:
            assert rows[ids[-1]] == n - 1
        with pytest.raises(KeyError):
            rows["nope"]
        mine = rows.copy()
        mine["new"] = n
        mine.add("newer", n + 1)
        assert "new" not in rows and len(rows) == n and rows.get("newer") is None  # the original as it was
        assert mine["new"] == n and len(mine) == n + 2 and list(mine)[n:] == ["new", "newer"]
        assert rows_of(mine, ["newer", "nope", *ids[:2]]).tolist() == [n + 1, -1, *range(min(n, 2))]


def test_a_big_roster_s_map_is_packed_and_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above DICT_UP_TO members the open's map is an IdRows of under 16 bytes a member (a dict
    held ~90 bytes a member); at most DICT_UP_TO, a dict (a lookup ~0.1 us)."""
    monkeypatch.setattr(id_index, "DICT_UP_TO", 20_000)  # (a million members' threshold is 250,000)
    n = 40_000
    ids = [f"m{i:07d}" for i in range(n)]
    cols = MemberColumns(ids, ids, ["firm"] * n, ["member"] * n, np.zeros(n), np.zeros(n))
    tracemalloc.start()
    try:
        index = cols.index
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(index, IdRows) and held < 16 * n, held / n
    assert index.get(ids[23_456]) == 23_456 and index.get("m9999999") is None
    small = row_map(ids[:1000])
    assert isinstance(small, dict) and small == {k: i for i, k in enumerate(ids[:1000])}


def test_a_column_of_another_index_is_refused() -> None:
    ids = ["a", "b"]
    with pytest.raises(ValueError, match="another column"):
        IdRows(["a", "b"], id_index.IdIndex(ids))


def test_a_dicts_rows_are_looked_up_in_parts_with_none_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"m{i}" for i in range(50)]
    want = {mid: i for i, mid in enumerate(ids)}
    probe = [*reversed(ids), "nope", *ids[::3], ""]
    for part in (1, 7, len(probe), len(probe) + 1):  # (a last part short, whole, one part)
        monkeypatch.setattr(id_index, "ROWS_PART", part)
        assert rows_of(want, probe).tolist() == [want.get(k, -1) for k in probe]
    assert rows_of(want, []).tolist() == []
