"""Big map payloads as binary blobs the page fetches from our own scheme, not as JSON.

Opening 100,000 members and 300,000 links used to send 14 MB of JSON text and base64 through
QWebChannel, which wraps it in its own JSON, so the page parsed it twice and decoded base64 a
byte at a time. Now the command that carries members or links names a blob instead:
``{"op": "setMembers", "blob": {"token": ..., "parts": {"lat": [offset, count, "f64"], ...}}}``;
the page fetches ``cdesk://app/data/<token>`` (served by ``scheme.SchemeHandler`` from this
store, on the machine: no request leaves it) and reads each part as a typed array view of the
one ArrayBuffer, with no parsing. Text parts (ids, names) are UTF-8 joined by NUL, decoded at
once with a TextDecoder. A blob is served once, then forgotten.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from PySide6.QtCore import QByteArray

from cluster_desk.core.tables import TextColumn

#: Typed array kinds the page knows (map.js ``blobPart``), by numpy dtype (little-endian).
TYPES: dict[str, str] = {"<f8": "f64", "<f4": "f32", "<i4": "i32", "|u1": "u8", "<u2": "u16"}
#: A blob not fetched after this many newer ones is dropped (a page reloaded meanwhile).
KEEP = 8
SEPARATOR = "\x00"


class Text(NamedTuple):
    """A text part: the strings as UTF-8 joined by NUL, and how many there are."""

    data: bytes
    count: int


Part = np.ndarray | Text


def text_part(strings: Sequence[str]) -> Text | None:
    """The strings as UTF-8 joined by NUL, or None if that would not split back into exactly
    these (a NUL inside one, or a lone surrogate UTF-8 cannot carry): then send JSON instead.
    A TextColumn as read (a snapshot's names) is its own blob with NUL for its separator: no
    str made per value (a million names joined from strs held ~150 MB at the paint, issue 17)."""
    if isinstance(strings, TextColumn) and not strings.changed:
        blob = strings.joined()
        if b"\x00" in blob:  # a NUL inside a value: the blob would split into more
            return None
        return Text(blob.replace(bytes([TextColumn.SEP]), SEPARATOR.encode()), len(strings))
    text = SEPARATOR.join(strings)
    if text.count(SEPARATOR) != max(0, len(strings) - 1):
        return None
    try:
        return Text(text.encode("utf-8"), len(strings))
    except UnicodeEncodeError:
        return None


def code_part(values: Sequence[str]) -> tuple[list[str], np.ndarray] | None:
    """A column of few distinct texts (kinds, statuses) as a code table and uint8 codes, or
    None when there are more than 255 distinct values."""
    table = list(dict.fromkeys(values))
    if len(table) > 255:
        return None
    code = {v: i for i, v in enumerate(table)}
    return table, np.fromiter(map(code.__getitem__, values), dtype=np.uint8, count=len(values))


def _bytes_of(name: str, part: Part) -> tuple[bytes | memoryview, list[Any]]:
    """A part's bytes and its layout entry without the offset."""
    if isinstance(part, Text):
        return part.data, [len(part.data), "text", part.count]
    arr = np.ascontiguousarray(part)
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    kind = TYPES.get(arr.dtype.str)
    if kind is None:
        raise ValueError(f"blob part {name!r}: unsupported dtype {arr.dtype}")
    return memoryview(arr).cast("B"), [len(arr), kind]


def lay_out(parts: dict[str, Part], start: int = 0
            ) -> tuple[list[tuple[int, bytes | memoryview]], dict[str, list[Any]], int]:
    """Where each part goes from byte ``start`` on, each at an offset that is a multiple of 8 (a
    typed array view needs its element size's alignment): (offset, bytes) pairs, the layout the
    page reads them by ({name: [byte offset, element count, type]}, and for text [byte offset,
    bytes, "text", count]), and the end (a multiple of 8)."""
    chunks: list[tuple[int, bytes | memoryview]] = []
    layout: dict[str, list[Any]] = {}
    offset = start
    for name, part in parts.items():
        data, spec = _bytes_of(name, part)
        chunks.append((offset, data))
        layout[name] = [offset, *spec]
        offset += len(data)
        offset += -offset % 8
    return chunks, layout, offset


def pack(parts: dict[str, Part]) -> tuple[bytes, dict[str, list[Any]]]:
    """One buffer of every part (``lay_out``) and its layout."""
    chunks, layout, end = lay_out(parts)
    out = bytearray(end)
    for offset, data in chunks:
        out[offset:offset + len(data)] = data
    return bytes(out), layout


class Bundle:
    """The parts of several commands sent in one go (an open: members, then links) as one blob:
    one request, one transfer. Its bytes are made when the page fetches it, straight into the
    QByteArray the scheme serves (no bytes object, no second copy)."""

    def __init__(self) -> None:
        self.chunks: list[tuple[int, bytes | memoryview]] = []
        self.size = 0

    def add(self, parts: dict[str, Part]) -> dict[str, list[Any]]:
        chunks, layout, self.size = lay_out(parts, self.size)
        self.chunks += chunks
        return layout

    def data(self) -> QByteArray:
        out = QByteArray(self.size, 0)
        with memoryview(out) as view:  # writable: PySide's buffer of the QByteArray
            for offset, data in self.chunks:
                view[offset:offset + len(data)] = data
        return out


#: Commands that never name a member, whatever they carry: they may go to the page before an
#: opened project's member ids and names (``setMemberTexts``, sent after the first paint).
NO_MEMBER_IDS = frozenset({
    "configure", "configureLinks", "setLinks", "upsertLinks", "removeLinks", "linkStyle", "maskLinks",
    "fadeLinks", "fitAll", "fitBounds", "centreOn", "refitPadding", "setCircle", "clearCircle",
    "setMode", "setTowns", "showTowns", "setOnlineTiles", "setTilePack", "setRegionalParts",
    "setMemberTexts", "prepareCheckView",
})
#: Commands that name members only in this field: with it empty, they need no ids either
#: (unless they name rows of the members' blob, named by its ids: ``setOutside``'s mask, a
#: ``highlight``'s rows).
ID_FIELDS = {"highlight": "ids", "setOutside": "ids", "removeMembers": "ids", "select": "id"}


def needs_member_ids(op: str, fields: dict[str, Any]) -> bool:
    """Whether the page must know the members' ids to run this command right."""
    if op in NO_MEMBER_IDS:
        return False
    field = ID_FIELDS.get(op)
    named_rows = op in ("setOutside", "highlight") and "rows" in fields
    return field is None or bool(fields.get(field)) or named_rows


class BlobStore:
    """Blobs waiting for the page to fetch them, by a random token (not guessable by anything
    else on the page; served once)."""

    def __init__(self) -> None:
        self._blobs: OrderedDict[str, bytes | Bundle] = OrderedDict()
        self._open: str | None = None  # the bundle parts join until it is served or closed
        self.served = 0

    def put(self, data: bytes | Bundle) -> str:
        token = secrets.token_hex(16)
        self._blobs[token] = data
        while len(self._blobs) > KEEP:
            gone, _ = self._blobs.popitem(last=False)
            if gone == self._open:
                self._open = None
        return token

    def add(self, parts: dict[str, Part]) -> tuple[str, dict[str, list[Any]]]:
        """Put ``parts`` in the open bundle (a new one if none): its token and their layout."""
        if self._open is None:
            self._open = self.put(Bundle())
        bundle = self._blobs[self._open]
        assert isinstance(bundle, Bundle)
        return self._open, bundle.add(parts)

    def close(self) -> None:
        """Parts added from now on go in a new bundle."""
        self._open = None

    def is_open(self, token: str) -> bool:
        """Whether ``token`` is the bundle parts still join (not to be sent yet)."""
        return token == self._open

    def put_back(self, token: str, data: bytes | QByteArray) -> None:
        """A blob taken but not delivered: fetchable by its token again."""
        self._blobs[token] = bytes(data)
        self.served -= 1

    def take(self, token: str) -> bytes | QByteArray | None:
        blob = self._blobs.pop(token, None)
        if blob is None:
            return None
        if token == self._open:
            self._open = None
        self.served += 1
        return blob.data() if isinstance(blob, Bundle) else blob

    def __len__(self) -> int:
        return len(self._blobs)
