"""IdTable.finder: ids' rows in the table's base found on another thread (the as-of dock's link
rows, found where the day cache makes its arrays), and ``find_many`` of that answer on this one
laying over them only the ids appended since. Every answer equals the plain lookup's
(``find_many`` of the ids as a list) for the same table: ids in another order, ids not held,
ids appended before or after the finding, an id appended that the base also holds (deleted and
restored), the base's own ids in its order, and a table whose index was not made yet."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Sequence

import numpy as np
import pytest

from cluster_desk.core.hex_ids import HexIds, packed
from cluster_desk.core.id_index import FoundIds, IdIndex, IdTable
from cluster_desk.core.tables import TextColumn


def _hex(ids: list[str]) -> HexIds:
    column = packed(chr(TextColumn.SEP).join(ids).encode("ascii"), len(ids))
    assert isinstance(column, HexIds)
    return column


def _ids(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(n)]


def _on_a_thread(find: object, ids: Sequence[str]) -> FoundIds:
    out: list[FoundIds] = []
    worker = threading.Thread(target=lambda: out.append(find(ids)))  # type: ignore[operator]
    worker.start()
    worker.join()
    return out[0]


def _plain(table: IdTable, ids: Sequence[str]) -> np.ndarray:
    return table.find_many(list(ids))


@pytest.mark.parametrize("base_kind", ["hex", "text", "list"])
def test_found_on_a_thread_then_the_appended_laid_over_equals_the_lookup(base_kind: str) -> None:
    base_ids = _ids(6000, 1)
    base: Sequence[str] = {"hex": _hex, "text": TextColumn.of, "list": list}[base_kind](base_ids)  # type: ignore[operator]
    table = IdTable(base)
    before = _ids(40, 2)
    for i in before:
        table.append(i)
    table.append(base_ids[17])  # (a link deleted and restored in a table that gives it a new row)
    # The arrays' ids: the base's in another order (a delete undone moves rows), some gone, the
    # ids appended before and after the finding, one never held.
    later = _ids(25, 3)
    rng = random.Random(4)
    wanted = rng.sample(base_ids, 5000) + before + later + ["not-an-id"]
    rng.shuffle(wanted)
    column = TextColumn.of(wanted)
    assert column is not None
    found = _on_a_thread(table.finder(), column)
    assert not table.indexed  # (made there; taken at the find_many below)
    for i in later:
        table.append(i)
    rows = table.find_many(found)
    assert table.indexed and table.index is found.lookup
    assert rows.dtype == np.int64 and rows.tolist() == _plain(table, wanted).tolist()
    assert rows[wanted.index(base_ids[17])] == 6040  # the newest row of a restored id
    assert rows[wanted.index(later[0])] == 6041  # appended after the finding
    assert rows[wanted.index("not-an-id")] == -1
    assert sorted(rows.tolist()) == sorted(_plain(table, wanted).tolist())
    # a second look (the page reloaded) answers the same, the found rows unchanged by the first
    assert table.find_many(found).tolist() == rows.tolist()


def test_off_by_one_or_a_missed_appended_id_would_show() -> None:
    """Each row checked against the id it stands for: a row shifted by one, or an appended id
    left at -1, is another id (or none)."""
    base_ids = _ids(3000, 5)
    table = IdTable(_hex(base_ids))
    extra = _ids(3, 6)
    for i in extra:
        table.append(i)
    wanted = list(reversed(base_ids)) + extra
    rows = table.find_many(_on_a_thread(table.finder(), TextColumn.of(wanted)))  # type: ignore[arg-type]
    assert [table[r] for r in rows.tolist()] == wanted


def test_the_base_in_its_order_needs_no_lookup_and_the_appended_still_count() -> None:
    base_ids = _ids(4000, 7)
    table = IdTable(_hex(base_ids))
    found = _on_a_thread(table.finder(), _hex(base_ids))  # (two reads of one file)
    assert found.lookup is None and found.keys is None and not table.indexed
    assert table.find_many(found).tolist() == list(range(4000))
    table.append(base_ids[9])  # restored with a new row: laid over the read's own
    assert table.find_many(found).tolist() == [*range(9), 4000, *range(10, 4000)]


def test_an_index_made_already_is_used_and_another_tables_answer_is_not() -> None:
    base_ids = _ids(2000, 8)
    table = IdTable(_hex(base_ids))
    made = table.index
    wanted = base_ids[::-1]
    found = _on_a_thread(table.finder(), TextColumn.of(wanted))  # type: ignore[arg-type]
    assert found.lookup is made
    other = IdTable(_hex(base_ids))  # (a reset since: another base, its own rows)
    other.append("x")
    assert other.find_many(found).tolist() == _plain(other, wanted).tolist()
    assert isinstance(other.index, IdIndex) and other.index is not made
