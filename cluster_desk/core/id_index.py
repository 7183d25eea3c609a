"""An id -> row lookup for a column of millions of distinct ids, without a dict of str (issue 17).

A ``{link id: row}`` dict over three million links costs ~0.3 GB (the dict and a str per id
decoded from the packed column); this keeps each id's 64-bit ``hash`` sorted, with its row
beside it (12 bytes a link: 36 MB at three million), and reads the id itself from the column
only to confirm a candidate. ``IdTable`` adds the ids appended after the column was read (new
links; a link deleted and restored gets a new row) in a small dict. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

#: Ids hashed a chunk at a time when the column is packed (bounds the str objects alive at once).
CHUNK = 1 << 16


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    chunks = getattr(ids, "chunks", None)  # core.tables.TextColumn: decoded a slice at a time
    if chunks is not None:
        yield from chunks(CHUNK)
        return
    for lo in range(0, len(ids), CHUNK):
        yield ids[lo:lo + CHUNK]


def hashes_of(ids: Sequence[str]) -> np.ndarray:
    """Each id's ``hash`` (int64), in order."""
    out = np.empty(len(ids), dtype=np.int64)
    at = 0
    for part in _chunks(ids):
        out[at:at + len(part)] = np.fromiter(map(hash, part), dtype=np.int64, count=len(part))
        at += len(part)
    if at != len(out):
        raise ValueError("ids: the column changed while it was hashed")
    return out


class IdIndex:
    """Row of each id of ``ids`` (distinct ids, never changed while this is used)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = ids
        hashes = hashes_of(ids)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._rows = order.astype(np.int32 if len(ids) < 2**31 else np.int64)

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def nbytes(self) -> int:
        return int(self._hashes.nbytes + self._rows.nbytes)

    def find(self, value: str) -> int:
        """The row holding ``value``, or -1."""
        h = hash(value)
        at = int(np.searchsorted(self._hashes, h))
        while at < len(self._hashes) and self._hashes[at] == h:
            row = int(self._rows[at])
            if self.ids[row] == value:
                return row
            at += 1
        return -1

    def find_many(self, values: Sequence[str]) -> np.ndarray:
        """``find`` of each value (int64; -1: absent): one searchsorted for all of them; each hit
        is confirmed against the column (with a packed column, a slice of its block each)."""
        n = len(values)
        if n == 0 or len(self._rows) == 0:
            return np.full(n, -1, dtype=np.int64)
        h = np.fromiter(map(hash, values), dtype=np.int64, count=n)
        at = np.minimum(np.searchsorted(self._hashes, h), len(self._hashes) - 1)
        rows = np.where(self._hashes[at] == h, self._rows[at], -1).astype(np.int64)
        for k in self._unconfirmed(rows, values):  # another id of the same hash: look further
            rows[k] = self.find(values[k])
        return rows

    def _unconfirmed(self, rows: np.ndarray, values: Sequence[str]) -> list[int]:
        """The positions whose row does not hold their value. Many hits in a packed column are
        read a chunk at a time, in row order (one split per chunk, not a decode per id)."""
        hits = np.flatnonzero(rows >= 0)
        ids = self.ids
        chunks = getattr(ids, "chunks", None)
        if chunks is None or len(hits) < len(ids) // 64:
            return [k for k, r in zip(hits.tolist(), rows[hits].tolist(), strict=True) if ids[r] != values[k]]
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
        self.make_index: Callable[[], IdIndex] = make_index or (lambda: IdIndex(base))
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
        if self._index is None and index.ids is self.base:
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

    def find_many(self, link_ids: Iterable[str]) -> np.ndarray:
        ids = list(link_ids)
        rows = self.index.find_many(ids)
        if self._extra_rows:
            get = self._extra_rows.get
            for k, lid in enumerate(ids):
                row = get(lid)
                if row is not None:
                    rows[k] = row
        return rows
