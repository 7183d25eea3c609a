"""XLSX rosters: read with openpyxl (streaming) or calamine, written by xlsx_write.py.

Reading: the ZIP central directory is checked *before* openpyxl opens the file (a few KB of
compressed XML can claim gigabytes), then the first sheet (or a named one) is streamed in
read-only mode with ``data_only=True``: a formula cell gives its cached value and is never
evaluated. defusedxml is installed, which openpyxl uses for its XML parsing.

Writing: xlsx_write.py streams the sheet's XML itself (openpyxl's write-only mode took ~60 s of
CPU for 100,000 members and their links); every text cell is an inline string, so a name like
``=HYPERLINK(...)`` is shown as text by Excel/LibreOffice instead of becoming a formula.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.atomic import WRITE_BUFFER, atomic_path
from cluster_desk.core.model import Member
from cluster_desk.io.formats.export_words import normalise_lang, table_header, table_values
from cluster_desk.io.formats.xlsx_read import XlsxTable, check_zip
from cluster_desk.io.formats.xlsx_write import write_workbook

__all__ = ["XlsxTable", "check_zip", "export_xlsx", "members_sheet_name"]  # reading: xlsx_read.py


def export_xlsx(members: Iterable[Member], path: str | os.PathLike[str], *, lang: str = "en") -> int:
    """Write the roster as one sheet, numbers as numbers and all text forced to text. Atomic.

    Headers and kind/status/industry values are words in ``lang``, the id column last.
    """
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        yield table_header(lang)
        for m in members:
            yield table_values(m, lang)
            count += 1

    with atomic_path(Path(path)) as tmp, tmp.open("xb", buffering=WRITE_BUFFER) as f:
        write_workbook(f, [(members_sheet_name(lang), rows())])
    return count


def members_sheet_name(lang: str) -> str:
    return "members" if normalise_lang(lang) == "en" else "Участники"
