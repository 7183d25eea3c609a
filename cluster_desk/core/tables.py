"""Members and links as the open project holds them: columns first, records on demand.

Opening 100,000 members and 300,000 links used to build 400,000 frozen records before anything
was drawn (80 % of the open time). The first paint needs only a few columns (ids, kinds, statuses,
coordinates; link ends and kinds), read in one query per table as arrays. ``LazyRecords`` is the
``{id: record}`` mapping the rest of the program reads: it knows every id from the start and
builds a record the first time it is asked for (one row), or all of them at once the first time
someone walks the values (one query). Qt-free and SQL-free: the loaders come from the store.
"""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    MutableMapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_HasId)
_ABSENT: Any = object()


class LazyRecords(MutableMapping[str, R]):
    """``{id: record}`` in file order whose records are built on first use.

    ``load_one(id)`` builds one record (KeyError if it is gone), ``load_all()`` every record of
    the file. Records set by edits win over what the file says; ``pop`` of a record never built
    returns the default rather than reading a record that is being deleted.
    """

    def __init__(self, ids: Iterable[str], load_one: Callable[[str], R],
                 load_all: Callable[[], Iterable[R]]) -> None:
        self._data: dict[str, R | None] = dict.fromkeys(ids)
        self._missing = len(self._data)
        self._load_one = load_one
        self._load_all = load_all

    @classmethod
    def of(cls, records: Iterable[R]) -> LazyRecords[R]:
        """A mapping holding these records (nothing left to load)."""
        out: LazyRecords[R] = cls((), _no_record, list)
        out._data = {r.id: r for r in records}
        return out

    @property
    def loaded(self) -> bool:
        """Every record is built (walking the values costs nothing more)."""
        return self._missing == 0

    def __getitem__(self, key: str) -> R:
        value = self._data[key]
        if value is None:
            value = self._load_one(key)
            self._data[key] = value
            self._missing -= 1
        return value

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self._data:
            return default
        try:
            return self[key]
        except KeyError:  # gone from the file behind our back
            return default

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setitem__(self, key: str, value: R) -> None:
        if self._data.get(key, _ABSENT) is None:
            self._missing -= 1
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        if self._data.pop(key) is None:
            self._missing -= 1

    def pop(self, key: str, default: Any = _ABSENT) -> Any:
        value = self._data.pop(key, _ABSENT)
        if value is _ABSENT:
            if default is _ABSENT:
                raise KeyError(key)
            return default
        if value is None:
            self._missing -= 1
            return None if default is _ABSENT else default
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __reversed__(self) -> Iterator[str]:
        """The ids, the last added first (builds nothing)."""
        return reversed(self._data)

    def load_all(self) -> None:
        """Build every record not built yet, in one pass over the file."""
        if not self._missing:
            return
        data = self._data
        for record in self._load_all():
            if data.get(record.id, _ABSENT) is None:
                data[record.id] = record
        for key in [k for k, v in data.items() if v is None]:  # gone from the file meanwhile
            del data[key]
        self._missing = 0

    def keys(self) -> KeysView[str]:
        """The ids; builds every record first, as ``dict(records)`` and ``keys() | ...`` then read
        each one (iterating the mapping itself builds nothing)."""
        self.load_all()
        return self._data.keys()

    def values(self) -> ValuesView[R]:
        self.load_all()
        return self._data.values()  # type: ignore[return-value]

    def items(self) -> ItemsView[str, R]:
        self.load_all()
        return self._data.items()  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MutableMapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyRecords({len(self)} records, {self._missing} not built)"


def _no_record(key: str) -> Any:
    raise KeyError(key)


@dataclass(frozen=True)
class MemberColumns:
    """What the first paint needs of every member, in file order: coordinates as float arrays
    (NaN: not placed), the rest as lists of the stored text."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    statuses: list[str]
    lat: np.ndarray
    lon: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def located(self) -> np.ndarray:
        """Boolean mask of the members placed on the map (finite, in range)."""
        with np.errstate(invalid="ignore"):
            mask: np.ndarray = (np.abs(self.lat) <= 90.0) & (np.abs(self.lon) <= 180.0)
        return mask

    def status_counts(self) -> dict[str, int]:
        """How many members have each status value."""
        values, counts = np.unique(np.asarray(self.statuses, dtype=object), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}


@dataclass(frozen=True)
class LinkColumns:
    """Every link's id, ends and kind (stored text), in file order."""

    ids: list[str]
    sources: list[str]
    targets: list[str]
    kinds: list[str]

    def __len__(self) -> int:
        return len(self.ids)


def member_columns(rows: Sequence[Sequence[Any]]) -> MemberColumns:
    """Columns from rows (id, name, kind, status, lat, lon)."""
    if not rows:
        return MemberColumns([], [], [], [], np.zeros(0), np.zeros(0))
    ids, names, kinds, statuses, lat, lon = (list(c) for c in zip(*rows, strict=True))
    # None (not placed) becomes NaN
    return MemberColumns(ids, names, kinds, statuses, np.array(lat, dtype=float), np.array(lon, dtype=float))


def link_columns(rows: Sequence[Sequence[Any]]) -> LinkColumns:
    """Columns from rows (id, source, target, kind)."""
    if not rows:
        return LinkColumns([], [], [], [])
    ids, sources, targets, kinds = (list(c) for c in zip(*rows, strict=True))
    return LinkColumns(ids, sources, targets, kinds)
