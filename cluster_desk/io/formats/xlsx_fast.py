"""A workbook's sheet read by python-calamine (Rust): ~10x faster than openpyxl's read-only mode.

calamine reads the whole sheet into memory, so it is used for sheets whose XML is at most
MAX_SHEET_XML bytes (about 150,000 rows of 20 columns); a bigger sheet streams through openpyxl
(xlsx_read.py), as does any workbook holding a formula: openpyxl tells a formula with no saved
value from an empty cell, and the report names it. Without python-calamine installed, openpyxl
reads everything. Its texts come with their ``_xHHHH_`` escapes decoded (xlsx_cells.value_text).

Where an import's time goes (cProfile and py-spy, a 100,000-row workbook written by GDAL: 70 MB
of sheet XML, 10 MB of shared strings): calamine's parse of the sheet ~45 % of the import
(quick-xml's reading, in Rust), of the shared strings ~7 %, its rows as Python lists ~3 %, the
look for formulas (xlsx_read._has_formulas, zlib) ~3 %, the cells as texts ~8 %; the rest is
the import proper, as for a CSV file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

__all__ = ["MAX_SHEET_XML", "FastSheet", "UnreadableRow", "open_fast_sheet"]

MAX_SHEET_XML = 100 * 1024 * 1024


class UnreadableRow(Exception):
    """Row ``row`` of the sheet failed to read with ``error``."""

    def __init__(self, row: int, error: Exception) -> None:
        super().__init__(row, error)
        self.row, self.error = row, error


class FastSheet:
    """Title, header cells and the rows after the header (values as calamine gives them)."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        self._workbook = workbook
        self.title: str = sheet.name
        start_row, start_col = sheet.start or (0, 0)
        self._start_col: int = start_col
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
            yield number, self.fit(row, width)

    def fit(self, row: list[Any], width: int) -> list[Any]:
        """A row as calamine gives it as the first ``width`` cells of the sheet's row."""
        row = self._pad(row)
        if len(row) < width:
            row = row + [None] * (width - len(row))
        return row[:width]

    def groups(self, size: int) -> Iterator[tuple[int, list[Any]]]:
        """The rows after the header as calamine gives them (``lead`` cells short on the left),
        ``size`` at a time: (the first one's row number, rows). A row that cannot be read raises
        ``UnreadableRow`` naming it (the rows before it in its group are dropped, as ``grouped``
        over ``rows`` drops them)."""
        number = self.first_number
        if self.header == [] and self.first_number > 1:
            return
        while True:
            group: list[Any] = []
            try:
                group.extend(islice(self._rows, size))  # extend keeps what it took before an error
            except Exception as e:
                raise UnreadableRow(number + len(group), e) from None
            if group:
                yield number, group
                number += len(group)
            if len(group) < size:
                return

    @property
    def lead(self) -> int:
        """Empty columns left of the sheet's first cell (calamine starts the rows there)."""
        return self._start_col

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
