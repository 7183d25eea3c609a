"""XLSX rosters in (openpyxl, read-only, streamed), bounded whatever the workbook claims.

- The ZIP central directory is checked before openpyxl opens the file (a few KB of compressed
  XML can claim gigabytes); a file that starts like a ZIP but has no directory is called what it
  is: damaged or cut short.
- The sheet's declared dimension is ignored (``reset_dimensions``): a 1.5 KB file claiming
  A1:XFD1048576 is read to its real last row, and at most MAX_COLUMNS columns.
- ``data_only=True``: a formula gives its cached value and is never evaluated. A formula cell
  with no cached value (written by a program that does not calculate) is reported for its row
  and column instead of reading as an empty cell.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from itertools import compress, islice
from pathlib import Path
from typing import Any

from cluster_desk.io.columns import MAX_COLUMNS
from cluster_desk.io.errors import ImportFileError, ImportProblem
from cluster_desk.io.formats.xlsx_cells import cell_text, rows_texts, value_text
from cluster_desk.io.formats.xlsx_fast import FastSheet, UnreadableRow, open_fast_sheet
from cluster_desk.io.vocabulary import field_of_header

__all__ = ["XlsxTable", "check_zip"]

#: Refuse workbooks whose parts would inflate beyond this in total...
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
#: ...or any part whose compression ratio is above this (real sheets compress 5-20x).
MAX_RATIO = 200
MAX_ENTRIES = 10_000
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def check_zip(path: Path) -> None:
    """Refuse ZIP bombs and non-ZIP files using only the central directory (nothing inflated)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        with path.open("rb") as f:
            zipped = f.read(4) == b"PK\x03\x04"
        if zipped:
            raise ImportFileError(f"{name}: the workbook is damaged or cut short (its ZIP directory, written "
                                  "last, is missing); copy or save it again", "zip_damaged") from None
        raise ImportFileError(f"{name}: not an XLSX workbook (not a ZIP archive); an old .xls must be "
                              "saved as .xlsx or CSV first", "not_zip") from None
    if len(infos) > MAX_ENTRIES:
        raise ImportFileError(f"{name}: {len(infos):,} parts in the workbook; refused as a ZIP bomb",
                              "zip_bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO:
            raise ImportFileError(f"{name}: part {info.filename[:60]} would inflate {ratio:,.0f}-fold to "
                                  f"{info.file_size:,} bytes; refused as a ZIP bomb", "zip_bomb")
    if total > MAX_UNCOMPRESSED:
        raise ImportFileError(f"{name}: the workbook would inflate to {total:,} bytes; refused (limit "
                              f"{MAX_UNCOMPRESSED:,})", "zip_bomb")


def _has_formulas(path: Path, part: str) -> bool:
    """Whether the sheet part holds any formula (streamed through zlib; nothing kept)."""
    try:
        with zipfile.ZipFile(path) as z, z.open(part.lstrip("/")) as f:
            tail = b""
            while chunk := f.read(1 << 20):
                text = tail + chunk
                # Plain searches first: the pattern takes ~0.5 s over a 70 MB formula-free sheet,
                # these ~0.02 s (a sheet of shared strings has hardly an "f") to ~0.15 s.
                if b"f" in text and (b"<f" in text or b":f" in text) and _FORMULA.search(text):
                    return True
                tail = chunk[-8:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    except (zlib.error, EOFError):  # a damaged part: openpyxl's careful path reads it or says why not
        return True
    return False


class XlsxTable:
    """Headers and lazily read rows of one sheet, like csv_roster.CsvTable."""

    def __init__(self, path: Path, *, sheet: str | None = None) -> None:
        self.path, self.name = path, path.name
        self.encoding, self.delimiter = "", ""
        self.problems: list[ImportProblem] = []
        if path.stat().st_size == 0:
            raise ImportFileError(f"{self.name}: the file is empty", "empty")
        check_zip(path)
        self._formula_wb: Any = None
        self._wb: Any = None
        self._fast = open_fast_sheet(path, sheet, _has_formulas)
        if self._fast is not None:
            self.sheet = self._fast.title
            try:
                self._set_headers(self._fast.header[:MAX_COLUMNS], value_text)
            except ImportFileError:
                self.close()
                raise
            return
        from openpyxl import load_workbook  # imported late: keeps `cluster-desk check` fast

        try:
            self._wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for broken packages
            raise ImportFileError(f"{self.name}: not a readable XLSX workbook ({type(e).__name__}: "
                                  f"{str(e)[:120]})", "not_xlsx",
                                  detail=f"{type(e).__name__}: {str(e)[:120]}") from None
        try:
            if sheet is not None and sheet not in self._wb.sheetnames:
                raise ImportFileError(f"{self.name}: no sheet '{sheet}' (sheets: "
                                      f"{', '.join(self._wb.sheetnames)[:200]})", "no_sheet",
                                      sheet=sheet, sheets=", ".join(self._wb.sheetnames)[:200])
            ws = self._wb[sheet] if sheet is not None else self._wb.worksheets[0]
            self.sheet = ws.title
            ws.reset_dimensions()  # the declared dimension may claim a million rows
            first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), None)
            self._set_headers(first or (), cell_text)
            self._rows = ws.iter_rows(min_row=2, max_col=self._width, values_only=True)
            self._formulas: Iterator[Any] | None = None
            part = getattr(ws, "_worksheet_path", "")
            if part and _has_formulas(path, part):
                self._formula_wb = load_workbook(path, read_only=True, data_only=False)
                fws = self._formula_wb[self.sheet]
                fws.reset_dimensions()
                self._formulas = fws.iter_rows(min_row=2, max_col=self._width, values_only=True)
        except ImportFileError:
            self.close()
            raise
        except Exception as e:
            self.close()
            raise ImportFileError(f"{self.name}: the sheet cannot be read ({type(e).__name__}: "
                                  f"{str(e)[:120]})", "bad_sheet",
                                  detail=f"{type(e).__name__}: {str(e)[:120]}") from None

    def _set_headers(self, first: Any, text: Callable[[Any], str]) -> None:
        headers = [text(v).strip() for v in first]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            raise ImportFileError(f"{self.name}: the sheet '{self.sheet}' is empty (no header row)",
                                  "empty_sheet", sheet=self.sheet)
        self.headers = headers
        self._width = len(headers)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        if self._fast is not None:
            yield from self._fast_rows(self._fast)
            return
        number = 1
        try:
            for values in self._rows:
                number += 1
                formulas = next(self._formulas, None) if self._formulas is not None else None
                if not any(v is not None for v in values) and not (formulas and any(formulas)):
                    continue
                if formulas is not None:
                    missing = next((i for i, (v, f) in enumerate(zip(values, formulas, strict=False))
                                    if v is None and isinstance(f, str) and f.startswith("=")), None)
                    if missing is not None:
                        header = self.headers[missing]
                        self.problems.append(ImportProblem(
                            self.name, number, field_of_header(header) or header, str(formulas[missing]),
                            "is a formula with no saved value (the program that wrote the file did not "
                            "calculate it); open and save the file in Excel or LibreOffice, then import "
                            "again; the row is not imported", code="formula_no_value"))
                        continue
                yield number, [cell_text(v) for v in values]
        except Exception as e:
            raise self._unreadable_row(number + 1, e) from None

    def _fast_rows(self, fast: FastSheet) -> Iterator[tuple[int, list[str]]]:
        number = fast.first_number - 1
        try:
            for number, values in fast.rows(self._width):
                if all(v is None or v == "" for v in values):
                    continue
                yield number, [value_text(v) for v in values]
        except Exception as e:
            raise self._unreadable_row(number + 1, e) from None

    def row_groups(self, size: int) -> Iterator[tuple[list[int], list[list[str]]]]:
        """``rows()`` a group at a time, exactly as ``grouped(rows(), size)`` gives them: (row
        numbers, rows). calamine's rows become texts a column at a time (xlsx_cells.rows_texts)."""
        if self._fast is None:
            rows = self.rows()
            while group := list(islice(rows, size)):
                yield [n for n, _ in group], [r for _, r in group]
            return
        fast, width = self._fast, self._width
        numbers: list[int] = []
        texts: list[list[str]] = []
        try:
            for first, raw in fast.groups(size):
                try:
                    converted = rows_texts(raw, width, fast.lead)
                except Exception:  # not seen from calamine's values; per row, to name the row
                    converted = [self._row_texts(number, fast.fit(row, width))
                                 for number, row in enumerate(raw, first)]
                kept = list(map(any, converted))  # a blank row is skipped without a word
                numbers += compress(range(first, first + len(raw)), kept)
                texts += compress(converted, kept)
                while len(texts) >= size:
                    yield numbers[:size], texts[:size]
                    del numbers[:size], texts[:size]
        except UnreadableRow as e:  # the rows of an unfinished group are dropped, as grouped() drops them
            raise self._unreadable_row(e.row, e.error) from None
        if texts:
            yield numbers, texts

    @staticmethod
    def _row_texts(number: int, values: list[Any]) -> list[str]:
        try:
            return [value_text(v) for v in values]
        except Exception as e:
            raise UnreadableRow(number + 1, e) from None  # the row after, as rows() names it

    def _unreadable_row(self, row: int, e: Exception) -> ImportFileError:
        detail = f"{type(e).__name__}: {str(e)[:120]}"
        return ImportFileError(f"{self.name}, row {row}: the sheet cannot be read ({detail})", "bad_sheet",
                               row=row, detail=detail)

    def close(self) -> None:
        if self._fast is not None:
            self._fast.close()
        if self._wb is not None:
            self._wb.close()
        if self._formula_wb is not None:
            self._formula_wb.close()

    def __enter__(self) -> XlsxTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
