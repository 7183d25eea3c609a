"""The roster's columns as arrays, so filtering and sorting 100,000 rows is a few numpy calls.

The proxy (proxy.py) never calls Python once per row on a filter or sort change: it asks for
whole columns here. Each array is built once (lazily) from the model's own per-member values and
patched row by row after a single edit; a structural change (rows added or removed) drops them.

- sort keys (ranks.py): one float per row (NaN = blank, sorted last in both orders); text columns
  become their rank among the column's distinct casefolded texts (Python's str order). A column of few
  distinct texts keeps them (an edited row's rank is a bisection of them); a big column of many
  (names, INNs) keeps only its ranks (float32) and its rows in rank order: an edited row is
  placed by bisecting the other rows' own values, read from the model (no copy of the texts);
- the text filter's haystack: every row's searchable text, casefolded, joined into one string
  with row offsets, so a needle is found with one regex scan over the whole roster; no list of
  the rows' texts is kept beside it (a million rows: ~140 MB of str), an edited row's new text
  is kept aside and tested alone until many are (then the string is joined again); texts read
  from the file are casefolded a part at a time (folding.py: no GIL held for long, no buffer of
  the whole);
- kinds and statuses as small ints for the kind/status filters.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from cluster_desk.core.soon_thread import SoonThread
from cluster_desk.ui.roster.folding import PART_ROWS, let_others_run
from cluster_desk.ui.roster.ranks import FLOAT32_EXACT, Key, key_of

#: An edit of more rows than this drops a ranks-only key (ranked again when next asked) instead
#: of placing each row by bisection (a few ms each at a million rows).
PATCH_RANKS_AT_MOST = 64

_ROW_END = "\x00"  # between rows of the joined haystack: a needle never contains it
_CONTROL = re.compile(r"[\x00-\x1f]")


class RosterColumns:
    def __init__(self, rows: Callable[[], Sequence[Any]], sort_value: Callable[[Any, str], Any],
                 numeric: Callable[[str], bool], haystack: Callable[[Any], str],
                 codes: Callable[[Any], tuple[int, int]],
                 column_values: Callable[[str], list[Any] | np.ndarray | Key] | None = None,
                 codes_all: Callable[[], tuple[list[int], list[int]]] | None = None,
                 haystacks_all: Callable[[], list[str] | None] | None = None,
                 member_at: Callable[[int], Any] | None = None) -> None:
        """``rows()`` gives the members in source-row order; the callables say, for one member,
        its sort value in a column (None = blank), whether a column sorts as a number, its
        searchable text (already casefolded) and its (kind, status) codes. ``column_values``
        may give a whole column's sort values at once, faster (None: one member at a time), and
        ``codes_all`` every row's codes at once, ``haystacks_all`` every row's searchable text
        at once, not casefolded yet, in a list of its own (taken: emptied as it is folded; or
        None: one member at a time). ``member_at(row)`` gives one
        row's member (an edit of a ranks-only column reads a few other rows' values; None: from
        ``rows()``)."""
        self._members = rows
        self._member_at = member_at or (lambda row: self._members()[row])
        self._sort_value = sort_value
        self._column_values = column_values
        self._numeric = numeric
        self._haystack = haystack
        self._codes = codes
        self._codes_all = codes_all
        self._haystacks_all = haystacks_all
        self._keys: dict[str, np.ndarray] = {}
        self._uniq: dict[str, list[str]] = {}  # text columns of few values: the sorted distinct ones
        #: Ranks-only text columns: the rows in rank order, blanks last (see ``_place``).
        self._orders: dict[str, np.ndarray] = {}
        #: Those of them still as ranked: ties in row order, so exactly the key's stable argsort
        #: (an edit's ``_place`` puts its row first among its ties: then no longer).
        self._exact: set[str] = set()
        #: The text filter's haystack: (the rows' texts joined, each row's start), and the rows
        #: edited since, with their texts now (tested alone after the scan).
        self._joined: tuple[str, np.ndarray] | None = None
        self._hay_edits: dict[int, str] = {}
        self._kinds: np.ndarray | None = None
        self._statuses: np.ndarray | None = None
        #: Keys ranked ahead on a thread (``prewarm``): column -> (generation, uniq, key), taken
        #: by ``key`` when the generation is still the same: the rows' (bumped by a drop of all
        #: and by every patch) and the column's own (bumped by a drop of that column).
        self._generation = 0
        self._column_generation: dict[str, int] = {}
        self._warm: dict[str, tuple[tuple[int, int], Key]] = {}
        self._warming: dict[str, threading.Thread] = {}
        #: The text filter's haystack read ahead (``prewarm_haystacks``): (generation, joined).
        self._hay_warm: tuple[int, tuple[str, np.ndarray]] | None = None
        self._hay_warming: threading.Thread | None = None

    # ----- invalidation --------------------------------------------------------------------------

    def drop(self, column: str | None = None) -> None:
        """Forget one column's sort key, or everything (rows added, removed or reset)."""
        if column is not None:
            self._column_generation[column] = self._column_generation.get(column, 0) + 1
            self._keys.pop(column, None)
            self._uniq.pop(column, None)
            self._orders.pop(column, None)
            self._exact.discard(column)
            return
        self._generation += 1
        self._warm.clear()  # (a thread still running leaves a stale answer: not taken)
        self._keys.clear()
        self._uniq.clear()
        self._orders.clear()
        self._exact.clear()
        self._joined = self._kinds = self._statuses = None
        self._hay_edits = {}

    def drop_status(self) -> None:
        """The statuses shown changed (the as-of view): their sort key and filter codes go."""
        self.drop("status")
        self._kinds = self._statuses = None

    def patch(self, rows: Sequence[int], members: Sequence[Any]) -> None:
        """Rows edited in place (same row numbers; ``members`` are theirs, in the same order):
        update what is built, drop what cannot be."""
        self._generation += 1  # a key ranked ahead from the old values is stale
        for col, key in list(self._keys.items()):
            if col in self._orders:
                self._exact.discard(col)
                if len(rows) > PATCH_RANKS_AT_MOST or not self._place(col, key, rows, members):
                    self.drop(col)  # ranked again when next asked
                continue
            uniq = self._uniq.get(col)
            for r, m in zip(rows, members, strict=True):
                value = self._sort_value(m, col)
                if value is None:
                    key[r] = np.nan
                elif uniq is None:
                    key[r] = float(value)
                else:
                    at = bisect.bisect_left(uniq, value)
                    if at < len(uniq) and uniq[at] == value:
                        key[r] = at
                    else:  # a text not seen before: rank again when next asked
                        self.drop(col)
                        break
        if self._joined is not None:
            for r, m in zip(rows, members, strict=True):
                self._hay_edits[r] = self._haystack(m)
            if len(self._hay_edits) > HAY_EDITS_AT_MOST:
                self._joined = _edited_rows(self._joined, self._hay_edits)
                self._hay_edits = {}
        if self._kinds is not None and self._statuses is not None:
            for r, m in zip(rows, members, strict=True):
                self._kinds[r], self._statuses[r] = self._codes(m)

    # ----- columns -------------------------------------------------------------------------------

    def key(self, column: str) -> np.ndarray:
        """One float per source row to sort by (NaN = blank)."""
        key = self._keys.get(column)
        if key is None:
            key = self._take_warm(column)
        if key is None:
            values = (self._column_values(column) if self._column_values is not None
                      else [self._sort_value(m, column) for m in self._members()])
            # (a tuple: the column gave its key ready, as key_of would make it: Region's codes)
            built = values if isinstance(values, tuple) else key_of(values, self._numeric(column))
            key = self._keep(column, built)
        return key

    def _keep(self, column: str, built: Key) -> np.ndarray:
        uniq, key, order = built
        if uniq is not None:
            self._uniq[column] = uniq
        if order is not None:
            self._orders[column] = order
            self._exact.add(column)
        self._keys[column] = key
        return key

    def sorted_rows(self, column: str) -> np.ndarray | None:
        """The rows in ``column``'s ascending order, exactly ``np.argsort(key, kind="stable")``
        (ties in row order, blanks last), when the column keeps them so: a ranks-only column
        not edited since it was ranked (the proxy then sorts by no argsort of its own: ~0.12 s
        of a million rows' first sort, and of every later click; issue 17). None: sort the key."""
        return self._orders.get(column) if column in self._exact else None

    def _place(self, column: str, key: np.ndarray, rows: Sequence[int], members: Sequence[Any]) -> bool:
        """Edited rows of a ranks-only column: each is taken out of the rank order, its new value
        found among the other rows' by bisection (their values read from the model: ~20 reads),
        and given that value's rank, or a free rank between its neighbours' (the ranks above
        move up one when there is none). False: its ranks cannot stay exact (rank again)."""
        order = self._orders[column]
        value_of = self._sort_value
        member_at = self._member_at

        def by_rank(row: Any) -> tuple[bool, Any]:  # blanks last
            value = value_of(member_at(int(row)), column)
            return value is None, value

        edited = dict(zip(rows, members, strict=True))  # (a row twice: its last member)
        # All out first: a row not placed yet must not sit at its old value's place in the
        # order while the others are bisected by their values now.
        order = order[~np.isin(order, np.fromiter(edited, dtype=np.int64, count=len(edited)))]
        for r, m in edited.items():
            value = value_of(m, column)
            if value is None:
                key[r] = np.nan
                order = np.append(order, np.array([r], dtype=order.dtype))
                continue
            at = bisect.bisect_left(order, (False, value), key=by_rank)  # type: ignore[call-overload]
            above = float(key[order[at]]) if at < len(order) else np.nan
            if not np.isnan(above) and value_of(member_at(int(order[at])), column) == value:
                key[r] = above  # a value other rows have: theirs
            else:  # a value of its own: a rank strictly between its neighbours'
                below = float(key[order[at - 1]]) if at else -1.0
                above = np.inf if np.isnan(above) else above
                if not below < key[r] < above:  # (its old rank, when still free there)
                    if above - below < 2:  # the ranks above move up one (NaN: not moved), in a
                        # new array: the proxy, sorted by it, sorts again (rows tied may part)
                        key = self._keys[column] = np.where(key >= above, key + 1, key)
                    key[r] = below + 1
                if key[r] >= FLOAT32_EXACT - 1:
                    return False
            order = np.insert(order, at, r)
        self._orders[column] = order
        return True

    def has_key(self, column: str) -> bool:
        """Whether ``column``'s sort key is built (not ranked ahead: built)."""
        return column in self._keys

    def wants(self, column: str) -> bool:
        """Whether ranking ``column`` ahead would help: no key built, none being ranked or
        ranked and still current."""
        if column in self._keys:
            return False
        thread = self._warming.get(column)
        if thread is not None and thread.is_alive():
            return False
        warm = self._warm.get(column)
        return warm is None or warm[0] != self._generation_of(column)

    def prewarm(self, column: str, values: Callable[[], list[Any] | Key | None]) -> None:
        """Rank a text column ahead on a thread (a big roster's names after the open, a column
        whose header the pointer rests on), so the first click on it finds the key built.
        ``values()`` runs on that thread: it must read only what the GUI thread does not change
        (a list of str taken beforehand, or the file on a connection of its own); None: nothing
        to rank (the click then ranks as usual); a tuple: the key ranked already."""
        generation = self._generation_of(column)

        numeric = self._numeric(column)

        def work() -> None:
            got = values()
            if got is not None:
                ranked = got if isinstance(got, tuple) else key_of(got, numeric)  # (a tuple: ranked)
                if self._generation_of(column) == generation:  # (a stale thread: the newer one's)
                    self._warm[column] = (generation, ranked)

        thread = SoonThread(target=work, daemon=True, name=f"roster-{column}-key")
        self._warming[column] = thread
        thread.start()

    def prewarm_columns(self, columns: Sequence[str],
                        values: Callable[[], dict[str, list[Any] | np.ndarray | None] | None]) -> None:
        """As ``prewarm`` for several columns from one call on one thread (an opened project's
        stored columns, read from the file in one pass): ``values()`` gives each column's values
        (a column missing or None: not ranked ahead)."""
        generations = {column: self._generation_of(column) for column in columns}
        numeric = {column: self._numeric(column) for column in columns}

        def work() -> None:
            got = values()
            for column in columns if got is not None else ():
                column_values = got.get(column) if got is not None else None
                if column_values is None:
                    continue
                ranked = key_of(column_values, numeric[column])
                if self._generation_of(column) == generations[column]:
                    self._warm[column] = (generations[column], ranked)
                let_others_run()

        thread = SoonThread(target=work, daemon=True, name="roster-stored-keys")
        for column in columns:
            self._warming[column] = thread
        thread.start()

    def _take_warm(self, column: str) -> np.ndarray | None:
        thread = self._warming.pop(column, None)
        if thread is not None and thread.is_alive():
            thread.join()  # a click right after the open: wait for it, do not rank twice
        warm = self._warm.pop(column, None)
        if warm is None or warm[0] != self._generation_of(column):
            return None
        return self._keep(column, warm[1])

    def _generation_of(self, column: str) -> tuple[int, int]:
        return self._generation, self._column_generation.get(column, 0)

    def codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(kind codes, status codes), one small int per source row."""
        if (self._kinds is None or self._statuses is None) and self._codes_all is not None:
            kinds, statuses = self._codes_all()
            self._kinds = np.array(kinds, dtype=np.int16)
            self._statuses = np.array(statuses, dtype=np.int16)
        if self._kinds is None or self._statuses is None:
            members = self._members()
            codes = self._codes
            self._kinds = np.fromiter((codes(m)[0] for m in members), dtype=np.int16, count=len(members))
            self._statuses = np.fromiter((codes(m)[1] for m in members), dtype=np.int16,
                                         count=len(members))
        return self._kinds, self._statuses

    def wants_haystacks(self) -> bool:
        """Whether reading the haystack ahead would help: none built, none being read."""
        return self._joined is None and self._hay_warming is None

    def prewarm_haystacks(self, read: Callable[[], list[str] | None]) -> None:
        """Build the text filter's haystack ahead on a thread (from the filter's first keystroke:
        the file read then overlaps the pause the filter waits for). ``read()`` runs on that
        thread and gives every row's searchable text, not casefolded, in a list of its own (None:
        not there)."""
        if not self.wants_haystacks():
            return
        generation = self._generation

        def work() -> None:
            hay = read()
            if hay is not None:
                self._hay_warm = (generation, _joined_rows(hay, casefold=True))

        self._hay_warm = None
        self._hay_warming = SoonThread(target=work, daemon=True, name="roster-haystack")
        self._hay_warming.start()

    def _take_warm_haystacks(self) -> None:
        thread, self._hay_warming = self._hay_warming, None
        if thread is None:
            return
        thread.join()  # typing paused before the read was done: wait for it, do not read twice
        warm, self._hay_warm = self._hay_warm, None
        if warm is not None and warm[0] == self._generation:  # no row changed meanwhile
            _, self._joined = warm
            self._hay_edits = {}

    def _haystacks(self) -> tuple[str, np.ndarray]:
        if self._joined is None:
            self._take_warm_haystacks()
        if self._joined is None and self._haystacks_all is not None:
            texts = self._haystacks_all()
            if texts is not None:
                self._joined = _joined_rows(texts, casefold=True)
        if self._joined is None:
            self._joined = _joined_rows([self._haystack(m) for m in self._members()])
        return self._joined

    def text_mask(self, needle: str) -> np.ndarray:
        """Rows whose searchable text contains ``needle`` (already casefolded): one scan."""
        joined, starts = self._haystacks()
        mask = np.zeros(len(starts), dtype=bool)
        needle = clean_needle(needle)
        if not needle:
            mask[:] = True
            return mask
        found = np.fromiter((m.start() for m in re.finditer(re.escape(needle), joined)),
                            dtype=np.int64)
        if len(found):
            mask[np.searchsorted(starts, found, side="right") - 1] = True
        for row, text in self._hay_edits.items():  # (their texts in the string are the old ones)
            mask[row] = needle in text
        return mask


#: Rows edited since the haystack was joined, kept aside up to this many (then joined again).
HAY_EDITS_AT_MOST = 2000


def _joined_rows(texts: list[str], casefold: bool = False) -> tuple[str, np.ndarray]:
    """The rows' texts joined into one string (a regex scans it once) and each row's start.
    ``casefold``: casefolded here, ``PART_ROWS`` rows per call over the part joined (casefolding
    maps each character alone: when a part's length is the same, every character became one and
    the rows' lengths are the texts'), the GIL let go between parts; ``texts`` is then taken: its
    items are dropped as their part is folded (a million rows' str, ~150 MB, go as the folded
    parts come: the peak is the parts and their join, not the texts, the join and a 12-bytes-a-
    character casefold buffer beside them, 574 MB; issue 17)."""
    n = len(texts)
    sizes = np.empty(n, dtype=np.int64)
    if casefold:
        parts: list[str] = []
        for lo in range(0, n, PART_ROWS):
            part = texts[lo:lo + PART_ROWS]
            texts[lo:lo + len(part)] = [""] * len(part)  # (the caller's read: no one else's)
            whole = _ROW_END.join(part)
            folded = whole.casefold()
            if len(folded) != len(whole):  # (ß -> ss...): each row's text casefolded alone
                part = [t.casefold() for t in part]
                folded = _ROW_END.join(part)
            sizes[lo:lo + len(part)] = np.fromiter(map(len, part), dtype=np.int64, count=len(part))
            parts.append(folded)
            del part, whole, folded
            let_others_run()
        joined = _ROW_END.join(parts)
        del parts
    else:
        joined = _ROW_END.join(texts)
        sizes[:] = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n, dtype=np.int64 if len(joined) >= 2**31 else np.int32)
    if n > 1:
        np.cumsum(sizes[:-1] + 1, out=starts[1:])
    return joined, starts


def _edited_rows(joined: tuple[str, np.ndarray], edits: dict[int, str]) -> tuple[str, np.ndarray]:
    """The haystack joined again with the edited rows' texts (``edits``: row -> text now)."""
    text, starts = joined
    if not len(starts):
        return joined
    ends = np.append(starts[1:] - 1, len(text)).tolist()
    rows = [text[a:b] for a, b in zip(starts.tolist(), ends, strict=True)]
    for row, new in edits.items():
        rows[row] = new
    return _joined_rows(rows)


def clean_needle(text: str) -> str:
    """What the text filter looks for: casefolded, without control characters (they separate
    rows and fields in the haystack)."""
    return _CONTROL.sub("", text.strip().casefold())
