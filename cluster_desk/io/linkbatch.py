"""The common case of a links table read a batch of rows at a time (issues 12 and 17).

Profiled at 300,000 links (100,000 members), the link import spent about as much in per-row
Python as in SQLite: a dict of cells per row, both ends matched one lookup chain at a time, each
cell parsed by its own call. Here a batch of rows is read column by column:

- the ends are matched once per distinct (name, INN, id) triple of cells (a member appears in
  many rows), by the careful ``MemberIndex.resolve`` itself, so a match means the same here;
- kinds, dates and shares are parsed once per distinct cell text (bounded caches);
- volumes go through ``parse_roubles`` (its own fast path takes a plain number).

Only what is plainly right is taken here. A row with anything to say (an end that matches no
member or two, a short line, an unknown kind, a bad date or volume, an end before the start, a
link to itself, an empty row) is handed back as None, and ``io.links`` reads it with
``parse_link_row`` the way it always did, so every report (file, row, field, message) is exactly
as before. ``tests/io/test_link_batch.py`` checks the two readers agree row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from operator import eq, itemgetter, methodcaller
from typing import Any

import numpy as np

from cluster_desk.core.model import LinkKind, new_id
from cluster_desk.io.link_words import link_kind_of
from cluster_desk.io.values import MAX_ROUBLES, is_unknown, parse_roubles

__all__ = ["BATCH_ROWS", "LinkBatchReader"]

#: Rows read at a time (bounded memory; big enough that per-column work dominates).
BATCH_ROWS = 8192
_CACHE_LIMIT = 200_000  # distinct cells remembered per column (a 1M-row file stays bounded)
_BAD = object()  # the cell needs the careful reader (it will report it)
_NONE = object()  # the cell gives no value (empty, or "unknown")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_quoted = methodcaller("startswith", "'")
_KIND_VALUES: dict[Any, Any] = {k: k.value for k in LinkKind}
#: A link as the store takes it: (id, source, target, kind value, start, share, notes, end, volume, contract)
Row = tuple[Any, ...]
#: The same links as the store's ten columns (``Columns[i][k]`` is ``Row[i]`` of link k).
Columns = tuple[Sequence[Any], ...]


class LinkBatchReader:
    """Per-file state: the link fields' columns, the member index and the caches."""

    def __init__(self, columns: dict[str, int], index: Any, default_kind: LinkKind,
                 parse_date: Callable[[str], str], bad_date: type[Exception]) -> None:
        self.columns, self.index, self.default_kind = columns, index, default_kind
        self._parse_date, self._bad_date = parse_date, bad_date
        self.width = max(columns.values(), default=-1) + 1
        self._ends: dict[tuple[str, str, str], Any] = {}
        self._kinds: dict[str, Any] = {}
        self._dates: dict[str, Any] = {}
        self._shares: dict[str, Any] = {}
        self._transposed: list[tuple[str, ...]] = []  # the batch's columns, while it is read

    # --- one column ------------------------------------------------------------------------------

    def _column(self, rows: list[list[str]], fld: str) -> Sequence[str]:
        i = self.columns.get(fld)
        if i is None:
            return [""] * len(rows)
        return self._transposed[i] if self._transposed else list(map(itemgetter(i), rows))

    def _end_ids(self, rows: list[list[str]], end: str) -> Sequence[str | None]:
        """The member id each row's end names, or None (the careful reader explains)."""
        cache = self._ends
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        member_ids = self._column(rows, f"{end}_id")
        # An id cell naming a member decides the end (``resolve`` tries it first): one C-level
        # lookup per row (not touching the members found), and the (name, INN, id) triples only
        # for the rest.
        known = self.index.known
        if all(map(known, member_ids)):
            return member_ids  # a hit's key is the member's id itself
        hits = list(map(known, member_ids))
        keys = list(zip(self._column(rows, end), self._column(rows, f"{end}_inn"), member_ids, strict=True))
        out: list[Any] = [cell if m else cache.get(key)
                          for m, cell, key in zip(hits, member_ids, keys, strict=True)]
        if None in out:
            resolve = self.index.resolve
            for k, got in enumerate(out):
                if got is None:
                    key = keys[k]
                    got = cache.get(key)
                    if got is None:
                        found = resolve(*key)
                        got = cache[key] = _BAD if isinstance(found, tuple) else found.id
                    out[k] = got
        if _BAD in out:
            out = [None if v is _BAD else v for v in out]
        return out

    def _cached(self, rows: list[list[str]], fld: str, cache: dict[str, Any],
                parse: Callable[[str], Any]) -> list[Any]:
        if fld not in self.columns:
            return [_NONE] * len(rows)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cells = self._column(rows, fld)
        out = list(map(cache.get, cells))  # parsed values are never None: None is "not seen yet"
        if None in out:
            for k, value in enumerate(out):
                if value is None:
                    cell = cells[k]
                    value = cache.get(cell)
                    out[k] = value if value is not None else cache.setdefault(cell, parse(cell))
        return out

    def _kind(self, cell: str) -> Any:
        if not cell:
            return self.default_kind
        found = link_kind_of(cell)
        if found is not None:
            return found
        return _BAD if cell.strip() and not is_unknown(cell) else self.default_kind

    def _date(self, cell: str) -> Any:
        if not cell:
            return _NONE
        try:
            return self._parse_date(cell)
        except self._bad_date:
            return _BAD if cell.strip() and not is_unknown(cell) else _NONE

    @staticmethod
    def _share(cell: str) -> Any:
        raw = cell.strip()
        if not raw or is_unknown(raw):
            return _NONE
        try:
            share = float(raw.replace(",", ".").rstrip("%")) / (100.0 if raw.endswith("%") else 1.0)
        except ValueError:
            return _BAD
        return share if 0.0 <= share <= 1.0 else _BAD

    @staticmethod
    def _volumes(cells: list[str]) -> list[Any]:
        """``parse_roubles`` of each cell. The common batch (plain ASCII numbers, as our exports
        write them) goes through ``float`` and ``round`` in C, as parse_roubles' own fast path."""
        if "".join(cells).isascii():
            try:
                numbers = list(map(float, cells))
            except ValueError:
                pass
            else:
                values = np.array(numbers)
                if ((values >= 0) & (values <= MAX_ROUBLES)).all():  # (NaN and infinities fail it)
                    # round(x, 2) is x itself when x is the double nearest a number of cents k / 100
                    # (k / 100 in floats is that double: one correctly rounded division). Other
                    # values (more decimals, beyond 2**53 cents) go through round() itself.
                    cents = np.rint(values * 100.0)
                    exact = (cents / 100.0 == values) & (values < 2.0**53 / 100)
                    if exact.all():
                        return numbers
                    return [x if ok else round(x, 2) for x, ok in zip(numbers, exact.tolist(), strict=True)]
        out: list[Any] = []
        append = out.append
        for cell in cells:
            try:
                append(parse_roubles(cell))
            except ValueError:
                append(_BAD)
        return out

    def _texts(self, rows: list[list[str]], fld: str) -> list[str]:
        cells = self._column(rows, fld)
        joined = "".join(cells)
        if not joined.strip():  # an empty column (notes, most often)
            return [""] * len(cells)
        if _alnum(joined):  # (ids: no cell has a space or a quote to take off, checked in C)
            return list(cells)
        out = list(map(str.strip, cells))
        if "'" in joined and any(map(_quoted, out)):
            for k, t in enumerate(out):
                if t[:1] == "'" and len(t) > 1 and t[1] in _FORMULA_START:
                    out[k] = t[1:]  # undo our own export's formula neutralising
        return out

    # --- a batch ---------------------------------------------------------------------------------

    def read(self, rows: list[list[str]]) -> tuple[list[Row | None] | Columns, list[bool]]:
        """Per row: its link as the store takes it (``io.linkstream.Row``), or None (read it
        carefully: it is short, empty or has a problem); and whether the row gives the link's id.
        The common batch, every row plain, comes as the links' columns instead (a tuple of the
        store's ten columns: no tuple per row is built here to be taken apart again)."""
        width = self.width
        short = [len(r) < width for r in rows] if min(map(len, rows), default=width) < width else []
        if any(short):  # padded for the columns; the careful reader reads the short rows
            rows = [r + [""] * (width - len(r)) if s else r for r, s in zip(rows, short, strict=True)]
        # Every column at once (rows are at least ``width`` long; longer ones' extra cells are not read).
        self._transposed = list(zip(*rows, strict=False))
        try:
            return self._read(rows, short)
        finally:
            self._transposed = []

    def _read(self, rows: list[list[str]], short: list[bool],
              ) -> tuple[list[Row | None] | Columns, list[bool]]:
        sources, targets = self._end_ids(rows, "source"), self._end_ids(rows, "target")
        kinds = self._cached(rows, "kind", self._kinds, self._kind)
        starts = self._cached(rows, "start", self._dates, self._date)
        ends = self._cached(rows, "end", self._dates, self._date)
        shares = self._cached(rows, "share", self._shares, self._share)
        volumes = self._volumes(self._column(rows, "volume"))
        ids, contracts = self._texts(rows, "id"), self._texts(rows, "contract")
        notes = self._texts(rows, "notes")
        if "kind" not in self.columns:
            kinds = [self.default_kind] * len(rows)
        values = list(map(_KIND_VALUES.get, kinds, repeat(_BAD)))  # the kind's value; _BAD stays
        given = list(map(bool, ids))
        bad, none = _BAD, _NONE
        if (not short and None not in sources and None not in targets and bad not in values
                and bad not in starts and bad not in ends and bad not in shares and bad not in volumes
                and not any(map(eq, sources, targets))):  # the common batch: no row to read carefully
            starts, ends, shares = _values(starts), _values(ends), _values(shares)
            if ends.count(None) == len(ends) or not any(map(_ends_before_start, starts, ends)):
                if "" in ids:
                    ids = [i or new_id() for i in ids]
                return (ids, sources, targets, values, starts, shares, notes, ends, volumes, contracts), given
        out: list[Row | None] = []
        append = out.append
        cuts = short or [False] * len(rows)
        for k, (cut, a, b, kind, start, end, share, volume) in enumerate(
            zip(cuts, sources, targets, values, starts, ends, shares, volumes, strict=True)
        ):
            if (cut or a is None or b is None or a == b or kind is bad or start is bad
                    or end is bad or share is bad or volume is bad):
                append(None)
                continue
            start = None if start is none else start
            end = None if end is none else end
            if start is not None and end is not None and end < start:
                append(None)
                continue
            append((ids[k] or new_id(), a, b, kind, start, None if share is none else share, notes[k], end,
                    volume, contracts[k]))
        return out, given


def _alnum(text: str) -> bool:
    """``text.isalnum()``. An ASCII text (ids, as our exports and most tools write them) is checked
    as bytes: ``str.isalnum`` looks each character up in the Unicode tables (~3.4 ms for a batch's
    262,144 id characters, ~0.4 s CPU of a 1,000,000-link import), ``bytes.isalnum`` in one ASCII
    table (~0.2 ms with the copy). For ASCII the two agree: letters and digits."""
    if text.isascii():
        return text.encode("ascii").isalnum()
    return text.isalnum()


def _values(column: list[Any]) -> list[Any]:
    """The column with "no value" as None."""
    if _NONE not in column:
        return column
    return [None if v is _NONE else v for v in column]


def _ends_before_start(start: Any, end: Any) -> bool:
    return start is not None and end is not None and end < start
