"""A column of the checks' arrays filled a rowid window at a time, made whole only when it must be.

The read after a cold open (store.assess_columns.arrays_after_open) used to make each column it
fills whole before its first window (``np.empty`` of every row), and the arrays then held a
column of one value throughout as a view of that value (core.checks.context.UNIFORM: no link
dated, no volume, output or date recorded), freeing what was filled. At a million members and
three million links with none of those recorded (bench_open's file) that was 64 MB made,
filled and dropped at the read's peak (issue 17: the process must stay under 1 GB while the
first assessment runs). ``WindowColumn`` keeps the one value while every window holds only it,
and makes the column whole at the first window that holds another (the rows before it filled
with that value): a column of one value is never made whole, and is handed over as the same
read-only view the arrays would make of it (they copy it out before its first write).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _bits(values: np.ndarray) -> np.ndarray:
    """The values as unsigned integers of their width (NaN equals NaN; -0.0 is not 0.0: what
    core.checks.context calls one value)."""
    return values.view(f"u{values.dtype.itemsize}")


class WindowColumn:
    """``count`` values of ``dtype`` (``np.empty``'s order), given a window at a time in row
    order (``put``)."""

    def __init__(self, count: int, dtype: Any) -> None:
        self.dtype = np.dtype(dtype)
        self.count = count
        self._value: np.ndarray | None = None  # the one value seen so far, as an array of one
        self._whole: np.ndarray | None = None

    @property
    def whole(self) -> bool:
        """Made whole (some window held more than one value)."""
        return self._whole is not None

    def put(self, at: int, values: Any) -> None:
        """The values of rows ``at`` .. ``at + len(values) - 1``; every row before ``at`` was given."""
        values = np.asarray(values).astype(self.dtype, copy=False)
        if not values.size:
            return
        if self._whole is None:
            bits = _bits(values)
            first = values[:1]
            if bool(np.all(bits == bits[0])) and (
                    self._value is None or _bits(self._value)[0] == bits[0]):
                if self._value is None:
                    self._value = first.copy()
                return
            self._whole = np.empty(self.count, dtype=self.dtype)
            if self._value is not None:
                self._whole[:at] = self._value[0]
        self._whole[at:at + len(values)] = values

    def column(self) -> np.ndarray:
        """The whole column, or the one value as a read-only view of ``count`` rows."""
        if self._whole is not None:
            return self._whole
        if self._value is None or self.count <= 1:
            out = np.empty(self.count, dtype=self.dtype)
            if self._value is not None:
                out[:] = self._value[0]
            return out
        return np.broadcast_to(self._value, (self.count,))
