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
    these (a NUL inside one, or a lone surrogate UTF-8 cannot carry): then send JSON instead."""
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


def pack(parts: dict[str, Part]) -> tuple[bytes, dict[str, list[Any]]]:
    """One buffer of every part, each at an offset that is a multiple of 8 (a typed array view
    needs its element size's alignment), and the layout the page reads it by:
    {name: [byte offset, element count, type]}, and for text [byte offset, bytes, "text", count]."""
    chunks: list[bytes | memoryview] = []
    layout: dict[str, list[Any]] = {}
    offset = 0
    for name, part in parts.items():
        if isinstance(part, Text):
            data: bytes | memoryview = part.data
            layout[name] = [offset, len(part.data), "text", part.count]
        else:
            arr = np.ascontiguousarray(part)
            if arr.dtype.byteorder == ">":
                arr = arr.astype(arr.dtype.newbyteorder("<"))
            kind = TYPES.get(arr.dtype.str)
            if kind is None:
                raise ValueError(f"blob part {name!r}: unsupported dtype {arr.dtype}")
            data = memoryview(arr).cast("B")
            layout[name] = [offset, len(arr), kind]
        chunks.append(data)
        offset += len(data)
        pad = -offset % 8
        if pad:
            chunks.append(b"\x00" * pad)
            offset += pad
    return b"".join(chunks), layout


class BlobStore:
    """Blobs waiting for the page to fetch them, by a random token (not guessable by anything
    else on the page; served once)."""

    def __init__(self) -> None:
        self._blobs: OrderedDict[str, bytes] = OrderedDict()
        self.served = 0

    def put(self, data: bytes) -> str:
        token = secrets.token_hex(16)
        self._blobs[token] = data
        while len(self._blobs) > KEEP:
            self._blobs.popitem(last=False)
        return token

    def take(self, token: str) -> bytes | None:
        data = self._blobs.pop(token, None)
        if data is not None:
            self.served += 1
        return data

    def __len__(self) -> int:
        return len(self._blobs)
