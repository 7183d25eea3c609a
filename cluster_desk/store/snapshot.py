"""A snapshot of a project's open columns, kept in the user's cache, so the next open reads arrays.

Reading 100,000 members and 300,000 links from the tables takes ~0.6 s of CPU (SQLite's scans,
splitting texts, looking up every link's ends); at a million members, seconds. The snapshot holds
the same columns (``core.tables.MemberColumns``/``LinkColumns``, the ends already as member
positions) as raw arrays in one file, read back with one ``read_bytes`` and ``numpy.frombuffer``.

It is a cache, never the truth: the project file is not touched (its format, transactions, change
log, integrity check and copies stay as they are). A snapshot is used only when its key matches
the file as it is now, read in the same read transaction as the rest of the open:

* SQLite's *file change counter* (header bytes 24-27): in rollback-journal mode (ours) every
  committed write by any program bumps it, so an edit by another window, the CLI or a plain
  ``sqlite3`` session makes the snapshot stale;
* the newest change-log ``seq``, both tables' row counts and largest rowids, and the file size
  (a different file restored under the same name);
* a CRC-32 of the payload (a damaged cache file falls back to the tables).

Anything wrong (missing, stale, damaged, unreadable, a value it cannot hold) means: read the
tables as before. Snapshots are written after such an open (``save``, off the GUI thread), and
again when a window closes a project it edited (``refresh``, on a thread the process finishes
before it ends: quitting the app is when most edits' snapshots are taken), each to a temp file
renamed into place (a write killed halfway leaves only the temp file, removed by the next write);
the cache keeps the few most recently used. Small projects (under ``MIN_ROWS`` members and
links) are not cached: their tables read in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.atomic import atomic_open
from cluster_desk.core.hex_ids import WIDTH, HexIds, packed
from cluster_desk.core.tables import (
    KIND_VALUES,
    MEMBER_KIND_VALUES,
    STATUS_VALUES,
    LinkColumns,
    MemberColumns,
    TextColumn,
)
from cluster_desk.core.text_blobs import separators

#: 2: the names' and link ids' separator positions are stored too (no scan of them on open).
#: 3: coordinates exact (store.column_read reads REALs, not their 15-digit text): the checks'
#: first read takes them from the open (store.assess_columns.arrays_after_open).
#: 4: link ids that are all 32 lowercase hex digits kept as 16 raw bytes each (head
#: ``"link_ids": "hex"``, no ends: core.hex_ids; a million members' 3,000,000 links: 48 MB,
#: not ~111 MB, on disk and in memory). Older snapshots read as stale (another magic).
MAGIC = b"CDESK-COLUMNS-4\n"
#: Below this many members + links a project opens fast from its tables: no snapshot.
MIN_ROWS = 20_000
#: How many snapshots the cache keeps (the most recently used; a 1M project's is ~250 MB).
KEEP = 4
_SEP = "\x1f"
_MEMBER_KINDS = MEMBER_KIND_VALUES  # (the codes' order: MemberColumns.kind_codes)
_STATUSES = STATUS_VALUES
# The arrays of a snapshot, in file order: (name, dtype).
_ARRAYS = (("member_ids", "u1"), ("names", "u1"), ("kinds", "u1"), ("statuses", "u1"),
           ("lat", "<f8"), ("lon", "<f8"), ("link_ids", "u1"), ("sources", "<i4"),
           ("targets", "<i4"), ("link_kinds", "u1"), ("name_ends", "<i4"), ("link_id_ends", "<i4"))
_TEXTS = frozenset({"member_ids", "names", "link_ids"})


def cache_dir() -> Path:
    """``$CLUSTER_DESK_CACHE`` (tests point it at a temp folder), else the user's cache."""
    env = os.environ.get("CLUSTER_DESK_CACHE")
    if env:
        return Path(env) / "columns"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cluster-desk" / "columns"


def cache_file(project: Path) -> Path:
    name = hashlib.sha256(str(Path(project).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return cache_dir() / f"{name}.columns"


#: The parts of a file key that are row counts (each a scan of its table).
COUNTS = ("members", "links")


def file_key(conn: sqlite3.Connection, path: Path, counts: bool = True) -> dict[str, Any]:
    """What the file is now (call inside the read transaction the columns are read in).
    ``counts`` False: without the tables' row counts (``without_counts``), the rest of it
    being lookups, not scans."""
    with open(path, "rb") as f:
        header = f.read(100)
    counted = ("(SELECT count(*) FROM members)", "(SELECT count(*) FROM links)") if counts else ("0", "0")
    row = conn.execute(
        f"SELECT (SELECT coalesce(max(seq), 0) FROM changes), {counted[0]}, "
        f"(SELECT coalesce(max(rowid), 0) FROM members), {counted[1]}, "
        "(SELECT coalesce(max(rowid), 0) FROM links)").fetchone()
    key = {"path": str(Path(path).resolve()), "counter": int.from_bytes(header[24:28], "big"),
           "size": os.path.getsize(path), "seq": row[0], "member_rowid": row[2], "link_rowid": row[4]}
    return with_counts(key, row[1], row[3]) if counts else key


def without_counts(key: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in key.items() if k not in COUNTS}


def with_counts(key: dict[str, Any], members: int, links: int) -> dict[str, Any]:
    """``file_key``'s key given a key without counts and the tables' row counts, both read in
    one read transaction (a reader that scanned both tables in it has them already). The one
    place the whole key's fields and their order are made (``file_key`` ends here too)."""
    return {"path": key["path"], "counter": key["counter"], "size": key["size"], "seq": key["seq"],
            "members": members, "member_rowid": key["member_rowid"], "links": links,
            "link_rowid": key["link_rowid"]}


def worth_keeping(key: dict[str, Any]) -> bool:
    return int(key["members"]) + int(key["links"]) >= MIN_ROWS


@dataclass(frozen=True)
class OpenColumns:
    """A project's columns as an open read them, the file's key then, and whether they came
    from a snapshot (else a caller may ``save`` one for the next open)."""

    members: MemberColumns
    links: LinkColumns
    key: dict[str, Any]
    from_snapshot: bool

    def save_snapshot(self, project: Path) -> bool:
        """Write the snapshot if this open read the tables and the project is big enough."""
        return not self.from_snapshot and save(project, self.key, self.members, self.links)


def load(project: Path, key: dict[str, Any]) -> tuple[MemberColumns, LinkColumns] | None:
    """The columns the snapshot holds if it was taken of the file as ``key`` says it is now;
    None when there is none, or it is stale or damaged."""
    target = cache_file(project)
    try:
        data = target.read_bytes()
        os.utime(target)  # recently used: kept by write_cached
    except OSError:
        return None
    try:
        return _decode(data, key)
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None  # damaged: the tables are read instead (and a new snapshot written)


def _decode(data: bytes, key: dict[str, Any]) -> tuple[MemberColumns, LinkColumns] | None:
    if not data.startswith(MAGIC):
        return None
    end = data.index(b"\n", len(MAGIC))
    head = json.loads(data[len(MAGIC):end])
    if head.get("key") != key:
        return None  # stale: taken of another state of the file (or another file)
    body = memoryview(data)[end + 1:]
    if zlib.crc32(body) != head["crc"]:
        return None
    parts: dict[str, Any] = {}
    at = 0
    for (name, dtype), size in zip(_ARRAYS, head["sizes"], strict=True):
        # Copies: a view would keep the whole file's bytes alive (a million members: ~250 MB).
        chunk = body[at:at + size]
        parts[name] = chunk if name in _TEXTS else np.frombuffer(chunk, dtype=dtype).copy()
        at += size
    if at != len(body):
        return None
    n, k = int(key["members"]), int(key["links"])
    member_ids = _texts(parts["member_ids"], n)
    # No str per name or link until one is asked for (a million names: ~40 MB, not ~120 MB).
    names: Sequence[str] = _text_column(parts["names"], parts["name_ends"], n) if n else []
    if head.get("link_ids") == "hex":
        link_ids: TextColumn = _hex_column(parts["link_ids"], parts["link_id_ends"], k)
    else:
        link_ids = _text_column(parts["link_ids"], parts["link_id_ends"], k) if k else TextColumn(b"", 0)
    kinds, statuses = (_coded(parts[p], values, n) for p, values in
                       (("kinds", _MEMBER_KINDS), ("statuses", _STATUSES)))
    lat, lon = parts["lat"], parts["lon"]
    src, dst, link_kinds = parts["sources"], parts["targets"], parts["link_kinds"]
    if not (len(lat) == len(lon) == n and len(src) == len(dst) == len(link_kinds) == k):
        return None
    if k and (int(min(src.min(), dst.min())) < -1 or int(max(src.max(), dst.max())) >= n
              or int(link_kinds.max()) >= len(KIND_VALUES)):
        return None
    members = MemberColumns(member_ids, names, kinds, statuses, lat, lon, parts["kinds"],
                            parts["statuses"])  # (codes in MemberColumns' order)
    return members, LinkColumns(link_ids, member_ids, src, dst, link_kinds)


def _text_column(raw: memoryview, ends: np.ndarray, count: int) -> TextColumn:
    if len(ends) != count + 1:
        raise ValueError("snapshot: texts' ends do not fit their count")
    return TextColumn.with_ends(bytes(raw), ends)


def _hex_column(raw: memoryview, ends: np.ndarray, count: int) -> HexIds:
    if len(ends) or len(raw) != count * WIDTH or not count:
        raise ValueError("snapshot: hex link ids that do not fit their count")
    return HexIds(np.frombuffer(raw, dtype=np.uint8).reshape(count, WIDTH).copy())


def _ends(blob: bytes, count: int) -> np.ndarray:
    """Where each of ``count`` texts joined in ``blob`` ends (as TextColumn holds it)."""
    if not count:
        return np.zeros(0, dtype="<i4")
    seps = separators(blob)
    return np.concatenate(([-1], seps, [len(blob)])).astype("<i4")


def _texts(raw: memoryview, count: int) -> list[str]:
    if not count:
        return []
    values = str(raw, "utf-8").split(_SEP)
    if len(values) != count:
        raise ValueError("snapshot: texts do not split into their count")
    return values


def _coded(codes: np.ndarray, values: Sequence[str], count: int) -> list[str]:
    if len(codes) != count or (count and int(codes.max()) >= len(values)):
        raise ValueError("snapshot: a code out of range")
    out: list[str] = np.array(values, dtype=object)[codes].tolist()  # one shared str per value
    return out


def save(project: Path, key: dict[str, Any], members: MemberColumns, links: LinkColumns) -> bool:
    """Write the snapshot of these columns, read from the file as ``key`` says (pure Python and
    numpy, no connection: run it on any thread). False when there is nothing worth keeping or
    the columns cannot be held (a separator inside a value); OSError is the caller's to ignore."""
    if not worth_keeping(key) or len(members) != key["members"] or len(links) != key["links"]:
        return False
    hex_ids, link_text = _link_ids(links.ids)
    texts = [joined(members.ids), members.names.joined() if isinstance(members.names, TextColumn)
             else joined(list(members.names)), link_text]
    if any(t is None for t in texts[:2]) or (hex_ids is None and link_text is None) or max(
            len(t) for t in texts if t is not None) >= 2**31 - 1:
        return False  # (int32 ends: a column of texts over 2 GB is read from the tables)
    member_kinds = members.codes("kinds", _MEMBER_KINDS)
    statuses = members.codes("statuses", _STATUSES)
    if (len(members) and max(int(member_kinds.max()), int(statuses.max())) == 255) or (
            len(links) and int(links.kind_codes.max()) >= len(KIND_VALUES)):
        return False
    arrays = [texts[0], texts[1], member_kinds, statuses,
              np.ascontiguousarray(members.lat, dtype="<f8"), np.ascontiguousarray(members.lon, dtype="<f8"),
              link_text if hex_ids is None else hex_ids.ravel(),
              np.ascontiguousarray(links.source_index, dtype="<i4"),
              np.ascontiguousarray(links.target_index, dtype="<i4"),
              np.ascontiguousarray(links.kind_codes, dtype=np.uint8),
              _ends(cast(bytes, texts[1]), len(members)),
              _ends(cast(bytes, link_text), len(links)) if hex_ids is None else np.zeros(0, dtype="<i4")]
    blobs = [a if isinstance(a, bytes) else cast(np.ndarray, a).data.cast("B") for a in arrays]
    head = {"key": key, "sizes": [len(b) for b in blobs], "link_ids": "text" if hex_ids is None else "hex"}
    write_cached(cache_file(project), MAGIC, head, blobs)
    return True


def _link_ids(ids: Sequence[str]) -> tuple[np.ndarray | None, bytes | None]:
    """The link ids as kept: (their 16-byte rows, None) when every one is 32 lowercase hex digits
    (a HexIds column as read: its own block, no text made), else (None, their text joined; None
    when it cannot be held so)."""
    if isinstance(ids, HexIds) and not ids.changed:
        return ids.raw, None
    text = ids.joined() if isinstance(ids, TextColumn) else joined(list(ids))
    column = packed(text, len(ids)) if text is not None else None
    return (None, text) if column is None else (column.raw, None)


def write_cached(target: Path, magic: bytes, head: dict[str, Any], blobs: Sequence[Any]) -> None:
    """One cache file (this snapshot, or store.arrays_cache's): ``magic``, ``head`` as one JSON
    line with the blobs' CRC-32 added, then the blobs; written to a temp file renamed into place,
    then the folder pruned to the KEEP most recently used files of its kind."""
    crc = 0
    for b in blobs:
        crc = zlib.crc32(b, crc)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(target, "wb") as f:
        f.write(magic + json.dumps({**head, "crc": crc}).encode() + b"\n")
        for b in blobs:
            f.write(b)
    try:
        kind = sorted(target.parent.glob(f"*{target.suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kind[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def cached_head(target: Path, magic: bytes) -> dict[str, Any] | None:
    """A cache file's head (its JSON line) alone; None when missing, unreadable or not ours."""
    try:
        with target.open("rb") as f:
            if f.read(len(magic)) != magic:
                return None
            head = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    return head if isinstance(head, dict) else None


def is_current(project: Path, key: dict[str, Any]) -> bool:
    """The snapshot on disk was taken of the file as ``key`` says (its head only is read)."""
    head = cached_head(cache_file(project), MAGIC)
    return head is not None and head.get("key") == key


def refresh(project: Path) -> bool:
    """Bring the snapshot (and the checks' arrays kept beside it, store.arrays_cache) up to date
    with the file after a window edited it (run on a thread once the window has closed the
    project): a read-only connection of its own, the columns read as an open reads them, written
    for the next open. False when nothing was written
    (up to date, too small, or the file cannot be read now: the next open reads the tables)."""
    from cluster_desk.store.column_read import open_columns
    from cluster_desk.store.edits import RecordEdits

    class Reader(RecordEdits):
        def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
            self.path = path
            self._conn = conn
            self._known_members, self._known_links = {}, {}

        def _c(self) -> sqlite3.Connection:
            return self._conn

    project = Path(project)
    try:
        conn = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")
        try:
            key = file_key(conn, project)
        finally:
            conn.execute("COMMIT")
        if not worth_keeping(key):
            return False
        wrote = False
        if not is_current(project, key):
            wrote = open_columns(Reader(project, conn)).save_snapshot(project)
        return _refresh_arrays(project, conn) or wrote
    except Exception:  # a cache: busy, damaged, gone or odd; the next open reads the tables
        return False
    finally:
        conn.close()


def _refresh_arrays(project: Path, conn: sqlite3.Connection) -> bool:
    """The checks' arrays kept for the next open's first assessment (store.arrays_cache), read
    again when they are not of the file as it is now."""
    from cluster_desk.store import arrays_cache
    from cluster_desk.store.assess_columns import arrays_of

    conn.execute("BEGIN")
    try:
        key = file_key(conn, project)
        if arrays_cache.is_current(project, key):
            return False
        arrays = arrays_of(conn, project)
    finally:
        conn.execute("COMMIT")
    return arrays_cache.save(project, key, arrays)


def joined(values: Sequence[str]) -> bytes | None:
    """Texts as one UTF-8 blob split by the separator; None when one cannot be held so."""
    text = _SEP.join(values)
    if text.count(_SEP) != max(len(values) - 1, 0):
        return None  # a value holds the separator: not kept (the tables are read every time)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None

