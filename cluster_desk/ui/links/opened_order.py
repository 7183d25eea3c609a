"""The links table's filters and sort made from the open's columns, on a worker (issue 17).

The table's rows are the open's links in file order, less those deleted since, plus those added
since (``LinksModel``'s table rows). Its first sort or text filter at 300,000 links waited
2.8-5 s for every Link and Member record (built in slices between frames), then took one key or
one test per row in Python. Here the ends and kinds come from the open's columns, the volumes,
dates, contracts and notes as columns of the file (store.link_values), and what was edited or
added since from the records the model was told of (``Edits``: a few). Each distinct text is
ranked once: a member's name (100,000 names, not 600,000 link ends), a date, a note; a link's
sort key is its value's rank (a stable sort of the ranks is the sort of the texts:
text_order.text_ranks), and the text filter tests each member's casefolded name once in numpy.
The rows and their order are the record path's (proxy.py: ``LinksProxy.accepts`` and
``LinksModel.sort_key``), compared on real files by the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.dtypes import StringDType

from cluster_desk.core.id_index import rows_of
from cluster_desk.core.model import Link, LinkKind
from cluster_desk.core.tables import KIND_VALUES
from cluster_desk.store.link_values import COLUMNS, TEXT_COLUMNS, Coded, read_link_values, read_present
from cluster_desk.ui.links.text_order import ARRAY_CHUNK, KEY_CHARS, order_of, text_array, text_ranks

if TYPE_CHECKING:
    from cluster_desk.ui.project.loading import OpenedColumns


@dataclass(frozen=True)
class Edits:
    """The table as its model holds it now, beside the open's columns (taken on the GUI thread
    for one arrangement): ``rows``, the table row of each model row (None: the open's rows, as
    they were); ``links``, the records of the table rows edited or added since the open;
    ``names``, the names of the members renamed or added since, by id; ``version``, bumped at
    each change of ``names`` (what the names' caches are kept by)."""

    rows: np.ndarray | None = None
    links: dict[int, Link] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    version: int = 0


#: Members up to which prepare() casefolds and ranks their names ahead: a million's casefolded
#: are ~90 MB, made only when a text filter asks.
FOLD_AHEAD_UP_TO = 250_000


class OpenedOrder:
    """The arrangement (shown rows, in order) of an opened project's links, no record built but
    those edited since. ``arrange`` runs on a worker; None from it: the file cannot be read or
    holds what the columns cannot say (a link end that is no member), and the caller takes the
    record path."""

    def __init__(self, opened: OpenedColumns, path: Path, labels: dict[LinkKind, str]) -> None:
        self.opened = opened
        self._path = path
        self._labels = labels
        self._lock = threading.Lock()  # (two arrangements at once: each cache made once)
        self._cache: dict[str, Any] = {}
        self.failed = False

    def arrange(self, edits: Edits, kind: LinkKind | None, text: str, day: str, column: str | None,
                descending: bool) -> np.ndarray | None:
        """The model rows passing the filters (``text`` casefolded, ``day`` an ISO date or
        ignored), in ``column``'s order (None: the model's order)."""
        with self._lock:
            try:
                rows = self._arrange(_Table(self, edits), kind, text, day, column, descending)
            except (ValueError, KeyError, IndexError):  # (what the columns do not hold as expected)
                rows = None
            if rows is None:
                self.failed = True
            return rows

    def prepare(self) -> None:
        """What every first sort or filter by a value waits for, made ahead (the table shown):
        one scan counting the values each column holds (store.link_values), and up to
        FOLD_AHEAD_UP_TO members their names casefolded for a text filter and ranked for a sort
        by a link's end (at 100,000 ~0.2 s and ~0.1 s of the first such wait otherwise)."""
        with self._lock:
            if self.opened.key is not None and self._base_values() is None:
                self.failed = True
            names = self.opened.members.names
            if not self.failed and len(names) <= FOLD_AHEAD_UP_TO:
                self._cached("folded names", lambda: _folded(names))
                # (as _Table._names_cached keys them with no name edited)
                self._cached("name ranks 0", lambda: text_ranks([n or "" for n in _listed(names)]))

    def _arrange(self, table: _Table, kind: LinkKind | None, text: str, day: str, column: str | None,
                 descending: bool) -> np.ndarray | None:
        if self.opened.key is None or not self._cached("sound", self._sound):
            return None
        mask: np.ndarray | None = None
        if kind is not None:
            mask = table.kind_codes() == KIND_VALUES.index(kind.value)
        if day:
            active = table.active_on(day)
            if active is None:
                return None
            mask = active if mask is None else mask & active
        if text:
            found = table.holding(text)
            if found is None:
                return None
            mask = found if mask is None else mask & found
        rows = np.arange(table.count, dtype=np.int64) if mask is None else np.flatnonzero(mask)
        if column is None:
            return rows
        keys = table.keys(column)
        if keys is None:
            return None
        out: np.ndarray = rows[order_of(keys[rows], descending)]
        return out

    def _cached(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def _sound(self) -> bool:
        """Every end is a member (else its name would be its id: the record path says that)."""
        links = self.opened.links
        return not (len(links) and (int(links.source_index.min()) < 0 or int(links.target_index.min()) < 0))

    def _base_values(self, *columns: str) -> dict[str, Any] | None:
        """The open's links' ``columns`` (store.link_values), each read once: by row while the
        file is as it was opened, else by id (a link of the open edited since is one of the
        ``Edits``, so what the file says of the others now is what it said then)."""
        missing = tuple(c for c in columns if c not in self._cache)
        if missing or ("held" not in self._cache and "by id" not in self._cache):
            count = len(self.opened.links)
            read = None if "by id" in self._cache else read_link_values(
                self._path, self.opened.key, count, missing, self._cache.get("held"))
            if read is not None:
                self._cache.update(read[0])
                self._cache["held"] = read[1]
            else:  # (every column in one scan: the next sort or filter reads nothing)
                self._cache["by id"] = True
                missing = tuple(c for c in COLUMNS if c not in self._cache)
                present = read_present(self._path, missing)
                if present is None:
                    return None
                for c, (ids, values) in present.items():
                    self._cache[c] = _by_id(c, count, self.opened.links.id_index.find_many(ids), values)
        return {c: self._cache[c] for c in columns}


def _by_id(column: str, count: int, rows: np.ndarray, values: list[Any]) -> Any:
    """A column of ``count`` open links from the values of some (``rows``: their rows, -1: a
    link added since, an edit's)."""
    there = rows >= 0
    rows = rows[there]
    kept = [v for v, t in zip(values, there.tolist(), strict=True) if t]
    if column == "volume":
        out = np.full(count, np.nan)
        out[rows] = np.array(kept, dtype=np.float64)
        return out
    blank: str | None = None if TEXT_COLUMNS[column] else ""
    table: dict[Any, int] = {blank: 0}
    codes = np.zeros(count, dtype=np.int32)
    codes[rows] = np.fromiter((table.setdefault(v, len(table)) for v in kept), np.int32, len(kept))
    return Coded(list(table), codes)


class _Table:
    """One arrangement's view of the table: the open's columns with the edits since laid over
    them, by model row."""

    def __init__(self, order: OpenedOrder, edits: Edits) -> None:
        self._order = order
        self._edits = edits
        links = order.opened.links
        self._base = len(links)
        self._size = max([self._base, *(r + 1 for r in edits.links)])  # table rows
        self.rows = np.arange(self._base, dtype=np.int64) if edits.rows is None else edits.rows
        self.count = len(self.rows)
        if self.count and int(self.rows.max()) >= self._size:  # (a row added with no record told)
            raise IndexError("links: a table row the columns and edits do not hold")
        # Member codes: a member of the open, its position; one added since, after them.
        members = order.opened.members
        named = list(edits.names)
        new = [i for i, at in zip(named, rows_of(members.index, named).tolist(), strict=True) if at < 0]
        self._new_codes = {i: len(members) + k for k, i in enumerate(new)}

    def _code(self, member_id: str) -> int:
        code = self._new_codes.get(member_id)
        if code is not None:
            return code
        found = int(rows_of(self._order.opened.members.index, [member_id])[0])
        if found < 0:
            raise KeyError(member_id)  # (an end that is no member: the record path)
        return found

    def _laid(self, base: np.ndarray, value: Callable[[Link], Any], dtype: Any, blank: Any) -> np.ndarray:
        """A column of the table's rows by model row: ``base`` for the open's, ``value`` of the
        record for those edited or added since."""
        edits = self._edits.links
        if not edits:
            return base if self._edits.rows is None else base[self.rows]
        column = np.full(self._size, blank, dtype=dtype)
        column[: self._base] = base
        for row, link in edits.items():
            column[row] = value(link)
        out: np.ndarray = column[self.rows]
        return out

    # ----- the columns -------------------------------------------------------------------------

    def ends(self, which: str) -> np.ndarray:
        links = self._order.opened.links
        base = links.source_index if which == "source" else links.target_index
        return self._laid(base, lambda lk: self._code(getattr(lk, which)), np.int64, -1)

    def kind_codes(self) -> np.ndarray:
        return self._laid(self._order.opened.links.kind_codes, lambda lk: KIND_VALUES.index(lk.kind.value),
                          np.int64, 0)

    def volumes(self) -> np.ndarray | None:
        got = self._order._base_values("volume")
        if got is None:
            return None
        return self._laid(got["volume"], lambda lk: np.nan if lk.volume is None else lk.volume,
                          np.float64, np.nan)

    def texts(self, column: str) -> tuple[list[str | None], np.ndarray] | None:
        """(distinct values, each model row's position among them) of a text column."""
        got = self._order._base_values(column)
        if got is None:
            return None
        coded: Coded = got[column]
        values = list(coded.values)
        if not self._edits.links:
            return values, coded.codes if self._edits.rows is None else coded.codes[self.rows]
        at = {v: k for k, v in enumerate(values)}

        def code(link: Link) -> int:
            value = getattr(link, column)
            if value not in at:
                at[value] = len(values)
                values.append(value)
            return at[value]

        return values, self._laid(coded.codes, code, np.int64, 0)

    def names(self) -> Sequence[str]:
        """Every member's name by code (the open's, those renamed since replaced, then those
        added since)."""
        names = self._order.opened.members.names
        if not self._edits.names:
            return names
        out = _listed(names)
        out.extend([""] * len(self._new_codes))
        for member_id, name in self._edits.names.items():
            out[self._code(member_id)] = name
        return out

    def _folded(self) -> np.ndarray:
        """The members' names casefolded by code: the open's once, then the edits' laid over a
        copy (a fixed-width array too narrow for them, or a NUL in one: made anew)."""
        opened = self._order.opened
        base: np.ndarray = self._order._cached("folded names", lambda: _folded(opened.members.names))
        if not self._edits.names:
            return base

        def laid(_names: Sequence[str]) -> np.ndarray:
            edits = {self._code(i): name.casefold() for i, name in self._edits.names.items()}
            if base.dtype.kind == "U" and any(len(f) > base.dtype.itemsize // 4 or "\x00" in f
                                              for f in edits.values()):
                return _folded(self.names())
            out = np.concatenate([base, np.full(len(self._new_codes), "", dtype=base.dtype)])
            out[list(edits)] = list(edits.values())
            return out

        out: np.ndarray = self._names_cached("folded names", laid)
        return out

    def _names_cached(self, what: str, make: Callable[[Sequence[str]], Any]) -> Any:
        return self._order._cached(f"{what} {self._edits.version if self._edits.names else 0}",
                                   lambda: make(self.names()))

    # ----- sort keys ---------------------------------------------------------------------------

    def keys(self, column: str) -> np.ndarray | None:
        """One key a model row whose stable order is the record path's (``LinksModel._sort_key``)."""
        if column in ("source", "target"):
            ranks = self._names_cached("name ranks",
                                       lambda names: text_ranks([n or "" for n in _listed(names)]))
            out: np.ndarray = ranks[self.ends(column)]
            return out
        if column == "kind":
            labels = [self._order._labels[LinkKind(v)] for v in KIND_VALUES]
            kinds: np.ndarray = text_ranks(labels)[self.kind_codes()]
            return kinds
        if column == "volume":
            got = self.volumes()
            return None if got is None else np.where(np.isnan(got), -1.0, got)
        coded = self.texts(column)
        if coded is None:
            return None
        values, codes = coded
        texts: np.ndarray = text_ranks(["" if v is None else str(v) for v in values])[codes]
        return texts

    # ----- filters -----------------------------------------------------------------------------

    def active_on(self, day: str) -> np.ndarray | None:
        """``Link.active_on(day)`` of every row: started on or before it, not ended by it."""
        start, end = self.texts("start"), self.texts("end")
        if start is None or end is None:
            return None
        started = np.array([v is None or v <= day for v in start[0]], dtype=bool)
        running = np.array([v is None or v > day for v in end[0]], dtype=bool)
        out: np.ndarray = started[start[1]] & running[end[1]]
        return out

    def holding(self, text: str) -> np.ndarray | None:
        """The rows whose "<name 1> <name 2> <contract> <notes>", casefolded, holds ``text``
        (``LinksProxy.accepts``). A piece of ``text`` with no space can only lie inside one of
        the four (they are joined by spaces): that is tested per member name and per distinct
        contract and note; a ``text`` with spaces may run across them, so the rows holding each
        of its words are tested whole."""
        contract, notes = self.texts("contract"), self.texts("notes")
        if contract is None or notes is None:
            return None
        names = self._folded()
        source, target = self.ends("source"), self.ends("target")
        folded = [[(v or "").casefold() for v in c[0]] for c in (contract, notes)]

        def holding(part: str) -> np.ndarray:
            named = np.strings.find(names, part) >= 0
            out: np.ndarray = named[source] | named[target]
            for (_values, codes), texts in zip((contract, notes), folded, strict=True):
                there = np.array([part in t for t in texts], dtype=bool)
                if there.any():
                    out |= there[codes]
            return out

        found = holding(text)
        if " " not in text:
            return found
        maybe = ~found
        for word in {w for w in text.split(" ") if w}:
            maybe &= holding(word)
        for row in np.flatnonzero(maybe).tolist():  # (the few holding every word apart)
            whole = (f"{names[source[row]]} {names[target[row]]} "
                     f"{folded[0][contract[1][row]]} {folded[1][notes[1][row]]}")
            found[row] = text in whole
        return found


def _folded(names: Sequence[str]) -> np.ndarray:
    """The names casefolded, as a numpy text array (fixed width when short and free of NULs,
    which a fixed-width array would drop at the end)."""
    listed = _listed(names)
    folded: list[str] = []
    for lo in range(0, len(listed), ARRAY_CHUNK):  # (a part at a time: the GIL is let go between)
        part = listed[lo:lo + ARRAY_CHUNK]
        # (one casefold of a part: ~2x faster than one a name)
        joined = "\x1f".join(n or "" for n in part).casefold().split("\x1f")
        folded += joined if len(joined) == len(part) else [(n or "").casefold() for n in part]
    if max(map(len, folded), default=0) <= KEY_CHARS and not any("\x00" in f for f in folded):
        return text_array(folded)
    return text_array(folded, StringDType())


def _listed(names: Sequence[str]) -> list[str]:
    tolist = getattr(names, "tolist", None)
    return list(tolist()) if tolist is not None else list(names)
