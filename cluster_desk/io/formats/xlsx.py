"""XLSX rosters (openpyxl, streaming both ways).

Reading: the ZIP central directory is checked *before* openpyxl opens the file (a few KB of
compressed XML can claim gigabytes), then the first sheet (or a named one) is streamed in
read-only mode with ``data_only=True``: a formula cell gives its cached value and is never
evaluated. defusedxml is installed, which openpyxl uses for its XML parsing.

Writing: write-only mode; every text cell is forced to the string type, so a name like
``=HYPERLINK(...)`` is shown as text by Excel/LibreOffice instead of becoming a formula.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import Member
from cluster_desk.io.formats.csv_roster import EXPORT_COLUMNS
from cluster_desk.io.formats.xlsx_read import XlsxTable, check_zip

__all__ = ["XlsxTable", "check_zip", "export_xlsx"]  # the reader lives in xlsx_read.py

# XML 1.0 cannot hold these control characters at all; OOXML writes them as _xHHHH_ and a
# literal "_x" as "_x005F_x" (ECMA-376 Part 1, 22.9.2.19), which Excel and LibreOffice decode.
# "\r" too: XML parsers turn a carriage return in text into "\n" (XML 1.0, 2.11).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    text = text.replace("_x", "_x005F_x")
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def export_xlsx(members: Iterable[Member], path: str | os.PathLike[str]) -> int:
    """Write the roster as one sheet, numbers as numbers and all text forced to text. Atomic."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("members")
    ws.append(list(EXPORT_COLUMNS))
    count = 0

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_escape(value))
        cell.data_type = "s"  # after assigning: openpyxl would type "=..." as a formula
        return cell

    for m in members:
        row: list[Any] = []
        for fld in EXPORT_COLUMNS:
            value = getattr(m, fld)
            if value is None or isinstance(value, int | float):
                row.append(value)
            else:
                row.append(text_cell(str(value)))
        ws.append(row)
        count += 1
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return count
