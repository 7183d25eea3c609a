"""core.hex_ids: link ids of 32 lowercase hex digits held as 16 raw bytes each read back exactly
as stored, behave as the text column they replace (edits beside the block, search, copies, cuts),
and any other id keeps the whole column as text."""

from __future__ import annotations

import random
import uuid

import numpy as np
import pytest

from cluster_desk.core import hex_ids
from cluster_desk.core.hex_ids import HexIds, column_of, pack_one, packed
from cluster_desk.core.id_index import IdIndex
from cluster_desk.core.tables import TextColumn

SEP = chr(TextColumn.SEP)


def _ids(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [uuid.UUID(int=rng.getrandbits(128), version=4).hex for _ in range(n)]


def _blob(ids: list[str]) -> bytes:
    return SEP.join(ids).encode("utf-8")


@pytest.mark.parametrize("n", [1, 2, 1_000])
def test_hex_ids_read_back_as_stored(n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hex_ids, "_CHUNK", 7)  # many chunks: their seams are where bugs hide
    ids = _ids(n)
    ids[0] = "0" * 32  # (all-zero bytes: a fixed-width bytes dtype would drop them)
    column = packed(_blob(ids), n)
    assert isinstance(column, HexIds) and column.raw.shape == (n, 16)
    assert column.tolist() == ids and list(column) == ids and len(column) == n
    assert [column[i] for i in range(n)] == ids and column[-1] == ids[-1]
    assert [v for part in column.chunks(5) for v in part] == ids
    assert column.joined() == _blob(ids)
    assert column == TextColumn(_blob(ids), n) and column == ids
    assert column.raw.nbytes == 16 * n  # (a text column: 33 bytes and a 4-byte end an id)


@pytest.mark.parametrize("odd", [
    "0123456789ABCDEF0123456789abcdef",  # uppercase digits: would read back lowercase
    "0123456789abcdef0123456789abcde",  # 31 digits
    "0123456789abcdef0123456789abcdef0",  # 33
    "0123456789abcdeg0123456789abcdef",  # not a hex digit
    "связь-0123456789abcdef0123456789",  # Cyrillic
    "",
])
def test_one_id_that_is_not_32_lowercase_hex_keeps_the_whole_column_as_text(odd: str) -> None:
    ids = [*_ids(50), odd, *_ids(50, seed=4)]
    blob = _blob(ids)
    assert packed(blob, len(ids)) is None
    column = column_of(blob, len(ids))
    assert type(column) is TextColumn and column.tolist() == ids
    assert pack_one(odd) is None


def test_a_blob_that_does_not_split_into_its_count_is_refused() -> None:
    ids = _ids(10)
    assert packed(_blob(ids), 11) is None and packed(b"", 0) is None
    with pytest.raises(ValueError):
        column_of(_blob(ids), 11)
    joined_wrong = _blob(ids).replace(SEP.encode(), b"-", 1)  # same length, one separator less
    assert packed(joined_wrong, 10) is None
    one_more = bytearray(_blob(ids))
    one_more[40] = TextColumn.SEP  # (inside the second id: eleven texts of the same length)
    assert packed(bytes(one_more), 10) is None
    with pytest.raises(ValueError):
        column_of(bytes(one_more), 10)


def test_edits_beside_the_block_search_copies_and_cuts() -> None:
    ids = _ids(200)
    column = packed(_blob(ids), len(ids))
    assert column is not None
    assert column.find(ids[77]) == 77 and ids[150] in column
    assert column.find("absent") == -1 and column.find(ids[0].upper()) == -1 and "" not in column
    mine = column.copy()
    assert isinstance(mine, HexIds) and mine.raw is column.raw  # (the block is shared)
    mine[77] = ""  # (a removed row, as the checks' arrays blank it)
    mine[3] = "Новая связь"
    mine.extend(["tail-1", ids[10]])
    assert column.tolist() == ids and not column.changed  # the shared one is as read
    assert mine[77] == "" and mine.find(ids[77]) == -1 and mine.find("") == 77
    assert mine.find("Новая связь") == 3 and mine.find("tail-1") == 200
    assert mine.find(ids[10]) == 10  # (the first row holding it)
    want = [*ids, "tail-1", ids[10]]
    want[77], want[3] = "", "Новая связь"
    assert mine.tolist() == want and mine.joined() == _blob(want)
    keep = np.array([i % 3 != 0 for i in range(len(ids))])
    cut = column.kept(keep)
    assert isinstance(cut, HexIds) and cut.tolist() == [v for v, k in zip(ids, keep, strict=True) if k]
    keep_more = np.append(keep, [True, False])
    kept = mine.kept(keep_more)
    assert kept.tolist() == [v for v, k in zip(want, keep_more, strict=True) if k]
    assert isinstance(kept, HexIds)  # (still 16 bytes an id: its block cut in numpy, the set rows moved)
    del mine[0]  # a change the block cannot hold: a list of its own
    assert mine.owned and mine.tolist() == want[1:]


def test_the_id_lookup_finds_every_hex_id() -> None:
    ids = _ids(3_000)
    column = packed(_blob(ids), len(ids))
    assert column is not None
    index = IdIndex(column)
    assert [index.find(i) for i in ids[::13]] == list(range(0, len(ids), 13))
    assert index.find_many([*ids[::-7], "nope"]).tolist() == [*range(len(ids) - 1, -1, -7), -1]
