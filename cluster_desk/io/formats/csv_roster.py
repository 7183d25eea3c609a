"""CSV/TSV rosters: the text table reader (CsvTable) and the CSV export.

Import is forgiving about the *shape* of a file (encoding: see encoding.py; delimiter; English
or Russian headers: vocabulary.py; decimal commas: cells.py) and strict about *values* (rows.py
says what happens to a bad one). The reader streams rows through the ``csv`` module: 100,000
rows take well under a second, and a 1,000,000-row file never sits in memory.

Broken files are reported by row, not swallowed: bytes that are not UTF-8 in a UTF-8 file, a
cell longer than the csv module's limit, and an opening quote that is never closed (its cell
would hold the following rows): the row is named, and the rows read into the broken cell are
read again as rows.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import MEMBER_FIELDS, Member
from cluster_desk.io.cells import FORMULA_START as _FORMULA_START
from cluster_desk.io.columns import map_columns
from cluster_desk.io.encoding import detect_encoding, sniff_encoding
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.formats.export_words import table_header, table_values
from cluster_desk.io.rows import SWAP_HINT, grouped, iter_members, member_from_cells
from cluster_desk.io.vocabulary import FIELDS, IMPORT_FIELDS, field_of_header

__all__ = ["EXPORT_COLUMNS", "FIELD_SYNONYMS", "SWAP_HINT", "CsvTable", "ImportProblem", "ImportResult",
           "detect_encoding", "export_csv", "field_of_header", "import_csv", "iter_members",
           "map_columns", "member_from_cells"]

#: Member field -> header spellings accepted (the vocabulary's table; kept for old callers).
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {f: FIELDS[f].spellings() for f in IMPORT_FIELDS}

#: Longest cell accepted (characters). The csv module's own limit; a longer "cell" is a broken
#: file (an unclosed quote swallowing the rest), and reading it would only waste memory.
MAX_FIELD_CHARS = csv.field_size_limit()
#: Broken rows in a row before the file is called unreadable.
MAX_BROKEN_ROWS = 100
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the file's lines end with (read with newline="")


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvTable:
    """An open text table: headers, a row iterator (spreadsheet row numbers), encoding, delimiter.

    Rows the reader itself finds broken go to ``problems`` (set it to the import's list).
    """

    def __init__(self, path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> None:
        self.path, self.name = path, path.name
        self.problems: list[ImportProblem] = []
        detected = sniff_encoding(path) if encoding is None else None
        self.encoding = encoding or (detected.name if detected else "utf-8")
        self.bad_bytes = detected.bad_bytes if detected else 0
        errors = "surrogateescape" if self.bad_bytes else "strict"
        try:
            self._f = path.open("r", encoding=self.encoding, errors=errors, newline="")
            head = self._f.read(65536)
        except (UnicodeDecodeError, LookupError) as e:
            self._close_quietly()
            raise ImportFileError(f"{self.name}: cannot decode as {self.encoding} ({e})", "decode",
                                  encoding=self.encoding, detail=str(e)) from None
        if not head.strip():
            self._close_quietly()
            raise ImportFileError(f"{self.name}: the file is empty", "empty")
        self.delimiter = delimiter or _sniff_delimiter(head.split("\n", 1)[0])
        self._f.seek(0)
        self._reader = csv.reader(self._f, delimiter=self.delimiter)
        self._row = 1
        try:
            self.headers: list[str] = [h.strip().lstrip("\ufeff") for h in next(self._reader, [])]
        except (csv.Error, UnicodeDecodeError) as e:
            self._close_quietly()
            raise self._error(e) from None
        self.headers = [_SURROGATE.sub("\ufffd", h) for h in self.headers]

    def _close_quietly(self) -> None:
        f = getattr(self, "_f", None)
        if f is not None:
            f.close()

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> CsvTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _error(self, e: Exception) -> ImportFileError:
        where = f"{self.name}, row {self._row}"
        if isinstance(e, UnicodeDecodeError):
            return ImportFileError(f"{where}: cannot decode as {self.encoding} ({e.reason})", "decode",
                                   row=self._row, encoding=self.encoding, detail=e.reason)
        return ImportFileError(f"{where}: not a readable CSV file ({e})", "csv", row=self._row, detail=str(e))

    def _problem(self, column: int | None, value: str, message: str, code: str, **params: object) -> None:
        header = self.headers[column] if column is not None and column < len(self.headers) else ""
        field = (field_of_header(header) or header) if header else ""
        self.problems.append(ImportProblem(self.name, self._row, field, value, message, code=code,
                                           params=params))

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        broken = 0
        width = len(self.headers)
        while True:
            first_line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as e:
                broken = self._broken_row(e, broken + 1)
                continue
            broken = 0
            self._row += 1
            if self.bad_bytes:
                bad = next((i for i, c in enumerate(row) if _SURROGATE.search(c)), None)
                if bad is not None:
                    byte = ord(_SURROGATE.search(row[bad]).group()) - 0xDC00  # type: ignore[union-attr]
                    self._problem(bad, row[bad], f"holds byte 0x{byte:02X}, which is not UTF-8 (the rest "
                                  "of the file is UTF-8); the row is not imported", "bad_byte",
                                  byte=f"0x{byte:02X}")
                    continue
            if reader.line_num - first_line > 0:
                swallowed = self._swallowed(row, width, first_line, reader.line_num)
                if swallowed is not None:
                    yield from swallowed
                    continue
            yield self._row, row

    def row_groups(self, size: int) -> Iterator[tuple[list[int], list[list[str]]]]:
        """``rows()`` a group at a time: (row numbers, rows). The csv module reads a group in one
        go; what ``rows()`` checks per row (a cell spanning lines, a broken row) is looked for
        in the group's text once, and only a group that has one goes row by row."""
        if self.bad_bytes:  # the per-row byte check: the plain path
            yield from grouped(self.rows(), size)
            return
        reader = self._reader
        broken = 0
        while True:
            start = reader.line_num
            rows: list[list[str]] = []
            error: Exception | None = None
            try:
                # list.extend keeps what it took before an error (tests/io/test_readers_hostile.py)
                rows.extend(islice(reader, size))
            except (csv.Error, UnicodeDecodeError) as e:
                error = e  # the rows before it are in ``rows``
            if rows:
                broken = 0
                yield self._group(rows, start, None if error else reader.line_num)
            if error is None:
                if len(rows) < size:
                    return
                continue
            broken = self._broken_row(error, broken + 1)

    def _broken_row(self, error: Exception, broken: int) -> int:
        """The next row failed to read with ``error``: a cell over the limit is a problem of that
        row (``broken`` such rows in a row: too many means not a roster); anything else ends the
        import. Returns ``broken``."""
        self._row += 1
        if isinstance(error, UnicodeDecodeError) or "field larger than field limit" not in str(error):
            raise self._error(error) from None
        if broken > MAX_BROKEN_ROWS:
            raise ImportFileError(f"{self.name}, row {self._row}: {broken} rows in a row have "
                                  f"cells over {MAX_FIELD_CHARS:,} characters; not a roster "
                                  "as it stands", "broken_rows", row=self._row, rows=broken,
                                  limit=MAX_FIELD_CHARS) from None
        self._problem(None, "", f"has a cell longer than {MAX_FIELD_CHARS:,} characters (an "
                      "unclosed quote?); the row is not imported", "cell_too_long",
                      limit=MAX_FIELD_CHARS)
        return broken

    def _group(self, rows: list[list[str]], start: int, end: int | None,
               ) -> tuple[list[int], list[list[str]]]:
        """Numbers for a group read from after file line ``start`` to line ``end`` (None: a broken
        row came after it). A cell holds a line break only when its row spans lines (inside
        quotes), so a group of as many lines as rows numbers its rows one after another."""
        first = self._row + 1
        if end is not None and end - start == len(rows):
            self._row += len(rows)
            return list(range(first, self._row + 1)), rows
        numbers: list[int] = []
        out: list[list[str]] = []
        width = len(self.headers)
        line = start
        for k, row in enumerate(rows):
            first_line = line + 1
            line += 1 + sum(len(_LINE_BREAK.findall(cell)) for cell in row if "\n" in cell or "\r" in cell)
            if end is not None and k == len(rows) - 1:
                line = end  # a quote left open at the end of the file: its last break ends no line
            self._row += 1
            if line > first_line:
                swallowed = self._swallowed(row, width, first_line, line)
                if swallowed is not None:
                    for number, again in swallowed:
                        numbers.append(number)
                        out.append(again)
                    continue
            numbers.append(self._row)
            out.append(row)
        return numbers, out

    def _swallowed(self, row: list[str], width: int, first: int, last: int,
                   ) -> Iterator[tuple[int, list[str]]] | None:
        """Rows an unclosed quote read into one cell, reported and read again; None if the
        multi-line cell is an honest one (notes with line breaks)."""
        need = max(1, width - 1)
        for i, cell in enumerate(row):
            lines = cell.splitlines()
            rowlike = [ln for ln in lines[1:] if ln.count(self.delimiter) >= need]
            if len(rowlike) < (1 if width >= 3 else 2):
                continue
            self._problem(i, lines[0], f"opens a quote that is never closed: file lines {first}-{last} were "
                          "read into this one cell; the row is not imported and the lines after it "
                          "are read again as rows", "unclosed_quote", first=first, last=last)
            return self._reread(lines[1:])
        return None

    def _reread(self, lines: list[str]) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(lines, delimiter=self.delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                self._row += 1
                self._problem(None, "", f"cannot be read after the unclosed quote ({e})", "csv_row")
                continue
            self._row += 1
            yield self._row, row


def import_csv(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None,
               swap_flagged: bool = False, encoding: str | None = None) -> ImportResult:
    """Read a roster. Bad rows land in ``problems``; raises ImportFileError if the file is unusable.

    ``mapping`` maps a file column header to a member field and wins over the synonyms.
    """
    path = Path(path)
    with CsvTable(path, encoding=encoding) as table:
        result = ImportResult(encoding=table.encoding, delimiter=table.delimiter, format="csv")
        table.problems = result.problems
        fields, result.ignored_columns = map_columns(table.headers, mapping, path.name)
        result.columns = {table.headers[i]: fld for fld, i in fields.items()}
        result.members.extend(m for _, m, _ in iter_members(
            table.rows(), fields, path.name, result, swap_flagged=swap_flagged, width=len(table.headers)))
    return result


# --- export ------------------------------------------------------------------------------------

EXPORT_COLUMNS: tuple[str, ...] = ("id", *MEMBER_FIELDS)


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    if isinstance(value, int):
        return str(value)
    return _safe(str(value))


def export_csv(members: Iterable[Member], path: str | os.PathLike[str], *, delimiter: str = ",",
               lang: str = "en") -> int:
    """Write a roster that Excel opens (UTF-8 with BOM) and import_csv reads back unchanged.

    Headers and kind/status/industry values are words in ``lang`` (export_words), the id last.
    Text cells starting with = + - @ or a tab are prefixed with ' so a spreadsheet shows them
    instead of running them. Written to a temp file and renamed: never a half-written file.
    Returns the number of members written.
    """
    count = 0
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(table_header(lang))
        for m in members:
            writer.writerow([_cell(value) for value in table_values(m, lang)])
            count += 1
    return count
