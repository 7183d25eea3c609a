"""Members read from a file a batch at a time, as columns: what every roster reader gives the import.

A 100,000-row import spent most of its time building a ``Member`` per row, taking it apart again
for SQL and walking it through the swap check and the matching one attribute at a time. A batch
keeps the rows as columns in the members table's order (the id, then ``MEMBER_FIELDS``), so the
swap check, the matching and the store's bulk insert (``Project.add_member_columns``) work a
column at a time. A ``Member`` is built only where one is needed: an update of a project member,
the preview's listing and sample, and the callers that want rows (``MemberBatch.rows``).

The values are a ``Member``'s (enums, bools, floats), so ``member(k)`` equals the member the
careful per-row reader builds from the same cells (tests/io/test_rowbatch.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import filterfalse, islice
from operator import attrgetter, lt
from typing import Any

from cluster_desk.core.model import MEMBER_FIELDS, Member

__all__ = ["COLUMNS", "FEW", "ID", "INN", "LAT", "LON", "NAME", "MemberBatch", "Row", "cut", "kept_spans",
           "member_values"]

#: Column order of a batch: the members table's (the id, then the editable fields).
COLUMNS: tuple[str, ...] = ("id", *MEMBER_FIELDS)
ID, NAME, LAT, LON, INN = (COLUMNS.index(c) for c in ("id", "name", "lat", "lon", "inn"))

#: (row number, member, the fields the row gave).
Row = tuple[int, Member, frozenset[str]]

#: ``take`` copies the runs between the members it leaves out as slices up to this many of them.
FEW = 64

#: A member's values in batch column order.
member_values: Any = attrgetter(*COLUMNS)


def kept_spans(n: int, dropped: Sequence[int]) -> list[tuple[int, int]]:
    """The runs of positions 0..n-1 between ``dropped`` (ascending, each once) as (start, end)."""
    starts = [0, *(k + 1 for k in dropped)]
    ends = [*dropped, n]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if a < b]


def cut(values: list[Any], spans: Sequence[tuple[int, int]]) -> list[Any]:
    """``values`` at the positions of ``spans`` (``kept_spans``), copied a slice at a time."""
    out: list[Any] = []
    for a, b in spans:
        out += values[a:b]
    return out


def _member(values: Sequence[Any]) -> Member:
    mid, name, kind, status, *rest = values
    return Member(name, kind, status, mid, *rest)


class MemberBatch:
    """Rows of one file as columns: ``numbers[k]`` is the file row (or feature) of member ``k``,
    ``columns[i][k]`` its value of ``COLUMNS[i]``, ``givens[k]`` the fields its row gave (an
    update writes only those)."""

    __slots__ = ("columns", "givens", "numbers")

    def __init__(self, numbers: list[int], columns: list[list[Any]], givens: list[frozenset[str]]) -> None:
        self.numbers, self.columns, self.givens = numbers, columns, givens

    @classmethod
    def empty(cls) -> MemberBatch:
        return cls([], [[] for _ in COLUMNS], [])

    @classmethod
    def of_rows(cls, rows: Sequence[Row]) -> MemberBatch:
        """A batch of members read one by one."""
        if not rows:
            return cls.empty()
        columns = [list(c) for c in zip(*(member_values(m) for _, m, _ in rows), strict=True)]
        return cls([r[0] for r in rows], columns, [r[2] for r in rows])

    def __len__(self) -> int:
        return len(self.numbers)

    def member(self, k: int) -> Member:
        return _member([c[k] for c in self.columns])

    def members(self) -> list[Member]:
        return [_member(values) for values in zip(*self.columns, strict=True)]

    def rows(self) -> Iterator[Row]:
        return zip(self.numbers, self.members(), self.givens, strict=True)

    def take(self, keep: Sequence[int]) -> MemberBatch:
        """The members at ``keep`` (positions in this batch, in order)."""
        n = len(self.numbers)
        if len(keep) == n:
            return self
        if n - len(keep) <= FEW and len(keep) > n // 2 and all(map(lt, keep, islice(keep, 1, None))):
            dropped = sorted(set(range(n)).difference(keep))
            if len(dropped) == n - len(keep):  # ``keep`` is every other position, ascending
                return self._without(dropped)
        pick = [*keep]
        return MemberBatch(list(map(self.numbers.__getitem__, pick)),
                           [list(map(c.__getitem__, pick)) for c in self.columns],
                           list(map(self.givens.__getitem__, pick)))

    def without(self, dropped: Sequence[int]) -> MemberBatch:
        """The batch less the members at ``dropped`` (positions in this batch, ascending, each
        once): ``take`` of the others when the caller knows what it leaves out (up to FEW of
        them, ``take`` without its search for them: ~0.15 ms less a batch of 2,048)."""
        if not dropped:
            return self
        if len(dropped) <= FEW:
            return self._without(dropped)
        return self.take(list(filterfalse(set(dropped).__contains__, range(len(self.numbers)))))

    def _without(self, dropped: Sequence[int]) -> MemberBatch:
        """The batch less the members at ``dropped`` (ascending): the runs between them copied as
        slices (a repeated INN or two in a batch of 2,048 cost a copy of every cell, one by one)."""
        spans = kept_spans(len(self.numbers), dropped)
        return MemberBatch(cut(self.numbers, spans), [cut(c, spans) for c in self.columns],
                           cut(self.givens, spans))

    def extend(self, other: MemberBatch) -> None:
        self.numbers += other.numbers
        for mine, theirs in zip(self.columns, other.columns, strict=True):
            mine += theirs
        self.givens += other.givens
