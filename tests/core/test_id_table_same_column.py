"""IdTable.find_many of the base's own ids in its order (the past view's link slots: the checks'
arrays read from the same file as the map's links) answers without a lookup; any difference (an id
appended, a value changed, another order, another column) takes the lookup as before."""

from __future__ import annotations

import uuid

import numpy as np

from cluster_desk.core.hex_ids import HexIds, packed
from cluster_desk.core.id_index import IdTable, same_as_read
from cluster_desk.core.tables import TextColumn


def _hex(ids: list[str]) -> HexIds:
    column = packed(chr(TextColumn.SEP).join(ids).encode("ascii"), len(ids))
    assert isinstance(column, HexIds)
    return column


def test_two_reads_of_the_same_ids_need_no_lookup() -> None:
    ids = [uuid.UUID(int=k * 7919 + 1).hex for k in range(5000)]
    table = IdTable(_hex(ids))
    rows = table.find_many(_hex(ids))  # (another read of the same file's column)
    assert rows.tolist() == list(range(5000)) and not table.indexed  # no index made for it

    texts = ["ид-" + str(k) for k in range(300)]
    plain = IdTable(TextColumn.of(texts))  # type: ignore[arg-type]
    assert plain.find_many(TextColumn.of(texts)).tolist() == list(range(300)) and not plain.indexed  # type: ignore[arg-type]


def test_any_difference_takes_the_lookup() -> None:
    ids = [uuid.UUID(int=k * 7919 + 1).hex for k in range(2000)]
    table = IdTable(_hex(ids))
    turned = list(reversed(ids))
    assert table.find_many(_hex(turned)).tolist() == list(range(1999, -1, -1)) and table.indexed

    changed = _hex(ids)
    changed[5] = uuid.UUID(int=99).hex
    assert not same_as_read(changed, _hex(ids))
    rows = IdTable(_hex(ids)).find_many(changed)
    assert rows[5] == -1 and rows[6] == 6

    table = IdTable(_hex(ids))
    table.append(ids[3])  # (deleted and restored: the newest row answers)
    rows = table.find_many(_hex(ids))
    assert rows[3] == 2000 and rows[4] == 4
    assert not same_as_read(_hex(ids), TextColumn.of(ids))  # type: ignore[arg-type]
    assert not same_as_read(ids, _hex(ids))  # (a list: not a column read)
    assert np.array_equal(IdTable(_hex(ids)).find_many(ids), np.arange(2000))
