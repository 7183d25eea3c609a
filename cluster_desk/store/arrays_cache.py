"""The checks' arrays of a big project kept in the user's cache, so a warm open's first assessment
reads arrays instead of the tables (issue 17).

Reading 100,000 members and 300,000 links' check columns from SQLite costs ~0.6 s of CPU on an
idle machine (store.assess_columns), a million ~6 s. The worker that read them writes them here
once its first result is on its way (``save``); the next open of the same, unchanged file reads
them back with one ``numpy.fromfile`` per column (``load``). Like store.snapshot it is a cache,
never the truth: it is used only when its key (store.snapshot.file_key: SQLite's change counter,
the log's last seq, row counts, largest rowids, the file size) matches the file as read in the
same read transaction, and its CRC-32 matches; anything wrong means reading the tables.
"""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_COLUMNS, MEMBER_COLUMNS, LinkRows, MemberRows
from cluster_desk.core.hex_ids import HexIds
from cluster_desk.core.tables import SharedTexts, TextColumn
from cluster_desk.store import snapshot

MAGIC = b"CDESK-ARRAYS-4\n"  # 3: link ids of 32 hex digits kept as 16 bytes (core.hex_ids); 4: ONE
#: The part's kind prefix of a column held as one value throughout (context.UNIFORM: a read-only
#: view): that value alone is kept, not the column made whole (a million members and three
#: million links with no date, volume or output: ~70 MB made and written at each save, issue 17).
ONE = "one:"
_TEXTS = ("ids", "names", "link_ids")
#: The part's kind for HexIds' rows of 16 bytes.
HEX = "hex16"


def cache_file(project: Path) -> Path:
    return snapshot.cache_file(project).with_suffix(".arrays")


def _texts(values: Any) -> bytes | np.ndarray | None:
    if isinstance(values, HexIds) and not values.changed:
        return values.raw  # (three million link ids: 48 MB as they are, not 99 MB of text made)
    return values.joined() if isinstance(values, TextColumn) else snapshot.joined(values)


def save(project: Path, key: dict[str, Any], arrays: Arrays) -> bool:
    """Keep ``arrays`` (freshly read from the file as ``key`` says, not patched since) for the
    next open. False when the project is small or a text cannot be held; OSError is the
    caller's to ignore."""
    if not snapshot.worth_keeping(key) or not isinstance(arrays.members, MemberRows) or not isinstance(
            arrays.links, LinkRows) or arrays._dead or len(arrays.names) != key["members"]:
        return False
    texts = [_texts(arrays.ids.tolist()), _texts(arrays.names), _texts(arrays.links.ids)]
    if any(t is None for t in texts):
        return False
    columns: list[tuple[str, Any]] = [*zip(_TEXTS, texts, strict=True)]
    columns += [(c, _column(getattr(arrays, c))) for c in (*MEMBER_COLUMNS, *LINK_COLUMNS)]
    blobs = [value if isinstance(value, bytes) else value.data.cast("B") for _name, value in columns]
    # each part with its own CRC-32: a reader given the texts (an open's) skips theirs unread
    parts = [[name, _kind(value), len(blob), zlib.crc32(blob)]
             for (name, value), blob in zip(columns, blobs, strict=True)]
    head = {"key": key, "counts": [len(arrays.names), len(arrays.links)], "parts": parts,
            "circles": geography.known_circles()}  # the first assessment's: not computed again
    snapshot.write_cached(cache_file(project), MAGIC, head, blobs)
    return True


def _column(column: np.ndarray) -> np.ndarray:
    """The column as kept: its one value (a 0-d array) when it is held as one (UNIFORM)."""
    if column.ndim == 1 and column.size and column.strides[0] == 0:
        return np.array(column[0])
    return np.ascontiguousarray(column)


def _kind(value: bytes | np.ndarray) -> str:
    if isinstance(value, bytes):
        return "bytes"
    if value.ndim == 0:
        return ONE + value.dtype.str
    return HEX if value.ndim == 2 else value.dtype.str


def is_current(project: Path, key: dict[str, Any]) -> bool:
    """The arrays kept were read of the file as ``key`` says (their head only is read)."""
    head = snapshot.cached_head(cache_file(project), MAGIC)
    return head is not None and head.get("key") == key


def load(project: Path, key: dict[str, Any], texts: SharedTexts | None = None) -> Arrays | None:
    """The arrays kept for the file as ``key`` says it is now; None when none, stale or damaged.
    ``texts``: the member ids, names and link ids of an open of the same state of the file
    (issue 17): held instead of reading the kept ones (which are then not read at all)."""
    target = cache_file(project)
    try:
        with target.open("rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            head = json.loads(f.readline())
            if not isinstance(head, dict) or head.get("key") != key:
                return None
            n, k = (int(c) for c in head["counts"])
            if texts is not None and (len(texts.ids) != n or len(texts.link_ids) != k):
                texts = None
            got: dict[str, Any] = {}
            for name, dtype, size, crc in head["parts"]:
                if texts is not None and name in _TEXTS:
                    f.seek(size, io.SEEK_CUR)
                    continue
                if dtype in ("bytes", HEX):
                    value: Any = f.read(size)
                    if len(value) != size or zlib.crc32(value) != crc:
                        return None
                    if dtype == HEX:
                        value = HexIds(np.frombuffer(value, dtype=np.uint8).reshape(-1, 16))
                elif dtype.startswith(ONE):
                    one = np.fromfile(f, dtype=np.dtype(dtype[len(ONE):]), count=1)
                    if one.size != 1 or zlib.crc32(one.data.cast("B")) != crc:
                        return None
                    count = n if name in MEMBER_COLUMNS else k
                    value = np.broadcast_to(one.astype(one.dtype.newbyteorder("="), copy=False), (count,))
                else:
                    count = size // np.dtype(dtype).itemsize
                    value = np.fromfile(f, dtype=np.dtype(dtype), count=count)
                    if value.size != count or zlib.crc32(value.data.cast("B")) != crc:
                        return None
                    value = value.astype(np.dtype(dtype).newbyteorder("="), copy=False)
                got[name] = value
            if f.read(1):
                return None
        target.touch()  # recently used: kept by snapshot.write_cached
        geography.remember_circles(head.get("circles"))
        members = {c: got[c] for c in MEMBER_COLUMNS}
        links = {c: got[c] for c in LINK_COLUMNS}
        if texts is not None:
            return Arrays.of_columns([], [], members, [], links, shared=texts)
        ids = _split(got.pop("ids"), n)
        names: Any = TextColumn(got.pop("names"), n) if n else []  # (a str per name only when asked)
        blob = got.pop("link_ids")
        link_ids: Any = blob if isinstance(blob, HexIds) else TextColumn(blob, k) if k else []
        if len(link_ids) != k:
            raise ValueError("arrays cache: link ids do not match their count")
        return Arrays.of_columns(ids, names, members, link_ids, links)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


def _split(blob: bytes, count: int) -> list[str]:
    if not count:
        return []
    values = blob.decode("utf-8").split(chr(TextColumn.SEP))
    if len(values) != count:
        raise ValueError("arrays cache: texts do not split into their count")
    return values
