"""An import's notes in row order, the many alike ones kept as columns and made when read.

A roster whose INNs mostly fail the check digit (a synthetic one, an old register) has a note a
row: 90,000 at 100,000 rows, 900,000 at a million. Each note was an ImportProblem made as the row
was read (~1 µs, ~0.1 s of such an import's ~1.3 s of CPU, ~250 bytes each with its texts), yet
the import's readers need only how many there are: the report, the window and the command line
show the first thousand. ``Notes`` keeps a batch's alike notes as one ``NoteRun`` (their rows,
values and member names as columns: ~80 bytes a note) and makes each ImportProblem when it is
read: an index, a slice, an iteration. What is read is the note the row's reader made before
(tests/io/test_lazy_notes.py compares them field by field, in order).

Every other note is kept as it is, in the order it was filed. Changing a note in place (rare: no
importer does) first makes every note.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from itertools import chain, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, Any, overload

import numpy as np

if TYPE_CHECKING:
    from cluster_desk.io.errors import ImportProblem

__all__ = ["NoteRun", "Notes", "swap_offered"]

_ROW = attrgetter("row")
_SWAP_OFFERED = attrgetter("swap_offered")


class NoteRun:
    """Notes that differ only in their row, value and member name (a batch's wrong INNs): those
    three as columns, the texts end to end in one string each. ``make(row, value, member)`` makes
    one note (its file, unit, field, message and code are the run's own)."""

    __slots__ = ("code", "make", "member_ends", "members", "rows", "value_ends", "values")

    def __init__(self, make: Callable[[int, str, str], ImportProblem], code: str, rows: Sequence[int],
                 values: Sequence[str], members: Sequence[str]) -> None:
        self.make, self.code = make, code
        self.rows = array("q", rows)
        self.values, self.value_ends = "".join(values), _ends(values)
        self.members, self.member_ends = "".join(members), _ends(members)

    def __len__(self) -> int:
        return len(self.rows)

    def notes(self, lo: int = 0, hi: int | None = None) -> Iterator[ImportProblem]:
        """The notes ``lo`` to ``hi`` (a slice's bounds, within the run)."""
        hi = len(self.rows) if hi is None else hi
        if lo >= hi:
            return
        make, values, members = self.make, self.values, self.members
        v_ends, m_ends = self.value_ends[lo:hi].tolist(), self.member_ends[lo:hi].tolist()
        v_start = int(self.value_ends[lo - 1]) if lo else 0
        m_start = int(self.member_ends[lo - 1]) if lo else 0
        for row, v_end, m_end in zip(self.rows[lo:hi], v_ends, m_ends, strict=True):
            yield make(row, values[v_start:v_end], members[m_start:m_end])
            v_start, m_start = v_end, m_end

    def note(self, k: int) -> ImportProblem:
        return next(self.notes(k, k + 1))


def _ends(texts: Sequence[str]) -> np.ndarray:
    """Where each text ends in their concatenation (a batch's lengths summed in numpy: a third of
    ``array(accumulate(...))``'s cost)."""
    return np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))


_Part = list["ImportProblem"] | NoteRun


class Notes(MutableSequence["ImportProblem"]):
    """A list of ImportProblems as the report files them, the alike ones as ``NoteRun``s.

    Reads behave as a list's: ``len``, an index, a slice (a list), iteration, ``==`` with a list,
    ``+`` (a list). ``append``/``extend`` file notes after the others, ``add_run`` files a run.
    """

    __slots__ = ("_len", "_parts", "_starts")

    def __init__(self, notes: Iterable[ImportProblem] = ()) -> None:
        self._parts: list[_Part] = []
        self._starts: list[int] = []  # the index of each part's first note
        self._len = 0
        self.extend(notes)

    # --- filing ---------------------------------------------------------------------------------

    def append(self, note: ImportProblem) -> None:
        last = self._parts[-1] if self._parts else None
        if isinstance(last, list):
            last.append(note)
        else:
            self._parts.append([note])
            self._starts.append(self._len)
        self._len += 1

    def extend(self, notes: Iterable[ImportProblem]) -> None:
        if isinstance(notes, Notes):
            notes = list(notes)  # a copy: extending a Notes with itself stops
        for note in notes:
            self.append(note)

    def __iadd__(self, notes: Iterable[ImportProblem]) -> Notes:
        self.extend(notes)
        return self

    def add_run(self, run: NoteRun) -> None:
        """File ``run``'s notes after the others."""
        if len(run):
            self._parts.append(run)
            self._starts.append(self._len)
            self._len += len(run)

    # --- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[ImportProblem]:
        for part in self._parts:
            yield from (part if isinstance(part, list) else part.notes())

    def _between(self, lo: int, hi: int) -> Iterator[ImportProblem]:
        """The notes ``lo`` to ``hi`` (0 <= lo <= hi <= len)."""
        if lo >= hi:
            return
        k = bisect_right(self._starts, lo) - 1
        while lo < hi:
            part, start = self._parts[k], self._starts[k]
            end = min(hi, start + len(part))
            yield from (part[lo - start:end - start] if isinstance(part, list)
                        else part.notes(lo - start, end - start))
            lo, k = end, k + 1

    @overload
    def __getitem__(self, index: int) -> ImportProblem: ...

    @overload
    def __getitem__(self, index: slice) -> list[ImportProblem]: ...

    def __getitem__(self, index: int | slice) -> ImportProblem | list[ImportProblem]:
        if isinstance(index, slice):
            lo, hi, step = index.indices(self._len)
            if step == 1:
                return list(self._between(lo, hi))
            return list(self)[index]
        k = index + self._len if index < 0 else index
        if not 0 <= k < self._len:
            raise IndexError("note index out of range")
        at = bisect_right(self._starts, k) - 1
        part, start = self._parts[at], self._starts[at]
        return part[k - start] if isinstance(part, list) else part.note(k - start)

    def rows(self, start: int = 0) -> Iterator[int]:
        """The notes' rows from ``start`` on, no note made."""
        k = max(0, bisect_right(self._starts, start) - 1)
        for part, first in zip(self._parts[k:], self._starts[k:], strict=True):
            skip = max(0, start - first)
            yield from (map(_ROW, part[skip:]) if isinstance(part, list) else part.rows[skip:])

    def swap_offered(self) -> int:
        """How many notes offer to swap the coordinates (no run does)."""
        return sum(sum(map(_SWAP_OFFERED, part)) for part in self._parts if isinstance(part, list))

    def any_code(self, code: str) -> bool:
        """Whether a note has ``code`` (a run's are made only when it has it)."""
        return any(part.code == code if isinstance(part, NoteRun) else any(n.code == code for n in part)
                   for part in self._parts)

    def sort_rows_from(self, start: int) -> None:
        """The notes from ``start`` by row (stable), as ``sorted`` would leave them; in row order
        already (nearly always), nothing is made."""
        if self._len - start < 2 or all(a <= b for a, b in pairwise(self.rows(start))):
            return
        tail = sorted(self._between(start, self._len), key=_ROW)
        del self[start:]
        self.extend(tail)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, list | Notes):
            return NotImplemented  # as a list: equal to a list (or Notes) of the same notes only
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __add__(self, other: Iterable[ImportProblem]) -> list[ImportProblem]:
        return [*self, *other]

    def __radd__(self, other: Iterable[ImportProblem]) -> list[ImportProblem]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"Notes({list(self)!r})"

    # --- changing in place (no importer does: every note is made first) -------------------------

    def _flat(self) -> list[ImportProblem]:
        """Every note made, in one list part (the one a change in place edits)."""
        if len(self._parts) == 1 and isinstance(self._parts[0], list):
            return self._parts[0]
        flat = list(self)
        self._parts, self._starts = [flat], [0]
        return flat

    def _changed(self) -> None:
        self._len = len(self._parts[0])
        if not self._len:
            self._parts, self._starts = [], []

    def clear(self) -> None:
        self._parts, self._starts, self._len = [], [], 0

    @overload
    def __setitem__(self, index: int, value: ImportProblem) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[ImportProblem]) -> None: ...

    def __setitem__(self, index: int | slice, value: Any) -> None:
        self._flat()[index] = value
        self._changed()

    def __delitem__(self, index: int | slice) -> None:
        if isinstance(index, slice) and index.step in (None, 1) and (index.stop is None or
                                                                      index.stop >= self._len):
            lo = index.indices(self._len)[0]
            self._truncate(lo)
            return
        del self._flat()[index]
        self._changed()

    def _truncate(self, lo: int) -> None:
        """Every note from ``lo`` on dropped (the parts before it kept as they are)."""
        while self._parts and self._starts[-1] >= lo:
            self._parts.pop()
            self._starts.pop()
        if self._parts and self._starts[-1] + len(self._parts[-1]) > lo:
            part, start = self._parts[-1], self._starts[-1]
            self._parts[-1] = list(chain(part[: lo - start] if isinstance(part, list)
                                         else part.notes(0, lo - start)))
        self._len = min(self._len, lo)

    def pop(self, index: int = -1) -> ImportProblem:
        note = self[index]
        if index in (-1, self._len - 1):
            self._truncate(self._len - 1)  # the last one: the others stay as they are
        else:
            del self[index]
        return note

    def insert(self, index: int, value: ImportProblem) -> None:
        self._flat().insert(index, value)
        self._changed()


def swap_offered(notes: Iterable[ImportProblem]) -> int:
    """How many of ``notes`` offer to swap the coordinates."""
    return notes.swap_offered() if isinstance(notes, Notes) else sum(map(_SWAP_OFFERED, notes))
