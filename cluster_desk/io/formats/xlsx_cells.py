"""A workbook cell's value as the text a roster column reads: one cell, or a group of rows a column
at a time.

``cell_text`` is the rule for openpyxl's values; calamine's texts have their ``_xHHHH_`` escapes
decoded already (decoding them again turned a typed "_x0041_", stored "_x005F_x0041_", into "A"),
so they go through ``value_text``. ``rows_texts`` gives ``value_text``'s texts for a group of
rows without a Python call per cell where it can: a roster sheet's columns hold one or two kinds
of value (text, or numbers and empty cells), so a column of text is kept as it is and a column
of numbers is turned into text in one comprehension (or once per distinct value). Profiled on a
100,000-row GDAL-written workbook: ~1.0 s of CPU a cell at a time, ~0.25 s a column at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

__all__ = ["cell_text", "column_texts", "float_text", "rows_texts", "unescape", "value_text"]

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """OOXML's ``_xHHHH_`` escapes (a control character such as ``_x000D_``) as the character."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def float_text(value: float) -> str:
    # A whole number typed into a numeric cell (head count, INN): no ".0".
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def value_text(value: Any) -> str:
    """A cell's value as text, its ``_xHHHH_`` escapes left as they are (calamine has decoded them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def cell_text(value: Any) -> str:
    """A cell's value as openpyxl gives it, as text: its escapes decoded."""
    return unescape(value_text(value))


#: One kind of value beside text in a column: its text by a call into C (no Python frame per cell).
_TEXT_BY_CALL: dict[type, Callable[[Any], str]] = {bool: {True: "1", False: "0"}.__getitem__,
                                                   dt.date: dt.date.isoformat}


def column_texts(values: Sequence[Any]) -> Sequence[str]:
    """``[value_text(v) for v in values]``, without a Python call for a text, number, date or
    true/false cell; a value that comes back often (a sector, a head count, a date) is turned
    into text once."""
    kinds = set(map(type, values))
    others = kinds - {str}
    if not others:
        return values
    if others == {float} or (len(others) == 1 and others <= _TEXT_BY_CALL.keys()):
        # Equal values of these kinds have equal texts (0.0 and -0.0 are both "0"; a NaN is
        # found by identity), and a text never equals one of them: a table of distinct values.
        distinct = set(values)
        if len(distinct) * 4 <= len(values):
            table = {v: value_text(v) for v in distinct}
            return list(map(table.__getitem__, values))
        if others == {float}:  # float_text written out: no call per number
            return [v if v.__class__ is str else str(int(v)) if v.is_integer() and -1e15 < v < 1e15
                    else repr(v) for v in values]
        by_call = _TEXT_BY_CALL[others.pop()]
        return [v if v.__class__ is str else by_call(v) for v in values]
    return [v if v.__class__ is str else value_text(v) for v in values]


def rows_texts(rows: Sequence[Sequence[Any]], width: int, lead: int = 0) -> list[list[str]]:
    """``[value_text(v) for v in row]`` for each row, ``lead`` empty cells put before it and the
    result cut or padded (empty) to ``width`` cells."""
    if not rows:
        return []
    if len(set(map(len, rows))) > 1:  # calamine gives a rectangle; anything else is made one
        longest = max(map(len, rows))
        rows = [list(r) + [None] * (longest - len(r)) for r in rows]
    blank = [""] * len(rows)
    columns: list[Sequence[str]] = [blank] * min(lead, width)
    columns += [column_texts(c) for c in islice(zip(*rows, strict=True), width - len(columns))]
    columns += [blank] * (width - len(columns))
    return list(map(list, zip(*columns, strict=True)))
