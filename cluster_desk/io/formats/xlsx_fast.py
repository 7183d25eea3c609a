"""A workbook's sheet read by python-calamine (Rust): ~10x faster than openpyxl's read-only mode.

calamine reads the whole sheet into memory, so it is used for sheets whose XML is at most
MAX_SHEET_XML bytes (about 150,000 rows of 20 columns); a bigger sheet streams through openpyxl
(xlsx_read.py), as does any workbook holding a formula: openpyxl tells a formula with no saved
value from an empty cell, and the report names it. Without python-calamine installed, openpyxl
reads everything.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["MAX_SHEET_XML", "FastSheet", "open_fast_sheet"]

MAX_SHEET_XML = 100 * 1024 * 1024


class FastSheet:
    """Title, header cells and the rows after the header (values as calamine gives them)."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        self._workbook = workbook
        self.title: str = sheet.name
        start_row, self._start_col = sheet.start or (0, 0)
        self._rows = iter(sheet.iter_rows())
        first = next(self._rows, None) if start_row == 0 else None
        # A sheet whose first row is empty has no header row (as openpyxl reads row 1).
        self.header: list[Any] = self._pad(first) if first is not None else []
        self.first_number = start_row + 2 if start_row == 0 else start_row + 1

    def _pad(self, row: list[Any]) -> list[Any]:
        return [None] * self._start_col + row if self._start_col else row

    def rows(self, width: int) -> Iterator[tuple[int, list[Any]]]:
        """(spreadsheet row number, the first ``width`` values, padded with None)."""
        number = self.first_number - 1
        if self.header == [] and self.first_number > 1:
            return
        for row in self._rows:
            number += 1
            row = self._pad(row)
            if len(row) < width:
                row = row + [None] * (width - len(row))
            yield number, row[:width]

    def close(self) -> None:
        close = getattr(self._workbook, "close", None)
        if close is not None:
            close()


def _worksheet_parts(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as z:
        return [i for i in z.infolist()
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]


def open_fast_sheet(path: Path, sheet: str | None, has_formulas: Any) -> FastSheet | None:
    """The sheet through calamine, or None when openpyxl must read it (see the module doc)."""
    try:
        import python_calamine
    except ImportError:
        return None
    parts = _worksheet_parts(path)
    if not parts or max(p.file_size for p in parts) > MAX_SHEET_XML:
        return None
    if any(has_formulas(path, p.filename) for p in parts):
        return None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        if sheet is not None and sheet not in workbook.sheet_names:
            return None  # openpyxl's path names the sheets in its message
        ws = workbook.get_sheet_by_name(sheet) if sheet is not None else workbook.get_sheet_by_index(0)
        return FastSheet(workbook, ws)
    except Exception:  # anything calamine cannot read: openpyxl reads it or says why not
        return None
