"""``TextColumn``: many short texts (a million names, three million link ids) held as one packed
block instead of a str object each (issue 17), read as a list of str. Qt-free and SQL-free.

The storage is a UTF-8 blob with a separator between the texts (this class), or, for link ids
that are all 32 lowercase hex digits, 16 raw bytes each (``core.hex_ids.HexIds``, a subclass
that overrides the few storage methods below: ``_value``, ``_values``, ``_find_read``,
``_kept_read``, ``_joined_read``). Everything else (values set or appended beside the block, the
list a bigger change turns it into, copies sharing the block) is the same for both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, MutableSequence, Sequence
from typing import Any

import numpy as np

from cluster_desk.core.text_blobs import separators


class TextColumn(MutableSequence[str]):
    """Many short texts held as one UTF-8 blob with a separator (``SEP``) between them: a million
    link ids as ~33 MB of bytes instead of ~90 MB of str objects, a million names ~40 MB instead
    of ~120 MB. ``[i]`` decodes one; iterating, ``index`` and ``in`` split the blob once (C speed).
    Setting a value or appending one keeps the blob (the changed values are held beside it);
    the first other change (``del``, an insert before the end) turns it into a list of its own.
    ``copy()`` shares the blob, so a holder that changes its rows takes a copy (one column read
    by an open is shared by the session, the map and the checks' arrays, issue 17). The blob is
    what a snapshot stores."""

    SEP = 0x1F

    def __init__(self, blob: bytes, count: int) -> None:
        if count == 0:
            if blob:
                raise ValueError("texts: a blob for no values")
            ends = np.zeros(1, dtype=np.int32)
        else:
            seps = separators(blob)
            if len(seps) != count - 1:
                raise ValueError("texts: the blob does not split into its count")
            ends = np.concatenate(([-1], seps, [len(blob)])).astype(
                np.int32 if len(blob) < 2**31 - 1 else np.int64)
        self._blob = blob
        self._ends = ends  # value i is blob[ends[i] + 1 : ends[i + 1]]
        self._start(count)

    def _start(self, count: int) -> None:
        """The state beside the block: ``count`` values read, nothing changed since."""
        self._count = count  # values in the block
        self._set: dict[int, str] = {}  # values set since it was read (row -> value)
        self._tail: list[str] = []  # values appended since
        self._list: list[str] | None = None  # after the first other change

    @classmethod
    def with_ends(cls, blob: bytes, ends: np.ndarray) -> TextColumn:
        """A column of ``blob`` whose separators' positions are known already (``ends``: -1,
        each separator's offset, ``len(blob)``; as ``TextColumn(blob, n)`` finds them): no scan
        of the blob (a snapshot keeps them; at 100,000 members and 300,000 links the scans took
        ~25 ms of an open). ValueError when they do not fit the blob."""
        ends = np.asarray(ends)
        n = len(ends) - 1
        if n < 1 or int(ends[0]) != -1 or int(ends[-1]) != len(blob) or (
                n > 1 and (bool(np.any(np.diff(ends) <= 0))
                           or bool(np.any(np.frombuffer(blob, dtype=np.uint8)[ends[1:-1]] != cls.SEP)))):
            raise ValueError("texts: the ends do not fit the blob")
        out = TextColumn.__new__(TextColumn)
        out._blob, out._ends = blob, ends
        out._start(n)
        return out

    @classmethod
    def of(cls, values: Sequence[str]) -> TextColumn | None:
        """``values`` as one column; None when one holds the separator or cannot be UTF-8."""
        if isinstance(values, TextColumn):
            return values.copy()
        text = chr(cls.SEP).join(values)
        if text.count(chr(cls.SEP)) != max(len(values) - 1, 0):
            return None
        try:
            return TextColumn(text.encode("utf-8"), len(values))
        except UnicodeEncodeError:  # a lone surrogate
            return None

    # ----- the storage (what core.hex_ids.HexIds holds otherwise) ---------------------------

    def _value(self, i: int) -> str:
        """Value ``i`` of the block as read."""
        return self._blob[int(self._ends[i]) + 1:int(self._ends[i + 1])].decode("utf-8")

    def _values(self, lo: int, hi: int) -> list[str]:
        """Values ``lo`` to ``hi`` of the block as read (one decode and split, C speed)."""
        if lo >= hi:
            return []
        return self._blob[int(self._ends[lo]) + 1:int(self._ends[hi])].decode("utf-8").split(chr(self.SEP))

    def _find_read(self, value: str, before: int) -> int:
        """The first row below ``before`` whose value as read is ``value`` and not set since."""
        try:
            needle = value.encode("utf-8")
        except UnicodeEncodeError:
            return -1
        if chr(self.SEP).encode() in needle:
            return -1
        blob, ends, sep = self._blob, self._ends, self.SEP
        size, at = len(blob), 0
        if not needle:  # an empty value: two separators side by side, or one at either end
            lengths = np.diff(ends) - 1
            rows = np.flatnonzero(lengths[:before] == 0)
            return next((int(r) for r in rows.tolist() if r not in self._set), -1)
        while True:
            at = blob.find(needle, at)
            if at < 0:
                return -1
            stop = at + len(needle)
            if (at == 0 or blob[at - 1] == sep) and (stop == size or blob[stop] == sep):
                row = int(np.searchsorted(ends, at - 1))
                if row >= before:
                    return -1
                if row not in self._set:
                    return row
            at += 1

    def _kept_read(self, keep: np.ndarray, count: int) -> TextColumn:
        """A column of the block's values where ``keep`` (``count`` of them, at least one), cut
        with numpy: no str made per value."""
        data = np.frombuffer(self._blob, dtype=np.uint8)
        # each value with the separator after it (the last has none): the bytes of kept values
        taken = np.repeat(keep, np.diff(self._ends))[:len(data)]
        blob = data[taken].tobytes()
        if not keep[-1]:
            blob = blob[:-1]  # the separator after the last value kept
        return TextColumn(blob, count)

    def _joined_read(self) -> bytes:
        """The block's values joined by SEP as UTF-8."""
        return self._blob

    @property
    def block(self) -> object:
        """The packed block as read (the blob here): copies share it (``is`` tells a holder of
        the same column read once from one that read its own)."""
        return self._blob

    # ----- the sequence -----------------------------------------------------------------------

    def _read(self) -> int:
        return self._count

    def __len__(self) -> int:
        return len(self._list) if self._list is not None else self._count + len(self._tail)

    def __getitem__(self, i: Any) -> Any:
        if self._list is not None:
            return self._list[i]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        read = self._count
        if i >= read:
            return self._tail[i - read]
        if self._set:
            got = self._set.get(i)
            if got is not None:
                return got
        return self._value(int(i))

    def take(self, rows: np.ndarray) -> list[str]:
        """``[self[i] for i in rows]`` (rows: non-negative). While nothing changed since it was
        read, each value is cut from the block at offsets looked up at once: ~0.4 us a value
        where ``self[i]`` takes ~1.8 (the checks list ~110,000 names at a million members)."""
        if type(self) is not TextColumn or self.changed or not len(rows) or type(self._blob) is not bytes:
            return [self[i] for i in rows.tolist()]
        blob, ends = self._blob, self._ends
        starts = (ends[rows] + 1).tolist()
        return [blob[a:b].decode("utf-8") for a, b in zip(starts, ends[rows + 1].tolist(), strict=True)]

    @property
    def owned(self) -> bool:
        """Changed since it was read (its values are then a list of its own)."""
        return self._list is not None

    @property
    def changed(self) -> bool:
        """Anything set, appended or otherwise changed since it was read."""
        return self._list is not None or bool(self._set or self._tail)

    def _own(self) -> list[str]:
        if self._list is None:
            self._list = self.tolist()
            self._set, self._tail = {}, []
        return self._list

    def __setitem__(self, i: Any, value: Any) -> None:
        if self._list is None and isinstance(i, int | np.integer):
            n = len(self)
            j = int(i) + n if i < 0 else int(i)
            if not 0 <= j < n:
                raise IndexError(i)
            read = self._read()
            if j >= read:
                self._tail[j - read] = value
            else:
                self._set[j] = value
            return
        self._own()[i] = value

    def __delitem__(self, i: Any) -> None:
        del self._own()[i]

    def insert(self, index: int, value: str) -> None:
        if self._list is None and index >= len(self):
            self._tail.append(value)
            return
        self._own().insert(index, value)

    def extend(self, values: Iterable[str]) -> None:
        if self._list is None:
            self._tail.extend(values)
        else:
            self._list.extend(values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._list if self._list is not None else self.tolist())

    def __contains__(self, value: object) -> bool:
        if self._list is None and isinstance(value, str):
            return self.find(value) >= 0
        return value in (self._list if self._list is not None else self.tolist())

    def index(self, value: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        return (self._list if self._list is not None else self.tolist()).index(value, start, stop)

    def find(self, value: str) -> int:
        """The first row holding ``value``, or -1: a search of the blob (C speed, ~10 ms for
        a hundred MB), no str made per value (a link edit at a million members names its
        link's row so, with no id -> row map of three million ids)."""
        if self._list is not None:
            return self._list.index(value) if value in self._list else -1
        best = -1
        for row, v in self._set.items():
            if v == value and (best < 0 or row < best):
                best = row
        found = self._find_read(value, best if best >= 0 else self._read())
        if found >= 0:
            return found
        if best >= 0:
            return best
        if value in self._tail:
            return self._read() + self._tail.index(value)
        return -1

    def chunks(self, size: int) -> Iterator[list[str]]:
        """The values in order, ``size`` at a time (each slice of the block split at C speed;
        hashing or scanning them so keeps ``size`` str objects alive, not millions)."""
        if self._list is not None:
            for lo in range(0, len(self._list), size):
                yield self._list[lo:lo + size]
            return
        read = self._read()
        for lo in range(0, read, size):
            hi = min(read, lo + size)
            part = self._values(lo, hi)
            for row, value in self._set.items():
                if lo <= row < hi:
                    part[row - lo] = value
            yield part
        for lo in range(0, len(self._tail), size):
            yield self._tail[lo:lo + size]

    def tolist(self) -> list[str]:
        if self._list is not None:
            return list(self._list)
        out = self._values(0, self._count)
        for row, value in self._set.items():
            out[row] = value
        out.extend(self._tail)
        return out

    def copy(self) -> TextColumn:
        """A column sharing this one's block (a holder that changes its rows takes one)."""
        out = type(self).__new__(type(self))
        out.__dict__.update(self.__dict__)  # (the block and its storage's arrays: shared)
        out._set, out._tail = dict(self._set), list(self._tail)
        out._list = None if self._list is None else list(self._list)
        return out

    def kept(self, keep: np.ndarray) -> TextColumn:
        """A new column of the values where the boolean ``keep`` is true (rows taken out of the
        checks' arrays), cut from the block with numpy: no str made per value."""
        if len(keep) != len(self):
            raise ValueError("texts: a mask of another length")
        if self._list is None and self.changed:
            return self._kept_beside(keep)
        if self._list is not None:
            values = self.tolist()
            out = TextColumn.of([v for v, k in zip(values, keep.tolist(), strict=True) if k])
            if out is None:  # (a value set since holds the separator: kept as a list)
                out = TextColumn(b"", 0)
                out._list = [v for v, k in zip(values, keep.tolist(), strict=True) if k]
            return out
        count = int(np.count_nonzero(keep))
        if count == 0:
            return TextColumn(b"", 0)
        return self._kept_read(keep, count)

    def _kept_beside(self, keep: np.ndarray) -> TextColumn:
        """``kept`` of a column with values set or appended beside its block: the block cut with
        numpy as when nothing changed, the set values moved to their rows in the cut, the
        appended ones kept or not. A removed link with an undone removal before it left three
        hundred thousand link ids so: each copy the as-of view took after an edit made every id
        a str and joined them again (~0.3 s of a worker holding the interpreter in long C calls:
        GUI stalls of 60-330 ms, issue 17)."""
        read = self._count
        in_block = keep[:read]
        count = int(np.count_nonzero(in_block))
        out = self._kept_read(in_block, count) if count else TextColumn(b"", 0)
        if self._set:
            row_in_cut = np.cumsum(in_block) - 1
            out._set = {int(row_in_cut[r]): v for r, v in self._set.items() if in_block[r]}
        out._tail = [v for v, k in zip(self._tail, keep[read:].tolist(), strict=True) if k]
        return out

    def joined(self) -> bytes:
        """Every value joined by SEP as UTF-8 (the blob itself while nothing changed)."""
        if not self.changed:
            return self._joined_read()
        return chr(self.SEP).join(self.tolist()).encode("utf-8")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextColumn | list):
            return self.tolist() == (other if isinstance(other, list) else other.tolist())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} values)"
