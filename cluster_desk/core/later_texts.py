"""A text column still being read on another thread: its length known now, its values when
first asked for (issue 17).

A first open reads the link ids on its links thread after their ends (``store.column_read``):
the paint needs the ends, not the ids, and the open used to wait ~10-15 ms for them at
100,000 links (its read ~105 ms instead of ~115). ``LaterTexts`` stands for that column in the
holders made before the paint (the session's ``LazyRecords`` of links, the links layer's and
table's ``IdTable``): counting it waits for nothing; anything that reads an id (a lookup, an
edit, the checks, the snapshot) waits for the thread and then reads the column it gave. Once
given, that column is what ``resolved()`` returns every time (the same object: holders compare
by identity). Qt-free and SQL-free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload


class LaterTexts(Sequence[str]):
    """``count`` texts that ``fetch()`` gives (once, from whichever thread asks first; it may
    wait for the thread reading them, and raises what that read raised)."""

    def __init__(self, count: int, fetch: Callable[[], Sequence[str]],
                 begin: Callable[[], None] | None = None) -> None:
        self._count = count
        self._fetch: Callable[[], Sequence[str]] | None = fetch
        self._begin = begin
        self._column: Sequence[str] | None = None
        self._lock = threading.Lock()

    def resolved(self) -> Sequence[str]:
        """The column itself (waits for it the first time)."""
        column = self._column
        if column is not None:
            return column
        with self._lock:
            if self._column is None:
                assert self._fetch is not None
                got = self._fetch()
                if len(got) != self._count:
                    raise ValueError("later texts: not as many as promised")
                self._column, self._fetch = got, None
            return self._column

    def begin(self) -> None:
        """Let the read start if it waits to be asked (the open's: until the map has painted),
        without waiting for it."""
        if self._begin is not None:
            self._begin()

    @property
    def ready(self) -> bool:
        """Given already (asking for a value waits for nothing)."""
        return self._column is not None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self.resolved()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.resolved())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self.resolved())

    def __contains__(self, value: object) -> bool:
        return value in self.resolved()

    def __getattr__(self, name: str) -> Any:  # the column's own reads (find, joined, ...)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.resolved(), name)

    def __repr__(self) -> str:
        return f"LaterTexts({self._count}, {'ready' if self.ready else 'being read'})"


def resolved(texts: Sequence[str]) -> Sequence[str]:
    """``texts`` as read: a ``LaterTexts``' column (waiting for it), anything else as it is."""
    return texts.resolved() if isinstance(texts, LaterTexts) else texts
