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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.formats.export_words import normalise_lang, table_header, table_values

__all__ = ["XlsxTable", "check_zip", "export_xlsx"]

#: Refuse workbooks whose parts would inflate beyond this in total...
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
#: ...or any part whose compression ratio is above this (real sheets compress 5-20x).
MAX_RATIO = 200
MAX_ENTRIES = 10_000

# XML 1.0 cannot hold these control characters at all; OOXML writes them as _xHHHH_ and a
# literal "_x" as "_x005F_x" (ECMA-376 Part 1, 22.9.2.19), which Excel and LibreOffice decode.
# "\r" too: XML parsers turn a carriage return in text into "\n" (XML 1.0, 2.11).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _escape(text: str) -> str:
    text = text.replace("_x", "_x005F_x")
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def check_zip(path: Path) -> None:
    """Refuse ZIP bombs and non-ZIP files using only the central directory (nothing inflated)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise ImportFileError(
            f"{name}: not an XLSX workbook (not a ZIP archive); "
            "an old .xls must be saved as .xlsx or CSV first"
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise ImportFileError(f"{name}: {len(infos):,} parts in the workbook; refused as a ZIP bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO:
            raise ImportFileError(
                f"{name}: part {info.filename} would inflate {ratio:,.0f}-fold to {info.file_size:,} bytes; "
                "refused as a ZIP bomb"
            )
    if total > MAX_UNCOMPRESSED:
        raise ImportFileError(
            f"{name}: the workbook would inflate to {total:,} bytes; refused (limit {MAX_UNCOMPRESSED:,})"
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # A whole number typed into a numeric cell (head count, INN): no ".0".
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _unescape(str(value))


class XlsxTable:
    """Headers and lazily read rows of one sheet, like csv_roster.CsvTable."""

    def __init__(self, path: Path, *, sheet: str | None = None) -> None:
        from openpyxl import load_workbook  # imported late: keeps `cluster-desk check` fast

        self.path, self.name = path, path.name
        self.encoding, self.delimiter = "", ""
        if path.stat().st_size == 0:
            raise ImportFileError(f"{self.name}: the file is empty")
        check_zip(path)
        try:
            self._wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for broken packages
            raise ImportFileError(
                f"{self.name}: not a readable XLSX workbook ({type(e).__name__}: {e})"
            ) from None
        try:
            if sheet is not None and sheet not in self._wb.sheetnames:
                raise ImportFileError(
                    f"{self.name}: no sheet '{sheet}' (sheets: {', '.join(self._wb.sheetnames)})"
                )
            ws = self._wb[sheet] if sheet is not None else self._wb.worksheets[0]
            self.sheet = ws.title
            self._rows = ws.iter_rows(values_only=True)
            first = next(self._rows, None)
        except ImportFileError:
            self.close()
            raise
        except Exception as e:
            self.close()
            raise ImportFileError(
                f"{self.name}: the sheet cannot be read ({type(e).__name__}: {e})"
            ) from None
        if first is None or not any(v not in (None, "") for v in first):
            self.close()
            raise ImportFileError(f"{self.name}: the sheet '{self.sheet}' is empty (no header row)")
        self.headers = [_cell_text(v).strip() for v in first]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(self._rows, start=2):
                yield number, [_cell_text(v) for v in values]
        except Exception as e:
            raise ImportFileError(
                f"{self.name}: the sheet cannot be read ({type(e).__name__}: {e})"
            ) from None

    def close(self) -> None:
        self._wb.close()

    def __enter__(self) -> XlsxTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
