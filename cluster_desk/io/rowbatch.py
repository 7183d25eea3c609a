"""The common case of a table's rows read a column at a time (a batch of rows at once).

A 100,000-row roster spent ~60 % of its import in per-row Python: each cell tried through its
field's parser, a dict per row, the INN check digit one row at a time. Here a batch of rows is
read column by column: a parser is called once per *distinct* cell text of its column (kinds,
statuses, dates and yes/no repeat a lot), coordinates go through ``float`` in one ``map``, and the
INN check digits are computed for the whole batch with numpy.

Only what is plainly right is taken here. Any row with something to say (an empty name, a cell
that does not parse, a value out of range, a formula-quoted text, a long text, a short or long
line, a repeated id, coordinates that need the careful reader) is marked, and rows.py reads that
row the way it always did, so every report (file, row, field, message) is exactly as before. The
fast rows' only note, a wrong INN check digit, is filed here with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import MISSING, fields
from itertools import chain, compress, count, repeat
from operator import is_, not_
from typing import Any

import numpy as np

from cluster_desk.core.model import Member
from cluster_desk.io.cells import (
    FORMULA_START,
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    PARSERS,
    TEXT_FIELDS,
    CellError,
    is_unknown,
)

__all__ = ["BATCH_ROWS", "ColumnBatch", "inn_check_flags"]

#: Rows read at a time (bounded memory; big enough that per-column work dominates per-row work).
BATCH_ROWS = 2048
_CACHE_LIMIT = 20_000  # distinct values remembered per field (a 1M-row file must stay bounded)
_UNCACHED = frozenset({"inn"})  # every INN is different: caching would only fill memory
_MISSING = object()  # the cell is empty or says "unknown": the field is not given
_JOIN = "\x01"  # joins a column's cells for one scan (neither whitespace nor a quote)
_PLAIN_INNS = re.compile(r"(?:[0-9]{10}|[0-9]{12})(?:\x01(?:[0-9]{10}|[0-9]{12}))*")
_BAD = object()  # the cell needs the careful reader (it will report it)
_NONE, _SOME, _ALL = range(3)  # how many rows of a batch left a field out

#: Member fields in the members table's order, and the value a field the row does not give takes.
_TABLE = ("id", *(f.name for f in fields(Member) if f.name != "id"))
_DEFAULTS: dict[str, object] = {f.name: f.default for f in fields(Member) if f.default is not MISSING}

_W10 = np.array((2, 4, 10, 3, 5, 9, 4, 6, 8), dtype=np.int64)
_W12A = np.array((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), dtype=np.int64)
_W12B = np.array((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8), dtype=np.int64)


def inn_check_flags(inns: Sequence[str]) -> list[bool]:
    """Whether each INN's check digits are right (as cells.inn_check_ok), for many at once.

    The INNs are ASCII digit strings of 10 or 12 characters (what parse_inn returns).
    """
    out = [False] * len(inns)
    lengths = np.fromiter(map(len, inns), dtype=np.int64, count=len(inns))
    for length in (10, 12):
        where = np.flatnonzero(lengths == length)
        if not len(where):
            continue
        picked = inns if len(where) == len(inns) else list(map(inns.__getitem__, where.tolist()))
        digits = np.frombuffer("".join(picked).encode("ascii"), dtype=np.uint8)
        d = (digits.reshape(-1, length) - 48).astype(np.int64)
        if length == 10:
            ok = (d[:, :9] @ _W10) % 11 % 10 == d[:, 9]
        else:
            ok = ((d[:, :10] @ _W12A) % 11 % 10 == d[:, 10]) & ((d[:, :11] @ _W12B) % 11 % 10 == d[:, 11])
        if len(where) == len(inns):
            flags: list[bool] = ok.tolist()  # one length, the common batch: no per-row loop
            return flags
        if ok.all():
            for i in where.tolist():
                out[i] = True
            continue
        for i, good in zip(where.tolist(), ok.tolist(), strict=True):
            out[i] = good
    return out


def _ten_digits(cells: Sequence[str]) -> np.ndarray | None:
    """The digits of cells that are each 10 ASCII digits (the common INN column) as an (n, 10)
    uint8 array, or None: one join and a few numpy passes, no regex over the column's text."""
    n = len(cells)
    joined = _JOIN.join(cells)
    if not n or len(joined) != 11 * n - 1 or not joined.isascii():
        return None
    text = np.frombuffer((joined + _JOIN).encode("ascii"), dtype=np.uint8).reshape(n, 11)
    digits = text[:, :10] - 48  # uint8: a character below "0" wraps round above 9
    if not ((text[:, 10] == 1).all() and (digits < 10).all()):
        return None
    return digits


def _transposed(rows: list[list[str]]) -> list[Sequence[Any]]:
    """Every column's cells. Rows of one width (the plain rows always are) go through one flat
    list and a slice a column: ``zip(*rows)`` steps its 2,048 iterators once a column (a batch
    of 19-cell rows: ~1.45 ms there, ~0.6 ms here with the width check)."""
    if not rows:
        return []
    width = len(rows[0])
    if list(map(len, rows)).count(width) != len(rows):
        return list(zip(*rows, strict=True))  # raises: the columns would not line up
    flat = list(chain.from_iterable(rows))
    return [flat[i::width] for i in range(width)]


class ColumnBatch:
    """Per-file state of the column reader: the fields, their columns and the parsers' caches."""

    def __init__(self, fields: dict[str, int], quote: str, *, strict: bool = False) -> None:
        # strict: coordinates as io.coords reads them (ASCII digits only; float() alone takes
        # "1_0" and non-ASCII digits); the table reader's own fast path is float() itself.
        self.quote, self.strict = quote, strict
        self.text: list[tuple[str, int, int]] = []
        self.parsed: list[tuple[str, int, Callable[[str], object]]] = []
        for fld, i in fields.items():
            if fld in TEXT_FIELDS or fld == "id":
                self.text.append((fld, i, MAX_ID_CHARS if fld == "id" else MAX_TEXT_CHARS))
            elif fld in PARSERS:
                self.parsed.append((fld, i, PARSERS[fld]))
        self.lat, self.lon = fields.get("lat"), fields.get("lon")
        # A "lat, lon" cell, or only one of the two columns: the careful reader does those.
        self.usable = ("latlon" not in fields and (self.lat is None) == (self.lon is None)
                       and "name" in fields)
        self.names = [f for f, _, _ in self.text] + [f for f, _, _ in self.parsed]
        self._caches: dict[str, dict[str, object]] = {f: {} for f, _, _ in self.parsed}
        self._odd: dict[str, dict[str, object]] = {f: {} for f, _, _ in self.parsed}  # _MISSING or _BAD
        self._givens: dict[int, frozenset[str]] = {}
        self._inn_digits: np.ndarray | None = None  # a call's INN column as digits (``_ten_digits``)

    def _parse(self, fld: str, parse: Callable[[str], object], cell: str) -> object:
        if not cell or cell.isspace():
            return _MISSING
        try:
            return parse(cell)
        except CellError:
            return _MISSING if is_unknown(cell) else _BAD

    def _columns(self, rows: list[list[str]],
                 ) -> tuple[list[list[Any]], list[bool], tuple[list[Any], list[Any]] | None, list[int]]:
        """Each field's values for the batch (_MISSING: not given, _BAD: the row needs the careful
        reader), the rows to read carefully, the coordinates, and per parsed field whether rows
        left it out (_NONE, _SOME, _ALL: not one gave it). Everything a column at a time: a
        parser runs once per distinct cell text, the rest through ``map``."""
        n = len(rows)
        bad = [False] * n
        cols: list[list[Any]] = []
        gaps: list[int] = []
        quote = self.quote
        cells_of = _transposed(rows)
        for fld, i, limit in self.text:
            cells = cells_of[i]
            if not any(cells):  # a column no row fills (website, notes...): nothing to strip or check
                col = list(cells)
            else:
                col = list(map(str.strip, cells))
                # One scan of the column's text finds whether any cell may be formula-quoted.
                if max(map(len, col)) > limit or quote in _JOIN.join(col):
                    for k, t in enumerate(col):
                        if len(t) > limit or (len(t) > 1 and t[0] == quote and t[1] in FORMULA_START):
                            bad[k] = True
            if fld == "name" and not all(col):
                for k, t in enumerate(col):
                    if not t:
                        bad[k] = True  # "is empty; every member needs a name"
            cols.append(col)  # "" stands for not given (the reader maps it to _MISSING)
        for fld, i, parse in self.parsed:
            cells = cells_of[i]
            if fld in _UNCACHED:
                # The common INN (10 or 12 ASCII digits, nothing around them) is its own value;
                # a column of 10-digit ones keeps its digits for the check digits (``_inn_flags``).
                self._inn_digits = _ten_digits(cells)
                joined = "" if self._inn_digits is not None else _JOIN.join(cells)
                if self._inn_digits is not None or (_PLAIN_INNS.fullmatch(joined)
                                                    and joined.count(_JOIN) == len(cells) - 1):
                    values = list(cells)
                    gaps.append(_NONE)
                else:
                    values = [c if len(c) in (10, 12) and c.isdigit() and c.isascii()
                              else self._parse(fld, parse, c) for c in cells]
                    if _BAD in values:
                        for k, v in enumerate(values):
                            if v is _BAD:
                                bad[k] = True
                    gaps.append(_SOME)
            else:
                cache, odd = self._caches[fld], self._odd[fld]
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                    odd.clear()
                # A column every row leaves alike (empty dates, output, "no"): one compare a cell
                # (the csv module hands every empty cell as the one "" object) instead of a set.
                first = cells[0] if n else ""
                alike = n and cells[-1] == first and cells[n // 2] == first and cells.count(first) == n
                distinct = {first} if alike else set(cells)
                for cell in distinct.difference(cache):
                    value = cache[cell] = self._parse(fld, parse, cell)
                    if value is _MISSING or value is _BAD:
                        odd[cell] = value
                if len(distinct) == 1 and odd.get(first) is _MISSING:
                    values = [_MISSING] * n  # no row gives it (table() fills the default)
                elif len(distinct) == 1:
                    values = [cache[first]] * n
                else:
                    values = list(map(cache.__getitem__, cells))
                if odd and not distinct.isdisjoint(odd):
                    kinds = {odd.get(c) for c in distinct}
                    if _BAD in kinds:
                        for k, v in enumerate(values):
                            if v is _BAD:
                                bad[k] = True
                    gaps.append(_ALL if kinds == {_MISSING} else _SOME)
                else:
                    gaps.append(_NONE)
            cols.append(values)
        coords = self._coordinates(cells_of, n, bad)
        return cols, bad, coords, gaps

    def table(self, rows: list[list[str]],
              ) -> tuple[list[list[Any]], list[bool], list[frozenset[str]], list[bool]]:
        """The batch as columns in the members table's order (``memberbatch.COLUMNS``; the id is
        None where the row gives none), the rows to read carefully (their values here are
        placeholders), the fields each row gave, and whether its INN is right."""
        n = len(rows)
        self._inn_digits = None
        cols, bad, coords, gaps = self._columns(rows)
        ntext = len(self.text)
        # Given fields as a bit mask per row (a few distinct masks per file: one frozenset each).
        masks = np.zeros(n, dtype=np.int64)
        by_field: dict[str, list[Any]] = {}
        for j, (fld, col) in enumerate(zip(self.names, cols, strict=True)):
            if j < ntext:
                if not any(col):
                    masks |= 1 << j
                elif not all(col):
                    masks |= np.fromiter(map(not_, col), dtype=np.bool_, count=n).astype(np.int64) << j
            elif gaps[j - ntext] == _ALL:
                masks |= 1 << j
                col = [_DEFAULTS.get(fld)] * n
            elif gaps[j - ntext] == _SOME:
                missing = np.fromiter(map(is_, col, repeat(_MISSING)), dtype=np.bool_, count=n)
                if missing.any():
                    masks |= missing.astype(np.int64) << j
                    default = _DEFAULTS.get(fld)
                    if missing.all():
                        col = [default] * n
                    else:
                        values = np.array(col, dtype=object)
                        values[missing] = default
                        col = values.tolist()
            by_field[fld] = col
        if "id" in by_field and not all(by_field["id"]):
            by_field["id"] = [t or None for t in by_field["id"]]
        coord_bit = len(cols)
        if coords is not None:
            by_field["lat"], by_field["lon"] = coords
            masks |= np.fromiter(map(is_, coords[0], repeat(None)), dtype=np.bool_, count=n).astype(
                np.int64) << coord_bit
        else:
            masks |= 1 << coord_bit
        table = [by_field.get(f) or [_DEFAULTS.get(f)] * n for f in _TABLE]
        # A few distinct masks a batch: a dict of them, not np.unique's sort (247 -> 67 µs a batch).
        per_row = masks.tolist()
        sets = {m: self._given(m) for m in set(per_row)}
        givens = list(map(sets.__getitem__, per_row))
        # The rows read carefully hold _BAD or a default here: _inn_flags passes over those.
        return table, bad, givens, self._inn_flags(by_field.get("inn") or [None] * n)

    def _given(self, mask: int) -> frozenset[str]:
        given = self._givens.get(mask)
        if given is None:
            names = [f for j, f in enumerate(self.names) if not mask >> j & 1 and f != "id"]
            if not mask >> len(self.names) & 1 and self.lat is not None:
                names += ["lat", "lon"]
            given = self._givens[mask] = frozenset(names)
        return given

    def _inn_flags(self, inns: list[Any]) -> list[bool]:
        digits = self._inn_digits
        if digits is not None and len(digits) == len(inns):  # the column's own digits, read once
            flags: list[bool] = ((digits[:, :9] @ _W10) % 11 % 10 == digits[:, 9]).tolist()
            return flags
        # The common batch: every row gives one (the types counted: cheaper than a set of them).
        if list(map(type, inns)).count(str) == len(inns) and all(inns):
            return inn_check_flags(inns)
        given = [i for i, s in enumerate(inns) if isinstance(s, str) and s]
        flags = [True] * len(inns)
        for i, ok in zip(given, inn_check_flags([inns[i] for i in given]), strict=True):
            flags[i] = ok
        return flags

    def _coordinates(self, cells_of: list[Sequence[Any]], n: int, bad: list[bool],
                     ) -> tuple[list[float | None], list[float | None]] | None:
        """The latitude and longitude columns (None: unlocated, or a row to read carefully)."""
        if not self.usable:
            for k in range(n):
                bad[k] = True
            return None
        if self.lat is None or self.lon is None:
            return None
        lat_cells, lon_cells = cells_of[self.lat], cells_of[self.lon]
        fast = self._plain_coordinates(lat_cells, lon_cells, n)
        if fast is not None:
            return fast
        strict = self.strict
        lats: list[float | None] = [None] * n
        lons: list[float | None] = [None] * n
        for k, (raw_lat, raw_lon) in enumerate(zip(lat_cells, lon_cells, strict=True)):
            if not raw_lat and not raw_lon:
                continue  # unlocated: placed on the map later
            if strict and not (raw_lat.isascii() and raw_lon.isascii() and "_" not in raw_lat + raw_lon):
                bad[k] = True
                continue
            try:
                lat, lon = float(raw_lat), float(raw_lon)
            except ValueError:
                bad[k] = True
                continue
            if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and (lat or lon):
                lats[k], lons[k] = lat, lon
            else:
                bad[k] = True
        return lats, lons

    def _plain_coordinates(self, lat_cells: Sequence[str], lon_cells: Sequence[str], n: int,
                           ) -> tuple[list[float | None], list[float | None]] | None:
        """The loop above a column at a time when every pair is plain (both cells or neither, each
        a number in range, not 0,0); None: some row is not, the loop above says which."""
        given = list(map(bool, lat_cells))
        if given != list(map(bool, lon_cells)):
            return None
        if self.strict:
            joined = "".join(lat_cells) + "".join(lon_cells)
            if not joined.isascii() or "_" in joined:
                return None
        located = all(given)
        lats: list[float | None]
        lons: list[float | None]
        try:
            if located:
                lats, lons = list(map(float, lat_cells)), list(map(float, lon_cells))
            else:  # unlocated rows stay None here (numpy reads them as NaN below)
                # The given cells through ``float`` in one ``map``, then a None put in for each
                # unlocated row (a few a batch), not a conditional per row.
                lats = list(map(float, compress(lat_cells, given)))
                lons = list(map(float, compress(lon_cells, given)))
                for k in compress(count(), map(not_, given)):
                    lats.insert(k, None)
                    lons.insert(k, None)
        except ValueError:
            return None
        a, o = np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            plain = (a >= -90.0) & (a <= 90.0) & (o >= -180.0) & (o <= 180.0) & ((a != 0.0) | (o != 0.0))
        if not located:
            plain |= ~np.array(given, dtype=np.bool_)
        if not plain.all():
            return None
        return lats, lons
