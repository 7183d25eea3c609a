"""Keys seen so far in an import (INNs, names, matched members): bounded memory for any file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from itertools import compress, count
from operator import ne
from pathlib import Path

__all__ = ["KeyIndex"]


class KeyIndex:
    """Keys seen so far -> first row number.

    A dict while it is small (a 100,000-row roster: ~30 MB, and no SQL round trip per key); past
    SPILL_KEYS the keys move to a temporary on-disk SQLite table, so a 1,000,000-row file still
    imports in bounded memory.
    """

    SPILL_KEYS = 300_000

    def __init__(self) -> None:
        self._seen: dict[int, dict[str, int]] | None = {}  # kind -> key -> first row
        self._count = 0
        self._db: sqlite3.Connection | None = None
        self._path: Path | None = None

    def first(self, kind: int, key: str, row: int) -> int | None:
        """Remember ``key``; return the row that had it first, or None if it is new."""
        seen = self._seen
        if seen is not None:
            found = (seen.get(kind) or seen.setdefault(kind, {})).setdefault(key, row)
            if found != row:
                return found
            self._count += 1
            if self._count > self.SPILL_KEYS:
                self._spill()
            return None
        assert self._db is not None
        try:
            self._db.execute("INSERT INTO k VALUES (?, ?, ?)", (kind, key, row))
            return None
        except sqlite3.IntegrityError:
            hit = self._db.execute("SELECT row FROM k WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            return int(hit[0])

    def repeats(self, kind: int, keys: Sequence[str], rows: Sequence[int]) -> list[tuple[int, int]]:
        """``first`` of each key in order (a batch of rows), as (index in ``keys``, the first row)
        for the keys seen before only: the same answers as one at a time."""
        seen = self._seen
        if seen is not None and self._count + len(keys) > self.SPILL_KEYS:
            self._spill()
            seen = None
        if seen is None:
            return self._repeats_on_disk(kind, keys, rows)
        known = seen.get(kind) or seen.setdefault(kind, {})
        size = len(known)
        firsts = list(map(known.setdefault, keys, rows))
        self._count += len(known) - size
        if len(known) - size == len(keys):
            return []  # every key new (the common batch)
        return [(k, firsts[k]) for k in compress(count(), map(ne, firsts, rows))]

    def _repeats_on_disk(self, kind: int, keys: Sequence[str], rows: Sequence[int]) -> list[tuple[int, int]]:
        """``repeats`` past the spill: one look-up of the batch's keys and one insert of its new ones
        (a million-row file: not a statement per key)."""
        assert self._db is not None
        db = self._db
        distinct = list(dict.fromkeys(keys))
        stored: dict[str, int] = {}
        for i in range(0, len(distinct), 500):
            part = distinct[i : i + 500]
            marks = ", ".join("?" * len(part))
            stored.update(db.execute(f"SELECT key, row FROM k WHERE kind = ? AND key IN ({marks})",
                                     (kind, *part)).fetchall())
        out: list[tuple[int, int]] = []
        fresh: dict[str, int] = {}
        for k, (key, row) in enumerate(zip(keys, rows, strict=True)):
            first = stored.get(key)
            if first is None:
                first = fresh.setdefault(key, row)
                if first == row:
                    continue
            out.append((k, first))
        db.executemany("INSERT INTO k VALUES (?, ?, ?)", ((kind, key, row) for key, row in fresh.items()))
        return out

    def _spill(self) -> None:
        fd, name = tempfile.mkstemp(prefix="cluster-desk-import-", suffix=".db")
        os.close(fd)
        self._path = Path(name)
        db = self._db = sqlite3.connect(name, isolation_level=None)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -8192")  # 8 MiB, whatever the file size
        db.execute(
            "CREATE TABLE k (kind INTEGER, key TEXT, row INTEGER, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        db.execute("BEGIN")
        assert self._seen is not None
        for kind, keys in self._seen.items():
            db.executemany("INSERT INTO k VALUES (?, ?, ?)", ((kind, k, r) for k, r in keys.items()))
        self._seen = None

    def close(self) -> None:
        self._seen = None
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.unlink()
