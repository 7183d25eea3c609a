"""Workbooks of plain tables written as SpreadsheetML directly, each sheet streamed into the ZIP.

openpyxl's write-only mode builds a cell object per value and runs it through its XML writer:
~60 s of CPU for a roster of 100,000 members with its 300,000 links. A roster's workbook needs
little of the format: sheets of rows, numbers as numbers, booleans as booleans, every text an
inline string (typed as text, so a name like ``=HYPERLINK(...)`` is never a formula), no styles
beyond the default one. ECMA-376 Part 1 (18.3 worksheets, 18.4 inline strings) is the reference;
Excel, LibreOffice, openpyxl and calamine read these files (tests read them back with the last
three).

Rows are written as they come (memory flat), each sheet a deflated stream of the archive, level 1:
the XML of inline strings is large and repetitive, and level 6 took four times as long for a file
~10 % smaller.
"""

from __future__ import annotations

import contextlib
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

__all__ = ["cell_text", "write_workbook"]

# XML 1.0 cannot hold these control characters at all; OOXML writes them as _xHHHH_ and a
# literal "_x" as "_x005F_x" (ECMA-376 Part 1, 22.9.2.19), which Excel and LibreOffice decode.
# "\r" too: XML parsers turn a carriage return in text into "\n" (XML 1.0, 2.11).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\r\x0e-\x1f\ufffe\uffff]")
_PIECE = 1 << 20  # characters of XML gathered before they go to the archive
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def cell_text(text: str) -> str:
    """``text`` as OOXML cell text: "_x" and the characters XML cannot hold written as _xHHHH_."""
    if "_x" in text:
        text = text.replace("_x", "_x005F_x")
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def _column_letters(n: int) -> list[str]:
    out = []
    for i in range(1, n + 1):
        name = ""
        while i:
            i, rem = divmod(i - 1, 26)
            name = chr(65 + rem) + name
        out.append(name)
    return out


def _text_cell(ref: str, value: str) -> str:
    # isprintable() is False for every control character: the regex runs only then.
    text = value if value.isprintable() and "_x" not in value else cell_text(value)
    text = escape(text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cells(values: Sequence[Any], row: int, letters: list[str]) -> str:
    parts = [f'<row r="{row}">']
    for letter, value in zip(letters, values, strict=False):
        kind = type(value)  # the common types by identity first: this runs per cell
        if kind is str:
            parts.append(_text_cell(f"{letter}{row}", value))
        elif value is None:
            continue
        elif kind is bool:
            parts.append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
        elif isinstance(value, int):  # (bool is taken above)
            parts.append(f'<c r="{letter}{row}"><v>{int(value)}</v></c>')
        elif isinstance(value, float) and math.isfinite(value):
            parts.append(f'<c r="{letter}{row}"><v>{float(value)!r}</v></c>')
        else:
            parts.append(_text_cell(f"{letter}{row}", str(value)))
    parts.append("</row>")
    return "".join(parts)


def _write_sheet(archive: zipfile.ZipFile, name: str, rows: Iterable[Sequence[Any]]) -> None:
    letters: list[str] = []
    with archive.open(name, "w", force_zip64=True) as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
                "<sheetData>".encode())
        pending: list[str] = []
        size = 0
        for number, values in enumerate(rows, start=1):
            if len(values) > len(letters):
                letters = _column_letters(len(values))
            line = _cells(values, number, letters)
            pending.append(line)
            size += len(line)
            if size >= _PIECE:
                f.write("".join(pending).encode())
                pending.clear()
                size = 0
        f.write(("".join(pending) + "</sheetData></worksheet>").encode())


def _escape_attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _package_parts(titles: list[str]) -> dict[str, str]:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheets = "".join(f'<sheet name="{_escape_attr(t)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, t in enumerate(titles, start=1))
    sheet_rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet"'
                         f' Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(titles) + 1))
    styles_id = len(titles) + 1
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
                        for i in range(1, len(titles) + 1))
    ooxml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ooxml}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ooxml}.styles+xml"/>'
        f"{overrides}</Types>",
        "_rels/.rels": head
        + f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head
        + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": head
        + f'<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
        f'<Relationship Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        # The one default style every reader expects to find (a font, fills, a border, a format).
        "xl/styles.xml": head
        + f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }


def write_workbook(target: Path | BinaryIO, sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> None:
    """Write the sheets (title, rows of None/bool/int/float/str values) as one workbook.

    Texts are written as given apart from ``cell_text``'s escapes; a sheet title must be a valid
    one (at most 31 characters, none of ``[]:*?/\\``). On failure the archive is closed and the
    exception goes on (the caller's temp file is then discarded).
    """
    archive = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1)
    try:
        tables = list(sheets)  # (the rows stay lazy)
        # The package's parts first: tools that sniff a file's type look at its first entry.
        for name, text in _package_parts([title for title, _ in tables]).items():
            archive.writestr(name, text)
        for number, (_, rows) in enumerate(tables, start=1):
            _write_sheet(archive, f"xl/worksheets/sheet{number}.xml", rows)
    except BaseException:
        with contextlib.suppress(Exception):  # the first failure is what the user hears about
            archive.close()
        raise
    archive.close()
