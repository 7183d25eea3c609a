"""``{member id: float}`` held as one float array beside an id -> row map shared with others.

Every placed member's distance to the centre, in a dict, took ~80 MB at a million members (a
float object and a dict entry each, issue 17). ``RowValues`` holds them as 8 MB of float64 in
the rows of the checks' arrays (core.checks.context.Arrays), beside the arrays' id -> row map and
id column, which it shares and never changes (the arrays copy theirs before a change). NaN
marks a row without a value (a member not placed); an id the map does not know (added since)
goes to a small dict of its own. One value is a dict lookup and an array read; ``column``
reads many at once, ``within`` finds the ids up to a limit with numpy. Qt-free.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from cluster_desk.core.id_index import RowMap, rows_of

_ABSENT: Any = object()


class RowValues(MutableMapping[str, float]):
    """A float per member id: ``values[index[id]]`` (NaN: none), or in ``extra`` for an id the
    map does not know. ``index`` and ``ids`` (row -> id) are shared: never changed here;
    ``values`` is this mapping's own."""

    __slots__ = ("_count", "_extra", "_ids", "_index", "_values")

    def __init__(self, index: RowMap, ids: Sequence[str] | npt.NDArray[np.object_],
                 values: npt.NDArray[np.float64]) -> None:
        if not len(index) == len(ids) == len(values):
            raise ValueError("rows of different lengths")
        self._index = index
        self._ids = ids
        self._values = values
        self._extra: dict[str, float] = {}
        self._count = int(np.count_nonzero(~np.isnan(values)))

    def get(self, key: str, default: Any = None) -> Any:
        row = self._index.get(key)
        if row is None:
            return self._extra.get(key, default)
        value = float(self._values[row])
        return default if math.isnan(value) else value

    def __getitem__(self, key: str) -> float:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return float(value)

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __setitem__(self, key: str, value: float) -> None:
        row = self._index.get(key)
        if row is None:
            self._extra[key] = value
            return
        had = not math.isnan(self._values[row])
        if math.isnan(value):  # (NaN means none here: a NaN value is not kept)
            self._count -= had
        else:
            self._count += not had
        self._values[row] = value

    def __delitem__(self, key: str) -> None:
        row = self._index.get(key)
        if row is None:
            del self._extra[key]
            return
        if math.isnan(self._values[row]):
            raise KeyError(key)
        self._values[row] = math.nan
        self._count -= 1

    def __iter__(self) -> Iterator[str]:
        """The ids in row order (the arrays' order), then those not in the map."""
        yield from self._ids_of(np.flatnonzero(~np.isnan(self._values)))
        yield from list(self._extra)

    def __len__(self) -> int:
        return self._count + len(self._extra)

    def _ids_of(self, rows: npt.NDArray[np.intp]) -> list[str]:
        ids = self._ids
        if isinstance(ids, np.ndarray):
            out: list[str] = ids[rows].tolist()
            return out
        return [ids[i] for i in rows.tolist()]

    def column(self, ids: Sequence[str]) -> list[float | None]:
        """The value of each of ``ids`` (None: none) in one numpy take (a roster's column)."""
        rows = rows_of(self._index, ids)
        if not len(self._values):
            taken = np.full(len(ids), np.nan)
        else:
            taken = self._values[rows]
            taken[rows < 0] = np.nan
        out: list[float | None] = taken.astype(object).tolist()
        for i in np.flatnonzero(np.isnan(taken)).tolist():
            out[i] = self._extra.get(ids[i])
        return out

    def within(self, limit: float) -> list[str]:
        """The ids whose value is at most ``limit``, in iteration order."""
        with np.errstate(invalid="ignore"):
            rows = np.flatnonzero(self._values <= limit)
        return self._ids_of(rows) + [k for k, v in self._extra.items() if v <= limit]

    def __repr__(self) -> str:
        return f"RowValues({len(self)} values)"
