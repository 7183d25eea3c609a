"""An id -> row lookup for a column of millions of distinct ids, without a dict of str (issue 17).

A ``{link id: row}`` dict over three million links costs ~0.3 GB (the dict and a str per id
decoded from the packed column); this keeps the top 32 bits of each id's ``hash`` sorted, with
its row beside it (8 bytes a link: 24 MB at three million; the whole 64 bits took 36 MB), and
reads the id itself from the column to confirm a candidate (ids sharing those 32 bits are a
few hundred pairs among three million: the next candidate is looked at). ``IdTable`` adds the
ids appended after the column was read (new links; a link deleted and restored gets a new row)
in a small dict. ``IdRows`` is the member id
-> row map read as a dict (``row_map``: a dict up to DICT_UP_TO ids, else one of these): a
million members' ~8 MB instead of ~60-75 MB, one map shared by the open's columns, the checks'
arrays, the distances, the records' lookups, the map and the roster. Qt-free.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from cluster_desk.core.hex_ids import HexIds
from cluster_desk.core.later_texts import resolved
from cluster_desk.core.text_column import TextColumn

#: A column of ids: a list, a TextColumn, or an object array of str (the checks' arrays).
Ids = Sequence[str] | npt.NDArray[np.object_]
#: Ids hashed a chunk at a time when the column is packed (bounds the str objects alive at once).
CHUNK = 1 << 16


def _chunks(ids: Ids) -> Iterator[Sequence[str]]:
    chunks = getattr(ids, "chunks", None)  # core.tables.TextColumn: decoded a slice at a time
    if chunks is not None:
        yield from chunks(CHUNK)
        return
    for lo in range(0, len(ids), CHUNK):
        yield cast(Sequence[str], ids[lo:lo + CHUNK])


def hashes_of(ids: Ids) -> np.ndarray:
    """Each id's key (``key_of``: int32), in order."""
    out = np.empty(len(ids), dtype=np.int32)
    at = 0
    for part in _chunks(ids):
        out[at:at + len(part)] = _keys(part)
        at += len(part)
    if at != len(out):
        raise ValueError("ids: the column changed while it was hashed")
    return out


def key_of(value: str) -> np.int32:
    """The top 32 bits of ``hash(value)`` (a numpy int32, so a search of the keys casts none)."""
    return np.int32(hash(value) >> 32)


def radix_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of int32 keys in two radix passes of 16 bits (numpy
    sorts 16-bit keys by counting): linear, where the argsort is a merge sort, n log n (a
    million members' ids: ~100 -> ~20 ms)."""
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys >> 16).astype(np.int16)[order]
    return order[np.argsort(high, kind="stable")]


def _keys(values: Sequence[str]) -> np.ndarray:
    full = np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
    return (full >> 32).astype(np.int32)


class IdIndex:
    """Row of each id of ``ids`` (distinct ids, never changed while this is used)."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids
        hashes = hashes_of(ids)
        order = radix_order(hashes)
        self._hashes = hashes[order]
        self._rows = order.astype(np.int32 if len(ids) < 2**31 else np.int64)

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._rows.nbytes)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.find(value) >= 0

    def find(self, value: str) -> int:
        """The row holding ``value``, or -1."""
        h = key_of(value)
        at = int(np.searchsorted(self._hashes, h))
        while at < len(self._hashes) and self._hashes[at] == h:
            row = int(self._rows[at])
            if row < len(self.ids) and self.ids[row] == value:  # (a list cut short: not there)
                return row
            at += 1
        return -1

    def find_many(self, values: Sequence[str], keys: np.ndarray | None = None) -> np.ndarray:
        """``find`` of each value (int64; -1: absent): one searchsorted for all of them (of the
        values' hashes in order: a random probe of millions of hashes misses the CPU's caches
        three times as often); each hit is confirmed against the column (with a packed column,
        a slice of its block each). ``keys``: the values' ``hashes_of``, if made already."""
        n = len(values)
        if n == 0 or len(self._rows) == 0:
            return np.full(n, -1, dtype=np.int64)
        h = _keys(values) if keys is None else keys
        # (ordered by their top 16 bits only: a radix pass, linear, where a full argsort was
        # n log n, 262 against 35 ms for three million; the probes of one 16-bit bucket still
        # read neighbouring hashes)
        order = np.argsort((h >> 16).astype(np.int16), kind="stable") if n > 64 else None
        at = np.empty(n, dtype=np.intp)
        if order is not None:
            at[order] = np.searchsorted(self._hashes, h[order])
        else:
            at = np.searchsorted(self._hashes, h)
        np.minimum(at, len(self._hashes) - 1, out=at)
        rows = np.where(self._hashes[at] == h, self._rows[at], -1).astype(np.int64)
        for k in self._unconfirmed(rows, values):  # another id of the same hash: look further
            rows[k] = self.find(values[k])
        return rows

    def _unconfirmed(self, rows: np.ndarray, values: Sequence[str]) -> list[int]:
        """The positions whose row does not hold their value. Many hits in a packed column are
        read a chunk at a time, in row order (one split per chunk, not a decode per id)."""
        hits = np.flatnonzero(rows >= 0)
        ids = self.ids
        if isinstance(ids, np.ndarray):  # (the checks' arrays: one take and one compare in C, not
            # a numpy item read and a call per hit: 488 -> 190 ns a hit at a million members)
            every = hits.size == len(values)
            expect = np.fromiter(values if every else map(values.__getitem__, hits.tolist()),
                                 dtype=object, count=hits.size)
            out_nd: list[int] = hits[ids[rows[hits]] != expect].tolist()
            return out_nd
        chunks = getattr(ids, "chunks", None)
        if chunks is None or len(hits) < len(ids) // 64:
            got = map(ids.__getitem__, rows[hits].tolist())
            wanted = map(values.__getitem__, hits.tolist())
            differ = np.fromiter(map(operator.ne, got, wanted), dtype=np.bool_, count=hits.size)
            out: list[int] = hits[differ].tolist()
            return out
        order = hits[np.argsort(rows[hits], kind="stable")]
        at = rows[order]
        wrong: list[int] = []
        lo = 0
        for part in chunks(CHUNK):
            a, b = np.searchsorted(at, [lo, lo + len(part)])
            wrong += [k for k, r in zip(order[a:b].tolist(), (at[a:b] - lo).tolist(), strict=True)
                      if part[r] != values[k]]
            lo += len(part)
        return wrong


class IdTable:
    """Rows of link ids: a column read by the open (``base``, never changed here; its ``IdIndex``
    made when first needed, or handed in ready) and the ids appended since, each a new row. An
    id appended again (deleted, then restored) gets a new row: ``find`` gives the newest. Which
    rows are still alive is the holder's business. ``make_index`` makes the base's index (for a
    worker thread: ``take_index`` then adopts it), e.g. one shared with another holder."""

    def __init__(self, base: Sequence[str], make_index: Callable[[], IdIndex] | None = None) -> None:
        self.base = base
        self.make_index: Callable[[], IdIndex] = make_index or (lambda: IdIndex(resolved(base)))
        self._index: IdIndex | None = None
        self._extra: list[str] = []
        self._extra_rows: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.base) + len(self._extra)

    def __getitem__(self, row: int) -> str:
        n = len(self.base)
        return self.base[row] if row < n else self._extra[row - n]

    @property
    def indexed(self) -> bool:
        return self._index is not None

    def take_index(self, index: IdIndex) -> bool:
        """Adopt an index made elsewhere (a worker) if it is of this base; True if taken."""
        if self._index is None and index.ids is resolved(self.base):
            self._index = index
        return self._index is index

    @property
    def index(self) -> IdIndex:
        if self._index is None:
            self._index = self.make_index()
        return self._index

    def append(self, link_id: str) -> int:
        row = len(self)
        self._extra.append(link_id)
        self._extra_rows[link_id] = row
        return row

    def find(self, link_id: str) -> int:
        row = self._extra_rows.get(link_id)
        return row if row is not None else self.index.find(link_id)

    def finder(self) -> Callable[[Sequence[str]], FoundIds]:
        """``find_many`` of ids in the base, for another thread (the base and its index never
        change; its index is made there if it is not yet, and adopted at the ``find_many``):
        taken here, run there. ``find_many`` of its answer then only lays the ids appended
        meanwhile over it."""
        base, index, make = self.base, self._index, self.make_index
        return lambda ids: FoundIds.of(ids, base, lambda: index or make())

    def find_many(self, link_ids: Iterable[str]) -> np.ndarray:
        if isinstance(link_ids, FoundIds) and link_ids.base is self.base:  # (found by ``finder``)
            if link_ids.lookup is not None:
                self.take_index(link_ids.lookup)
            return link_ids.rows_with(self._extra_rows)
        if not self._extra_rows and isinstance(link_ids, Sequence) and same_as_read(link_ids, self.base):
            # The base's own ids in its order (the checks' arrays read from the same file: the past
            # view's link slots), each its own row: no lookup of 300,000 ids (~0.17 s at 100,000).
            return np.arange(len(self.base), dtype=np.int64)
        ids = list(link_ids)
        return _with_extra(self.index.find_many(ids), ids, self._extra_rows)


class FoundIds(Sequence[str]):
    """A column of ids with their rows in an ``IdTable``'s base found already, off the GUI thread
    (``IdTable.finder``): the table's ``find_many`` of it lays only its appended ids over them.
    The as-of dock's 300,000 link ids after an edit were ~75-120 ms of the GUI thread, mostly
    confirming hits against the packed column (issue 17). Reads as its ``ids``; keeps their rows
    (int32) and hash keys, not a str per id."""

    __slots__ = ("base", "ids", "keys", "lookup", "rows")

    def __init__(self, ids: Sequence[str], base: Sequence[str], rows: np.ndarray, keys: np.ndarray | None,
                 lookup: IdIndex | None) -> None:
        self.ids, self.base, self.rows, self.keys, self.lookup = ids, base, rows, keys, lookup

    @classmethod
    def of(cls, ids: Sequence[str], base: Sequence[str], index: Callable[[], IdIndex]) -> FoundIds:
        """Each of ``ids``' row in ``base`` (-1: none), through ``index()`` unless they are the
        base's own in its order (``same_as_read``: no lookup)."""
        if same_as_read(ids, base):
            return cls(ids, base, np.arange(len(ids), dtype=np.int32 if len(ids) < 2**31 else np.int64),
                       None, None)
        ix = index()
        # (decoded a chunk at a time: no one C call holding the GIL for the whole column, which
        # would stall the GUI thread; the strs are dropped once found)
        values = ids if isinstance(ids, list) else [v for part in _chunks(ids) for v in part]
        keys = hashes_of(values)
        rows = ix.find_many(values, keys)
        return cls(ids, base, rows.astype(np.int32) if len(resolved(base)) < 2**31 else rows, keys, ix)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: Any) -> Any:
        return self.ids[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def rows_with(self, extra: Mapping[str, int]) -> np.ndarray:
        """The rows (int64, a copy) with those of the ``extra`` ids laid over them: the positions
        whose hash key is one of theirs, each confirmed by its id (a few, not 300,000 ``get``s)."""
        rows = self.rows.astype(np.int64)
        if extra:
            if self.keys is None:
                self.keys = hashes_of(self.ids)
            get, ids = extra.get, self.ids
            for at in np.flatnonzero(np.isin(self.keys, _keys(list(extra)))).tolist():
                row = get(ids[at])
                if row is not None:
                    rows[at] = row
        return rows


def same_as_read(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether ``a`` and ``b`` are columns read with the same values in the same order, unchanged
    since (one object, or two reads of one file): a compare of their bytes, no str made. False
    when either is not such a column (then nothing is said of them)."""
    a, b = resolved(a), resolved(b)
    if a is b:
        return True
    if not (isinstance(a, TextColumn) and isinstance(b, TextColumn)) or a.changed or b.changed:
        return False
    if len(a) != len(b):
        return False
    if isinstance(a, HexIds) and isinstance(b, HexIds):
        return bool(np.array_equal(a.raw, b.raw))
    if isinstance(a, HexIds) or isinstance(b, HexIds):
        return False
    return a.joined() == b.joined()


def _with_extra(rows: np.ndarray, keys: Sequence[str], extra: Mapping[str, int]) -> np.ndarray:
    """``rows`` (one per key, from an IdIndex) with the rows of keys added since it was made."""
    if extra:
        get = extra.get
        for k, key in enumerate(keys):
            row = get(key)
            if row is not None:
                rows[k] = row
    return rows


class IdRows(Mapping[str, int]):
    """``{member id: row}`` over a column of distinct ids (issue 17): their ``IdIndex`` (8 bytes an
    id) instead of a dict (~75 MB at a million members: an entry and an int object per id). Reads
    as the dict did (``get``, ``[]``, ``in``, ``len``, iteration in row order); ``find_many``
    looks many up at once. Ids added after the column was read go to a small dict (``add``); a
    holder that adds takes a ``copy()`` first when the map is shared (the column and its index
    are never changed, so copies share them). One lookup is a hash and a binary search (~1-2 us;
    a dict's ~0.1 us): callers with many ids use ``find_many``."""

    __slots__ = ("_extra", "_index", "ids")

    def __init__(self, ids: Ids, index: IdIndex | None = None) -> None:
        self.ids = ids
        self._index = index if index is not None else IdIndex(ids)
        if self._index.ids is not ids:
            raise ValueError("an index of another column")
        self._extra: dict[str, int] = {}

    @property
    def nbytes(self) -> int:
        return self._index.nbytes

    def copy(self) -> IdRows:
        out = IdRows.__new__(IdRows)
        out.ids, out._index, out._extra = self.ids, self._index, dict(self._extra)
        return out

    def add(self, key: str, row: int) -> None:
        """``key`` (not held yet) at ``row`` (past the column's rows)."""
        self._extra[key] = row

    __setitem__ = add

    def get(self, key: str, default: Any = None) -> Any:
        if self._extra:
            row = self._extra.get(key)
            if row is not None:
                return row
        row = self._index.find(key) if isinstance(key, str) else -1
        return default if row < 0 else row

    def __getitem__(self, key: str) -> int:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return int(row)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return len(self._index) + len(self._extra)

    def __iter__(self) -> Iterator[str]:
        for part in _chunks(self.ids):
            yield from part
        yield from list(self._extra)

    def find_many(self, keys: Sequence[str]) -> np.ndarray:
        """The row of each of ``keys`` (int64; -1: not held), in one vectorised lookup."""
        return _with_extra(self._index.find_many(keys), keys, self._extra)


def rows_of(index: Mapping[str, int], keys: Sequence[str]) -> np.ndarray:
    """``index.get(key, -1)`` of each key as int64: one ``find_many`` for an ``IdRows``, the dict's
    own lookups otherwise."""
    if isinstance(index, IdRows):
        return index.find_many(keys)
    rows = np.empty(len(keys), dtype=np.int64)
    for lo in range(0, len(keys), ROWS_PART):  # (one fromiter holds the GIL throughout: in parts)
        part = keys[lo:lo + ROWS_PART]
        rows[lo:lo + len(part)] = np.fromiter(map(index.get, part, repeat(-1)), np.int64, len(part))
    return rows


#: Keys a dict lookup pass of ``rows_of`` takes before other threads may run: 300,000 link ends in
#: one ``np.fromiter`` held the GIL 100-220 ms, a passport job's stall of the window (issue 17).
ROWS_PART = 16_384


#: Up to this many ids a row map is a plain dict (a lookup ~0.1 us, ~7 MB at 100,000); above it an
#: ``IdRows`` (8 bytes an id: a million members' map ~8 MB instead of ~75 MB, issue 17).
DICT_UP_TO = 250_000

#: An id -> row map as the open's columns and the checks' arrays hold it.
RowMap = dict[str, int] | IdRows


def row_map(ids: Ids) -> RowMap:
    """The row of each of ``ids`` (distinct): a dict up to DICT_UP_TO of them, else an IdRows."""
    if len(ids) > DICT_UP_TO:
        return IdRows(ids)
    return dict(zip(ids.tolist() if isinstance(ids, np.ndarray) else ids, range(len(ids)), strict=True))

