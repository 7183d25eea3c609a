"""XLSX rosters (openpyxl, streaming both ways).

Reading: the ZIP central directory is checked *before* openpyxl opens the file (a few KB of
compressed XML can claim gigabytes), then the first sheet (or a named one) is streamed in
read-only mode with ``data_only=True``: a formula cell gives its cached value and is never
evaluated. defusedxml is installed, which openpyxl uses for its XML parsing.

Writing: write-only mode; every text cell is forced to the string type, so a name like
``=HYPERLINK(...)`` is shown as text by Excel/LibreOffice instead of becoming a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import Member
from cluster_desk.io.formats.export_words import normalise_lang, table_header, table_values
from cluster_desk.io.formats.xlsx_read import XlsxTable, check_zip

__all__ = ["XlsxTable", "check_zip", "export_xlsx"]  # the reader lives in xlsx_read.py

# XML 1.0 cannot hold these control characters at all; OOXML writes them as _xHHHH_ and a
# literal "_x" as "_x005F_x" (ECMA-376 Part 1, 22.9.2.19), which Excel and LibreOffice decode.
# "\r" too: XML parsers turn a carriage return in text into "\n" (XML 1.0, 2.11).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    text = text.replace("_x", "_x005F_x")
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def export_xlsx(members: Iterable[Member], path: str | os.PathLike[str], *, lang: str = "en") -> int:
    """Write the roster as one sheet, numbers as numbers and all text forced to text. Atomic.

    Headers and kind/status/industry values are words in ``lang``, the id column last.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("members" if normalise_lang(lang) == "en" else "Участники")
    count = 0

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_escape(value))
        cell.data_type = "s"  # after assigning: openpyxl would type "=..." as a formula
        return cell

    try:
        ws.append([text_cell(h) for h in table_header(lang)])
        for m in members:
            ws.append([value if value is None or isinstance(value, int | float) else text_cell(str(value))
                       for value in table_values(m, lang)])
            count += 1
        with atomic_path(path) as tmp:
            _save_workbook(wb, tmp)
    except BaseException:
        _discard_sheets(wb)
        raise
    return count


def _discard_sheets(wb: Any) -> None:
    """Close and delete a failed write-only workbook's sheet streams, quietly.

    openpyxl streams each write-only sheet through a generator into a temp file (in the
    system temp folder); left open after a failed write (a full disk), the generator's
    finaliser retries the write at exit and prints an "Exception ignored" traceback. These are
    openpyxl internals (``_rows``, ``_writer``; openpyxl 3.1), hence every step guarded.
    """
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.xf.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.cleanup()


def _save_workbook(wb: Any, target: Path) -> None:
    """openpyxl's save, with the ZIP archive closed by us on failure too.

    ``Workbook.save`` leaves its ZipFile open when a write fails (a full disk); the ZipFile's
    ``__del__`` then retries the write and prints an "Exception ignored" traceback after the
    error message. Here a failed archive is closed (its second failure swallowed: the first
    one is what the user hears about) so nothing is left for the garbage collector.
    """
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)  # as openpyxl's save
    with target.open("xb") as f:
        archive = zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        try:
            ExcelWriter(wb, archive).write_data()
        except BaseException:
            with contextlib.suppress(Exception):
                archive.close()  # sets archive.fp to None even when the write fails again
            raise
        archive.close()
