"""A links import streamed into the store a batch at a time (issues 12 and 17).

The rules are those of ``io.links.import_link_rows`` (a row with the id of a link, or the same
ends, kind and start, updates it; a key repeated in the file is warned about and updates the
earlier row's link; importing the same file twice changes nothing). What is remembered between
batches is small: 64-bit hashes of each link's key and id with its rowid, in sorted numpy runs
(``HashRuns``, 40 bytes a link), and the file row of each key. Every hash hit is checked against
the row itself, so a collision never merges two links (a link whose ends a row changed by its id
still answers to its old key, as the planner's dictionaries have it). The links are written as they come
(``Project.link_import``): the file is never held in memory. Updates of links stored before the
import are held until the end (to log one change per link): memory grows only with those.

A batch is taken whole when it can be: every row a new link (written at once), or every row naming
by its id a stored link it leaves exactly as it is (the same file again: the batch's stored rows
are read in one query and compared, nothing is written). Any other batch goes row by row, with
the stored rows its hits point at read in one query first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter, lt
from typing import Any, NamedTuple

import numpy as np

from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind, new_id
from cluster_desk.io.errors import ImportProblem

__all__ = [
    "HashRuns",
    "PlainBatch",
    "Row",
    "key_hashes_of_columns",
    "key_of",
    "keys_of",
    "link_of",
    "stream_link_batches",
]

#: A link as the store takes it: (id, source, target, kind value, start, share, notes, end,
#: volume, contract).
Row = tuple[Any, ...]
#: (file row, the row's link or None, whether the file gave its id, problems)
Parsed = tuple[int, Row | None, bool, list[tuple[str, str, str, str, dict[str, Any]]]]


class PlainBatch(NamedTuple):
    """A batch of rows with no problem: the rows' numbers, their links as the store's ten columns
    (``columns[i][k]`` is ``Row[i]`` of link k) and whether each row gives the link's id. The
    common new link goes from the reader to the store as columns: no tuple per row is built."""

    numbers: Sequence[int]
    columns: tuple[Sequence[Any], ...]
    given: list[bool]

    @property
    def rows(self) -> list[Row]:
        return list(zip(*self.columns, strict=True))

    def parsed(self) -> list[Parsed]:
        return [(n, r, g, []) for n, r, g in zip(self.numbers, self.rows, self.given, strict=True)]


_DIRECTED = frozenset(k.value for k in DIRECTED_KINDS)
_KINDS = {k.value: k for k in LinkKind}
#: ``LinkImportReport.changed_ids`` lists at most this many ids of a streamed import.
CHANGED_IDS_LIMIT = 10_000
_FIRST, _SECOND, _KEY_OF_STORED = itemgetter(0), itemgetter(1), itemgetter(slice(2, 6))


def key_of(row: Row) -> tuple[str, str, str, str]:
    """Same ends, kind and start: the same tie (undirected kinds ignore the order of the ends)."""
    a, b, kind, start = row[1], row[2], row[3], row[4] or ""
    if kind not in _DIRECTED and b < a:
        a, b = b, a
    return (a, b, kind, start)


def keys_of(rows: Sequence[Row]) -> list[tuple[str, str, str, str]]:
    """``key_of`` of each row (inline: no call per row)."""
    directed = _DIRECTED
    return [(b, a, k, s or "") if b < a and k not in directed else (a, b, k, s or "")
            for _, a, b, k, s, *_ in rows]


def key_hashes_of_columns(columns: Sequence[Sequence[Any]]) -> np.ndarray:
    """The hash of each link's ``key_of`` (as ``_hashes(keys_of(rows))`` gives it), the links given
    as columns: the ends put in order by numpy, the keys hashed as ``zip`` makes them (it reuses
    its tuple when the hash is all that keeps it: no key tuple per link is built)."""
    sources, targets, kinds, starts = columns[1], columns[2], columns[3], columns[4]
    n = len(sources)
    swap = np.fromiter(map(lt, targets, sources), dtype=bool, count=n)
    if not _DIRECTED.isdisjoint(kinds):
        swap &= ~np.fromiter(map(_DIRECTED.__contains__, kinds), dtype=bool, count=n)
    a, b = np.array(sources, dtype=object), np.array(targets, dtype=object)
    if None in starts:
        starts = [s or "" for s in starts]
    keys = zip(np.where(swap, b, a).tolist(), np.where(swap, a, b).tolist(), kinds, starts, strict=True)
    return _hashes(keys, n)


def link_of(row: Row) -> Link:
    return Link(row[1], row[2], _KINDS[row[3]], row[0], row[4], row[5], row[6], row[7], row[8], row[9])


def _hashes(values: Iterable[Any], count: int) -> np.ndarray:
    return np.fromiter(map(hash, values), dtype=np.int64, count=count)


class HashRuns:
    """int64 -> int64 (or a row of int64s), appended a batch at a time, a later value replacing an
    earlier one: sorted runs merged like a binary counter (each value is merged O(log n) times)."""

    def __init__(self, width: int | None = None) -> None:
        self._shape: tuple[int, ...] = () if width is None else (width,)  # of a value
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # oldest first

    @staticmethod
    def _last_of_each(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(keys, kind="stable")  # equal keys keep their order: the last one wins
        keys, values = keys[order], values[order]
        last = np.ones(len(keys), dtype=bool)
        last[:-1] = keys[1:] != keys[:-1]
        return keys[last], values[last]

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        if not len(keys):
            return
        self._runs.append(self._last_of_each(keys, values))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            newer, older = self._runs.pop(), self._runs.pop()
            self._runs.append(self._last_of_each(np.concatenate([older[0], newer[0]]),
                                                 np.concatenate([older[1], newer[1]])))

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key (a row of values where they are rows), -1 where there is none."""
        out = np.full((len(keys), *self._shape), -1, dtype=np.int64)
        if not self._runs or not len(keys):
            return out
        order = np.argsort(keys)  # sorted needles: each search starts where the last one ended
        needles = keys[order]
        todo = np.ones(len(keys), dtype=bool)
        for run_keys, run_values in reversed(self._runs):  # newest first
            pos = np.minimum(np.searchsorted(run_keys, needles), len(run_keys) - 1)
            hit = todo & (run_keys[pos] == needles)
            out[order[hit]] = run_values[pos[hit]]
            todo &= ~hit
        return out


class _Stream:
    """The state of one streamed import between batches."""

    def __init__(self, writer: Any, report: Any, file_name: str, unit: str, sample_size: int,
                 names: Any) -> None:
        self.w, self.report, self.file_name, self.unit = writer, report, file_name, unit
        self.sample_size, self.names = sample_size, names
        # key hash -> (rowid of its link, file row that last named it or -1); id hash -> rowid
        self.by_key, self.by_id = HashRuns(2), HashRuns()
        self.updates: dict[str, Row] = {}  # stored links' new records, written at the end
        self.stored_rows: dict[str, Row] = {}  # ... and as they were
        self.rekeyed: set[str] = set()  # links a row (by id) gave other ends, kind or start
        self._fetched: dict[int, Row | None] = {}  # this batch's stored rows by rowid (read at once)
        for chunk in writer.stored_keys():
            rowids = np.fromiter(map(_FIRST, chunk), dtype=np.int64, count=len(chunk))
            self.by_id.add(_hashes(map(_SECOND, chunk), len(chunk)), rowids)
            keys = map(_KEY_OF_STORED, chunk)  # (the store gives the key as key_of has it)
            self.by_key.add(_hashes(keys, len(chunk)), np.column_stack([rowids, np.full(len(chunk), -1)]))

    # --- what a hash hit is

    def _current(self, rowid: int) -> Row | None:
        """The link at ``rowid`` as this import has it now (id first)."""
        rowid = int(rowid)
        if rowid in self._fetched:
            row = self._fetched[rowid]
        else:
            got = self.w.by_rowid(rowid)
            row = None if got is None else got[1:]
        if row is None:
            return None
        return self.updates.get(row[0], row)

    def _fetch(self, rowids: np.ndarray) -> None:
        """Read the stored rows a batch's hits point at in one query (the batch writes nothing to
        them before its end, so they stay as read)."""
        wanted = np.unique(rowids[rowids >= 0])
        self._fetched = {int(r): None for r in wanted.tolist()}
        self._fetched.update((int(r[0]), tuple(r[1:])) for r in self.w.by_rowids(wanted.tolist()))

    def _all_unchanged(self, rows: list[Row], given: list[bool], key_hashes: np.ndarray,
                       key_hits: np.ndarray, id_hits: np.ndarray) -> bool:
        """Whether every row of the batch names, by its id, a link stored before the import with
        the same ends, kind and start, and gives it exactly the values it has (the same file again)."""
        n = len(rows)
        if not all(given) or int(id_hits.min()) < 0 or int(id_hits.max()) > self.w.before:
            return False
        if not np.array_equal(key_hits[:, 0], id_hits) or int(key_hits[:, 1].max()) >= 0:
            return False  # another link's key, or a key this file named before (a repeat)
        if len(set(key_hashes.tolist())) != n or len(set(id_hits.tolist())) != n:
            return False
        if self.updates and not self.updates.keys().isdisjoint(r[0] for r in rows):
            return False
        first = int(id_hits[0])
        if int(id_hits[-1]) - first == n - 1 and (n == 1 or bool((np.diff(id_hits) == 1).all())):
            return bool(self.w.same_run(first, rows))  # (the same file again: one run of rowids)
        self._fetch(id_hits)
        return list(map(self._fetched.get, id_hits.tolist())) == rows

    def _id_hit(self, rowid: int, link_id: str) -> tuple[str, Any] | None:
        if rowid < 0:
            return None
        row = self._current(rowid)
        return ("r", int(rowid)) if row is not None and row[0] == link_id else None

    def _key_hit(self, rowid: int, key: tuple[str, str, str, str]) -> tuple[str, Any] | None:
        if rowid < 0:
            return None
        row = self._current(rowid)
        if row is None or (key_of(row) != key and row[0] not in self.rekeyed):
            return None  # a hash collision
        return ("r", int(rowid))  # (a link a row moved to other ends still answers to its old key)

    # --- a batch

    def batch(self, parsed: Sequence[Parsed] | PlainBatch) -> None:
        report = self.report
        columns: tuple[Sequence[Any], ...] | None = None
        rows: list[Row] = []
        if isinstance(parsed, PlainBatch):  # the common batch: no row with a problem, as columns
            numbers, columns, given = parsed
            n = len(given)
            report.rows_read += n
            parsed = ()
        else:
            numbers, given = [], []
            report.rows_read += len(parsed)
        for number, row, has_id, problems in parsed:
            if row is None:
                report.problems += [
                    ImportProblem(self.file_name, number, f, v, msg, self.unit, code=code, params=params)
                    for f, v, msg, code, params in problems
                ]
            else:
                numbers.append(number)
                rows.append(row)
                given.append(has_id)
        if columns is None:
            n = len(rows)
            if not n:
                return
            row_keys = keys_of(rows)
            keys: list[tuple[str, str, str, str]] | None = row_keys
            key_hashes, ids = _hashes(row_keys, n), list(map(_FIRST, rows))
        else:  # (the keys themselves only if a row must be looked at)
            keys, key_hashes, ids = None, key_hashes_of_columns(columns), list(columns[0])
        id_hashes = _hashes(ids, n)
        key_hits, id_hits = self.by_key.get(key_hashes), self.by_id.get(id_hashes)
        plain = (
            int(key_hits[:, 0].max()) < 0 and int(id_hits.max()) < 0
            and len(set(key_hashes.tolist())) == n and len(set(id_hashes.tolist())) == n
        )  # fmt: skip
        wanted = max(0, self.sample_size - len(report.sample))
        if plain:  # the common batch of a new file: every row a new link
            first = self.w.insert_columns(columns) if columns is not None else self.w.insert(rows)
            rowids = np.arange(first, first + n, dtype=np.int64)
            final = rows if columns is None else [tuple(c[k] for c in columns) for k in range(min(wanted, n))]
            report.added += n
            if len(report.changed_ids) < CHANGED_IDS_LIMIT:
                report.changed_ids += ids[: CHANGED_IDS_LIMIT - len(report.changed_ids)]
        else:
            if columns is not None:
                rows = list(zip(*columns, strict=True))
            if self._all_unchanged(rows, given, key_hashes, key_hits, id_hits):  # the same file again
                rowids, final = id_hits, rows
                report.unchanged += n
            else:
                keys = keys_of(rows) if keys is None else keys
                self._fetch(np.concatenate([key_hits[:, 0], id_hits]))
                final, rowids = self._careful(numbers, rows, given, keys, key_hashes, key_hits[:, 0], id_hits,
                                              key_hits[:, 1])
                id_hashes = _hashes(map(_FIRST, final), n)
        self._fetched = {}
        self.by_key.add(key_hashes, np.column_stack([rowids, np.asarray(numbers, dtype=np.int64)]))
        self.by_id.add(id_hashes, rowids)
        for row in final[:wanted]:
            report.sample.append(link_of(row))
            report.names.update((end, self.names(end)) for end in (row[1], row[2]))

    def _careful(self, numbers: Sequence[int], rows: list[Row], given: list[bool],
                 keys: list[tuple[str, str, str, str]], key_hashes: np.ndarray, key_hits: np.ndarray,
                 id_hits: np.ndarray, seen: np.ndarray) -> tuple[list[Row], np.ndarray]:
        """A batch with repeats or matches, row by row: (each row's link as written, its rowid)."""
        report, w = self.report, self.w
        pending: list[Row] = []  # new links of this batch
        earlier: dict[str, tuple[int, Row]] = {}  # links added by earlier batches, rewritten (rowid, row)
        by_id: dict[str, tuple[str, Any]] = {}  # ("p", index in pending) or ("r", rowid)
        by_key: dict[tuple[str, str, str, str], tuple[str, Any]] = {}
        seen_here: dict[int, int] = {}
        refs: list[tuple[str, Any]] = []
        final: list[Row] = []
        for i, row in enumerate(rows):
            number, key, h = numbers[i], keys[i], int(key_hashes[i])
            before = seen_here.get(h, int(seen[i]) if seen[i] >= 0 else None)
            if before is not None:
                report.warnings.append(ImportProblem(
                    self.file_name, number, "", "",
                    f"repeats {self.unit} {before} (same ends, kind and start): it updates it", self.unit,
                    code="repeated_link", params={"first": before, "unit": self.unit}))  # fmt: skip
            seen_here[h] = number
            ref = (by_id.get(row[0]) or self._id_hit(id_hits[i], row[0])) if given[i] else None
            ref = ref or by_key.get(key) or self._key_hit(key_hits[i], key)
            if ref is None:
                if row[0] in by_id or self._id_hit(id_hits[i], row[0]) is not None:
                    row = (new_id(), *row[1:])  # an id from another project that happens to exist here
                pending.append(row)
                ref = ("p", len(pending) - 1)
                report.added += 1
                new = row
            else:
                target = pending[ref[1]] if ref[0] == "p" else self._current(ref[1])
                assert target is not None
                target_id = target[0]
                new = (target_id, *row[1:])
                if key_of(target) != key:
                    self.rekeyed.add(target_id)
                if ref[0] == "p":
                    pending[ref[1]] = new
                elif ref[1] > w.before:
                    earlier[target_id] = (int(ref[1]), new)
                else:
                    old = self._current(ref[1])
                    if new != old or target_id in self.updates:
                        self.stored_rows.setdefault(target_id, old)
                        self.updates[target_id] = new
                    else:
                        report.unchanged += 1
            by_id[new[0]] = ref
            by_key[key] = ref
            refs.append(ref)
            final.append(new)
        first = w.insert(pending)
        if earlier:
            w.replace_added([k for k, _ in earlier.values()], [r for _, r in earlier.values()])
        rowids = np.fromiter((first + r[1] if r[0] == "p" else r[1] for r in refs), dtype=np.int64,
                             count=len(refs))
        final = [pending[r[1]] if r[0] == "p" else row for r, row in zip(refs, final, strict=True)]
        if len(report.changed_ids) < CHANGED_IDS_LIMIT:
            report.changed_ids += [r[0] for r in pending[: CHANGED_IDS_LIMIT - len(report.changed_ids)]]
        return final, rowids

    def finish(self) -> None:
        report = self.report
        changed = []
        for lid, row in self.updates.items():
            if row == self.stored_rows[lid]:
                report.unchanged += 1  # a later row changed it back to its stored value
            else:
                changed.append(row)
        report.updated = len(changed)
        if len(report.changed_ids) < CHANGED_IDS_LIMIT:
            report.changed_ids += [r[0] for r in changed[: CHANGED_IDS_LIMIT - len(report.changed_ids)]]
        if changed:
            self.w.update_stored(changed)


def stream_link_batches(writer: Any, batches: Iterable[Sequence[Parsed] | PlainBatch], report: Any,
                        file_name: str, *, unit: str, sample_size: int, names: Any,
                        tick: Callable[[], None] | None = None) -> None:
    """Write the parsed rows of ``batches`` with ``writer`` (a store ``LinkImportWriter``, inside
    ``Project.link_import()``: one transaction, or the caller's). ``tick`` is called between the
    steps after the last batch (the indexes, the log); what it raises rolls everything back."""
    writer.tick = tick
    stream = _Stream(writer, report, file_name, unit, sample_size, names)
    for parsed in batches:
        stream.batch(parsed)
    stream.finish()
