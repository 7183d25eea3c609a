"""The links table's filters and sort made from the open's columns, on a worker (issue 17).

While nothing has changed since an open, the table's rows are the open's links in file order.
Its first sort or text filter at 300,000 links waited 2.8-5 s for every Link and Member record
(built in slices between frames), then took one key or one test per row in Python. Here the ends
and kinds come from the open's columns, the rest as columns of the same file state
(store.link_values), and each distinct text is ranked once: a member's name (100,000 names, not
600,000 link ends), a date, a note. A link's sort key is its value's rank (a stable sort of the
ranks is the sort of the texts: text_order.text_ranks); the text filter tests each member's
casefolded name once in numpy. The rows and their order are the record path's (proxy.py:
``LinksProxy.accepts`` and ``LinksModel.sort_key``), compared on real files by the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.dtypes import StringDType

from cluster_desk.core.model import LinkKind
from cluster_desk.core.tables import KIND_VALUES, TextColumn
from cluster_desk.store.link_values import Coded, read_link_values
from cluster_desk.ui.links.text_order import KEY_CHARS, order_of, text_ranks


class OpenedOrder:
    """The arrangement (shown rows, in order) of an opened project's links, no record built.
    ``arrange`` runs on a worker; None from it: the file changed or holds what the columns
    cannot say (a link end that is no member), and the caller takes the record path."""

    def __init__(self, opened: Any, path: Path, labels: dict[LinkKind, str]) -> None:
        self.opened = opened  # ui.project.loading.OpenedColumns
        self._path = path
        self._labels = labels
        self._lock = threading.Lock()  # (two arrangements at once: each cache made once)
        self._cache: dict[str, Any] = {}
        self.failed = False

    def arrange(self, kind: LinkKind | None, text: str, day: str, column: str | None,
                descending: bool) -> np.ndarray | None:
        """The rows passing the filters (``text`` casefolded, ``day`` an ISO date or ignored), in
        ``column``'s order (None: table order)."""
        with self._lock:
            try:
                rows = self._arrange(kind, text, day, column, descending)
            except (ValueError, KeyError):  # (a value the columns do not hold as expected)
                rows = None
            if rows is None:
                self.failed = True
            return rows

    def prepare(self) -> None:
        """What every first sort or filter by a value waits for, made ahead (the table shown):
        one scan counting the values each column holds (store.link_values)."""
        with self._lock:
            if self.opened.key is not None and self._values() is None:
                self.failed = True

    def _arrange(self, kind: LinkKind | None, text: str, day: str, column: str | None,
                 descending: bool) -> np.ndarray | None:
        links = self.opened.links
        if self.opened.key is None or self._cached("sound", self._sound) is False:
            return None
        mask: np.ndarray | None = None
        if kind is not None:
            mask = links.kind_codes == KIND_VALUES.index(kind.value)
        if day:
            active = self._active_on(day)
            if active is None:
                return None
            mask = active if mask is None else mask & active
        if text:
            found = self._text_mask(text)
            if found is None:
                return None
            mask = found if mask is None else mask & found
        rows = np.arange(len(links), dtype=np.int64) if mask is None else np.flatnonzero(mask)
        if column is None:
            return rows
        keys = self._keys(column)
        if keys is None:
            return None
        return rows[order_of(keys[rows], descending)]

    def _cached(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def _sound(self) -> bool:
        """Every end is a member (else its name would be its id: the record path says that)."""
        links = self.opened.links
        return not (len(links) and (int(links.source_index.min()) < 0 or int(links.target_index.min()) < 0))

    def _values(self, *columns: str) -> dict[str, Any] | None:
        """The links' ``columns`` (store.link_values), each read once."""
        missing = tuple(c for c in columns if c not in self._cache)
        if missing or "held" not in self._cache:
            read = read_link_values(self._path, self.opened.key, len(self.opened.links), missing,
                                    self._cache.get("held"))
            if read is None:
                return None
            self._cache.update(read[0])
            self._cache["held"] = read[1]
        return {c: self._cache[c] for c in columns}

    # ----- sort keys ---------------------------------------------------------------------------

    def _keys(self, column: str) -> np.ndarray | None:
        """One key a link whose stable order is the record path's (``LinksModel._sort_key``)."""
        links = self.opened.links
        if column in ("source", "target"):
            ranks = self._cached("name ranks",
                                 lambda: text_ranks([n or "" for n in _listed(self.opened.members.names)]))
            ends = links.source_index if column == "source" else links.target_index
            return ranks[ends]
        if column == "kind":
            labels = [self._labels[LinkKind(v)] for v in KIND_VALUES]
            return text_ranks(labels)[links.kind_codes]
        values = self._values(column)
        if values is None:
            return None
        got = values[column]
        if column == "volume":
            return np.where(np.isnan(got), -1.0, got)
        coded: Coded = got
        return text_ranks(["" if v is None else str(v) for v in coded.values])[coded.codes]

    # ----- filters -----------------------------------------------------------------------------

    def _active_on(self, day: str) -> np.ndarray | None:
        """``Link.active_on(day)`` of every link: started on or before it, not ended by it."""
        values = self._values("start", "end")
        if values is None:
            return None
        start, end = values["start"], values["end"]
        started = np.array([v is None or v <= day for v in start.values], dtype=bool)
        running = np.array([v is None or v > day for v in end.values], dtype=bool)
        return started[start.codes] & running[end.codes]

    def _folded_names(self) -> np.ndarray:
        """The members' names casefolded, as a numpy text array (fixed width when short and
        free of NULs, which a fixed-width array would drop at the end)."""
        names = self.opened.members.names
        count = len(names)
        # (one casefold of them all: ~2x faster than one a name; a TextColumn is joined already)
        joined = (names.joined().decode() if isinstance(names, TextColumn)
                  else "\x1f".join(n or "" for n in names)).casefold()
        folded = joined.split("\x1f") if count else []
        if len(folded) != count:  # (a name holding the separator)
            folded = [(n or "").casefold() for n in names]
        if max(map(len, folded), default=0) <= KEY_CHARS and "\x00" not in joined:
            return np.array(folded, dtype=str)
        return np.array(folded, dtype=StringDType())

    def _text_mask(self, text: str) -> np.ndarray | None:
        """The links whose "<name 1> <name 2> <contract> <notes>", casefolded, holds ``text``
        (``LinksProxy.accepts``). A piece of ``text`` with no space can only lie inside one of
        the four (they are joined by spaces): that is tested per member name and per distinct
        contract and note; a ``text`` with spaces may run across them, so the links holding
        each of its words are tested whole."""
        values = self._values("contract", "notes")
        if values is None:
            return None
        names: np.ndarray = self._cached("folded names", self._folded_names)
        links = self.opened.links
        contract, notes = values["contract"], values["notes"]
        folded = {c: [(v or "").casefold() for v in values[c].values] for c in ("contract", "notes")}

        def holding(part: str) -> np.ndarray:
            named = np.strings.find(names, part) >= 0
            out: np.ndarray = named[links.source_index] | named[links.target_index]
            for coded, texts in ((contract, folded["contract"]), (notes, folded["notes"])):
                there = np.array([part in t for t in texts], dtype=bool)
                if there.any():
                    out |= there[coded.codes]
            return out

        found = holding(text)
        if " " not in text:
            return found
        maybe = ~found
        for word in {w for w in text.split(" ") if w}:
            maybe &= holding(word)
        for row in np.flatnonzero(maybe).tolist():  # (the few holding every word apart)
            whole = (f"{names[links.source_index[row]]} {names[links.target_index[row]]} "
                     f"{folded['contract'][contract.codes[row]]} {folded['notes'][notes.codes[row]]}")
            found[row] = text in whole
        return found


def _listed(names: Sequence[str]) -> list[str]:
    tolist = getattr(names, "tolist", None)
    return list(tolist()) if tolist is not None else list(names)
