"""The ids an import added, kept compactly: 16 bytes an id instead of a ~80-byte string.

A 1,000,000-row import keeps every added id for undo (``ImportReport.added_ids``): as a list of
strings ~90 MB, as this ~16 MB. Ids of 32 lowercase hex digits (what ``new_id`` and the import's
own ``ImportIds`` make, and what our exports carry) are stored as their 16 bytes; any other id
is kept as it is. It reads like a list of strings, in the order the ids were added.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

__all__ = ["IdList"]

_HEX_CHARS = 32


class IdList(Sequence[str]):
    __slots__ = ("_other", "_packed")

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._packed = bytearray()  # 16 bytes per id (zeros where the id is in ``_other``)
        self._other: dict[int, str] = {}  # position -> an id that is not 32 lowercase hex digits
        self.extend(ids)

    def extend(self, ids: Iterable[str]) -> None:
        batch = ids if isinstance(ids, list) else list(ids)
        joined = "".join(batch)
        if (len(joined) == _HEX_CHARS * len(batch) and set(map(len, batch)) == {_HEX_CHARS}
                and joined.isascii() and joined == joined.lower()):
            try:
                packed = bytes.fromhex(joined)
            except ValueError:
                packed = b""
            if len(packed) == len(joined) // 2:  # fromhex skips whitespace: none was there
                self._packed += packed
                return
        for one in batch:
            self.append(one)

    def append(self, one: str) -> None:
        packed = b""
        if len(one) == _HEX_CHARS and one.isascii() and one == one.lower():
            try:
                packed = bytes.fromhex(one)
            except ValueError:
                packed = b""
        if len(packed) != _HEX_CHARS // 2:
            self._other[len(self)] = one
            packed = bytes(_HEX_CHARS // 2)
        self._packed += packed

    def __len__(self) -> int:
        return len(self._packed) // (_HEX_CHARS // 2)

    def _at(self, i: int) -> str:
        other = self._other.get(i)
        return other if other is not None else self._packed[16 * i: 16 * i + 16].hex()

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self._at(k) for k in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError("id index out of range")
        return self._at(i % n if i < 0 else i)

    def __iter__(self) -> Iterator[str]:
        packed, other = self._packed, self._other
        for i in range(len(self)):
            got = other.get(i) if other else None
            yield got if got is not None else packed[16 * i: 16 * i + 16].hex()

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, IdList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"IdList({list(self)!r})"
