"""The first link rows of a GeoJSON/KML/GeoPackage, read once when the import dialog opens.

``io.with_links.file_parts`` looks for a link row to tell what the file holds; the rows it reads
on the way (up to READ_AHEAD_ROWS) are kept here, keyed by the file's path, size and mtime, and
the preview that follows (``io.links.import_links`` with ``dry_run``) takes them instead of
parsing the file again. One file is kept at a time; nothing is kept of a written import.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

__all__ = ["READ_AHEAD_ROWS", "read_ahead", "read_ahead_rows"]

Cells = dict[str, str]

#: Link rows ``read_ahead`` keeps (the import dialog's preview reads as many).
READ_AHEAD_ROWS = 2000  # = ui.exchange.import_dialog.PREVIEW_ROWS
#: (path, size, mtime) -> (the first link rows, whether they are all the file's)
_read_ahead: tuple[tuple[str, int, int], list[tuple[int, Cells]], bool] | None = None


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def read_ahead(path: Path, rows: Iterator[tuple[int, Cells]]) -> list[tuple[int, Cells]]:
    """The first READ_AHEAD_ROWS rows of ``rows`` (a GeoJSON/KML/GeoPackage links reader's), also
    kept so the preview that follows takes them instead of parsing the file again (a KML's links
    come after all its members: finding the first is most of a parse)."""
    global _read_ahead
    try:
        first = list(islice(rows, READ_AHEAD_ROWS + 1))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # a generator holding a file or a connection lets go of it
    _read_ahead = (_stamp(path), first[:READ_AHEAD_ROWS], len(first) <= READ_AHEAD_ROWS)
    return first[:READ_AHEAD_ROWS]


def read_ahead_rows(path: Path, max_rows: int | None) -> list[tuple[int, Cells]] | None:
    """The rows ``read_ahead`` kept of this very file, if they cover a preview of ``max_rows``."""
    if _read_ahead is None:
        return None
    stamp, rows, complete = _read_ahead
    try:
        same = stamp == _stamp(path)
    except OSError:
        return None
    if not same or not (complete or (max_rows is not None and max_rows <= len(rows))):
        return None
    return rows
