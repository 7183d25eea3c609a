"""CSV roster import and export.

Import is forgiving about the *shape* of a file (encoding, delimiter, English or Russian headers,
decimal commas) and strict about *values*: a row with a bad value is skipped and reported with
its spreadsheet row number and field, and the rest of the file is still imported. Nothing is
guessed silently: an unknown kind, a half-given coordinate or a mangled INN rejects the row.

The reader streams rows through the ``csv`` module (no pandas): 100,000 rows take well under a
second on the target machine.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import MEMBER_FIELDS, Member, new_id
from cluster_desk.io.coords import CoordError, looks_swapped, parse_coordinate, parse_pair
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.formats.export_words import table_header, table_values
from cluster_desk.io.values import parse_roubles, parse_yes_no

__all__ = ["FIELD_SYNONYMS", "CsvTable", "ImportProblem", "ImportResult", "export_csv", "import_csv",
           "iter_members", "map_columns"]


from cluster_desk.io.vocabulary import FIELDS, IMPORT_FIELDS, accepted_values, value_of
from cluster_desk.io.vocabulary import field_of_header as _field_of_header
from cluster_desk.io.vocabulary import norm as _norm

#: Member field -> header spellings accepted (the vocabulary's table; kept for old callers).
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {f: FIELDS[f].spellings() for f in IMPORT_FIELDS}


_TEXT_FIELDS = ("name", "sector", "address", "website", "contact", "notes")
# Cells a spreadsheet would run as a formula (CSV injection); export prefixes them with "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")  # thousands separators in "1 200"


class _Bad(ValueError):
    """One bad cell: the message completes "'<value>' ..."."""


# --- cell parsers ------------------------------------------------------------------------------

def _text(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_START:
        return value[1:]  # undo our own export's formula neutralising
    return value


def _number(value: str) -> float:
    try:
        number = float(value)  # fast path: plain "55.79"
    except ValueError:
        number = _number_slow(value)
    if not math.isfinite(number):
        raise _Bad("is not a finite number")
    return number


def _number_slow(value: str) -> float:
    text = value.strip().translate(_SPACES)
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma ("55,79")
    try:
        number = float(text)
    except ValueError:
        raise _Bad("is not a number") from None
    return number


def _employees(value: str) -> int:
    number = _number(value)
    if number != int(number):
        raise _Bad("is not a whole number of employees")
    if number < 0:
        raise _Bad("is negative; employees must be 0 or more")
    return int(number)


def _roubles(value: str) -> float | None:
    try:
        return parse_roubles(value)
    except ValueError as e:
        raise _Bad(str(e)) from None


def _yes_no(value: str) -> bool:
    try:
        return parse_yes_no(value)
    except ValueError as e:
        raise _Bad(str(e)) from None


@lru_cache(maxsize=4096)  # a roster repeats few distinct dates
def _date(value: str) -> str:
    text = value.strip()
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):  # Russian spreadsheets: 01.09.2016
        d, m, y = text.split(".")
        text = f"{y}-{int(m):02d}-{int(d):02d}"
    text = text[:10] if re.match(r"\d{4}-\d{2}-\d{2}[ T]", text) else text  # drop a time part
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", text):  # GDAL's Date fields: 2015/03/12
        y, m, d = text.split("/")
        text = f"{y}-{int(m):02d}-{int(d):02d}"
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _Bad("is not a date (use YYYY-MM-DD or DD.MM.YYYY)") from None


def _inn(value: str) -> str:
    text = value.strip().replace(" ", "")
    if text.isdigit() and len(text) in (10, 12):
        return text  # the common case, checked first for speed
    if _SCIENTIFIC.match(text):
        raise _Bad("looks like an INN a spreadsheet turned into a number (scientific notation); "
                   "format the column as text and export again")
    if re.fullmatch(r"[0-9]+[.,]0+", text):
        raise _Bad("looks like an INN a spreadsheet turned into a number; format the column as text")
    if not text.isdigit():
        raise _Bad("is not an INN (digits only)")
    if len(text) not in (10, 12):
        hint = "; a leading zero may have been lost" if len(text) in (9, 11) else ""
        raise _Bad(f"has {len(text)} digits; an INN has 10 (organisation) or 12 (individual){hint}")
    return text


def _choice(field_name: str) -> Callable[[str], object]:
    accepted = accepted_values(field_name)

    def parse(value: str) -> object:
        found = value_of(field_name, value)
        if found is None:
            raise _Bad(f"is not a known {field_name} ({accepted})")
        return found
    return parse


_PARSERS: dict[str, Callable[[str], object]] = {
    "kind": _choice("kind"),
    "status": _choice("status"),
    "industry": _choice("industry"),
    "employees": _employees,
    "output": _roubles,
    "special_territory": _choice("special_territory"),
    "organising_production": _yes_no,
    "inn": _inn,
    "joined": _date,
    "left": _date,
}


# --- file shape --------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-16 (BOM or the zero-byte pattern of Excel's "Unicode text"), utf-8 or cp1251."""
    with path.open("rb") as f:
        head = f.read(4096)
    if not head:
        raise ImportFileError(f"{path.name}: the file is empty")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text"
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "utf-16-le"  # UTF-16 without a BOM: ASCII letters leave every other byte zero
        if even > len(head) // 4 and odd == 0:
            return "utf-16-be"
        raise ImportFileError(f"{path.name}: not a text file (an Excel workbook?); save it as CSV first")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:  # one cheap pass over the bytes decides between UTF-8 and the Windows Cyrillic code page
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


_detect_encoding = detect_encoding  # the old private name


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def map_columns(
    headers: list[str], mapping: dict[str, str] | None, file_name: str
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index, and the headers that were not used."""
    by_header = {_norm(h): i for i, h in enumerate(headers)}
    fields: dict[str, int] = {}
    for column, field_name in (mapping or {}).items():
        if field_name not in FIELD_SYNONYMS:
            raise ImportFileError(f"{file_name}: cannot map column '{column}' to unknown field "
                                  f"'{field_name}' (fields: {', '.join(FIELD_SYNONYMS)})")
        if _norm(column) not in by_header:
            raise ImportFileError(f"{file_name}: no column '{column}' to map "
                                  f"(columns: {', '.join(headers)})")
        fields[field_name] = by_header[_norm(column)]
    used = set(fields.values())
    for i, header in enumerate(headers):
        known = _field_of_header(header)
        if i not in used and known in FIELD_SYNONYMS and known not in fields:
            fields[known] = i
            used.add(i)
    ignored = [h for i, h in enumerate(headers) if i not in used and h.strip()]
    if "name" not in fields:
        shown = ", ".join(h[:40] for h in headers[:30])
        raise ImportFileError(f"{file_name}: no name column (columns: {shown}); "
                              "name one 'name' or 'наименование', or map it with --map COLUMN=name")
    return fields, ignored


_map_columns = map_columns


# --- import ------------------------------------------------------------------------------------

#: Longest cell accepted (characters). The csv module's own limit; a longer "cell" is a broken
#: file (an unclosed quote swallowing the rest), and reading it would only waste memory.
MAX_FIELD_CHARS = csv.field_size_limit()


class CsvTable:
    """An open text table: headers, a row iterator (spreadsheet row numbers), encoding, delimiter.

    Rows are read lazily, so a 1,000,000-row file never sits in memory.
    """

    def __init__(self, path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> None:
        self.path, self.name = path, path.name
        self.encoding = encoding or detect_encoding(path)
        try:
            self._f = path.open("r", encoding=self.encoding, newline="")
            head = self._f.read(65536)
        except (UnicodeDecodeError, LookupError) as e:
            self._close_quietly()
            raise ImportFileError(f"{self.name}: cannot decode as {self.encoding} ({e})") from None
        if not head.strip():
            self._close_quietly()
            raise ImportFileError(f"{self.name}: the file is empty")
        self.delimiter = delimiter or _sniff_delimiter(head.split("\n", 1)[0])
        self._f.seek(0)
        self._reader = csv.reader(self._f, delimiter=self.delimiter)
        self._row = 1
        try:
            self.headers: list[str] = [h.strip().lstrip("\ufeff") for h in next(self._reader, [])]
        except (csv.Error, UnicodeDecodeError) as e:
            self._close_quietly()
            raise self._error(e) from None

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
            return ImportFileError(f"{where}: cannot decode as {self.encoding} ({e.reason})")
        if "field larger than field limit" in str(e):
            return ImportFileError(f"{where}: a cell is longer than {MAX_FIELD_CHARS:,} characters "
                                   "(an unclosed quote?); the file is not a roster as it stands")
        return ImportFileError(f"{where}: not a readable CSV file ({e})")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for row in reader:
                self._row += 1
                yield self._row, row
        except (csv.Error, UnicodeDecodeError) as e:
            self._row += 1
            raise self._error(e) from None


def import_csv(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None,
               swap_flagged: bool = False, encoding: str | None = None) -> ImportResult:
    """Read a roster. Bad rows land in ``problems``; raises ImportFileError if the file is unusable.

    ``mapping`` maps a file column header to a member field and wins over the synonyms.
    """
    path = Path(path)
    with CsvTable(path, encoding=encoding) as table:
        result = ImportResult(encoding=table.encoding, delimiter=table.delimiter, format="csv")
        fields, result.ignored_columns = map_columns(table.headers, mapping, path.name)
        result.columns = {table.headers[i]: fld for fld, i in fields.items()}
        result.members.extend(m for _, m, _ in iter_members(
            table.rows(), fields, path.name, result, swap_flagged=swap_flagged))
    return result


def iter_members(rows: Iterable[tuple[int, list[str]]], fields: dict[str, int], file_name: str,
                 result: ImportResult, *, swap_flagged: bool = False, unit: str = "row",
                 unquote: bool = True) -> Iterator[tuple[int, Member, list[str]]]:
    """(row number, member, raw cells) for each good row; bad rows go to ``result.problems``.

    ``unquote`` undoes our CSV export's "'" before = + - @ (not for XLSX: its text is typed).
    """
    quote = "'" if unquote else "\0"
    # Hot loop (100k rows): per-field work is resolved once, outside the loop.
    text_cols = [(f, i) for f, i in fields.items() if f in _TEXT_FIELDS or f == "id"]
    parsed_cols = [(f, i, _PARSERS[f]) for f, i in fields.items() if f in _PARSERS]
    lat_i, lon_i, pair_i = fields.get("lat"), fields.get("lon"), fields.get("latlon")
    width = max(fields.values()) + 1
    padding = [""] * width
    problems, warnings = result.problems, result.warnings
    seen_ids: set[str] = set()
    for row_no, row in rows:
        if len(row) < width:
            row = row + padding[: width - len(row)]
        values: dict[str, object] = {}
        bad: list[ImportProblem] = []
        for fld, i in text_cols:
            cell = row[i]
            if cell:
                cell = cell.strip()
                if cell:  # inlined _text: this runs half a million times per 100k rows
                    if cell[0] == quote and len(cell) > 1 and cell[1] in _FORMULA_START:
                        cell = cell[1:]
                    values[fld] = cell
        for fld, i, parse in parsed_cols:
            cell = row[i]
            if cell and not cell.isspace():
                try:
                    values[fld] = parse(cell)
                except _Bad as e:
                    bad.append(ImportProblem(file_name, row_no, fld, cell, str(e), unit))
        if "name" not in values:
            if not any(c.strip() for c in row):
                continue  # blank line: nothing to import, nothing to report
            bad.append(ImportProblem(file_name, row_no, "name", row[fields["name"]].strip(),
                                     "is empty; every member needs a name", unit))
        raw_lat = row[lat_i] if lat_i is not None else ""
        raw_lon = row[lon_i] if lon_i is not None else ""
        if raw_lat and raw_lon:
            try:  # fast path for plain in-range coordinates
                lat, lon = float(raw_lat), float(raw_lon)
                if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and (lat or lon):
                    values["lat"], values["lon"] = lat, lon
                    raw_lat = raw_lon = ""
            except ValueError:
                pass  # decimal comma, DMS, text: the careful path below says what is wrong
        if raw_lat or raw_lon or (pair_i is not None and row[pair_i].strip() and "lat" not in values):
            for fld, value, message, offer in _coordinates(
                    raw_lat, raw_lon, values, pair=row[pair_i] if pair_i is not None else "",
                    swap=swap_flagged):
                if fld == "!":  # imported, with a note
                    warnings.append(ImportProblem(file_name, row_no, "lat", value, message, unit))
                else:
                    bad.append(ImportProblem(file_name, row_no, fld, value, message, unit, offer))
        member_id = values.get("id")
        if member_id is not None and member_id in seen_ids:
            bad.append(ImportProblem(file_name, row_no, "id", str(member_id),
                                     "appears twice in the file; ids must be unique", unit))
        if bad:
            problems.extend(bad)
            continue
        if member_id is not None:
            seen_ids.add(str(member_id))
        else:
            values["id"] = new_id()
        yield row_no, Member(**values), row  # type: ignore[arg-type]


SWAP_HINT = ("latitude and longitude look swapped; import again with --swap-flagged "
             "(or tick 'Swap latitude and longitude in flagged rows' in the preview) to swap them")


def _coordinates(raw_lat: str, raw_lon: str, values: dict[str, object], *, pair: str = "",
                 swap: bool = False) -> list[tuple[str, str, str, bool]]:
    """Parse a lat/lon pair into ``values``; returns (field, value, message, swap offered).

    A field of "!" is a note for a row that is imported anyway (swapped on request).
    """
    lat_given, lon_given = bool(raw_lat.strip()), bool(raw_lon.strip())
    coords: dict[str, float] = {}
    found: list[tuple[str, str, str, bool]] = []
    if not lat_given and not lon_given:
        if not pair.strip():
            return []  # an unlocated member: placed on the map later
        try:
            coords["lat"], coords["lon"] = parse_pair(pair)
        except CoordError as e:
            return [("latlon", pair, str(e), False)]
        raw_lat, raw_lon = pair, pair
    elif lat_given != lon_given:
        missing, other = ("lon", "lat") if lat_given else ("lat", "lon")
        return [(missing, "", f"is missing while '{other}' is given; give both or neither", False)]
    else:
        for fld, raw in (("lat", raw_lat), ("lon", raw_lon)):
            try:
                coords[fld] = parse_coordinate(raw, fld)
            except CoordError as e:
                found.append((fld, raw, str(e), False))
        if found:
            return found
    lat, lon = coords["lat"], coords["lon"]
    if looks_swapped(lat, lon):
        if swap:
            values["lat"], values["lon"] = lon, lat
            return [("!", f"{raw_lat}, {raw_lon}" if raw_lat != raw_lon else raw_lat,
                     "had latitude and longitude swapped; swapped on request", False)]
        # The message stays the plain range error; swap_offered=True carries the offer, and the
        # report adds one SWAP_HINT line for all such rows instead of repeating it per row.
        return [("lat", raw_lat, "is not a latitude (must be between -90 and 90)", True)]
    for fld, number, limit, what in (("lat", lat, 90.0, "latitude"), ("lon", lon, 180.0, "longitude")):
        if not -limit <= number <= limit:
            raw = raw_lat if fld == "lat" else raw_lon
            found.append((fld, raw, f"is not a {what} (must be between -{limit:g} and {limit:g})", False))
    if found:
        return found
    if lat == 0.0 and lon == 0.0:
        return [("lat", raw_lat, "with lon 0 is the 0,0 placeholder of a missing location; "
                 "leave both empty for an unlocated member", False)]
    values["lat"], values["lon"] = lat, lon
    return []


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


def member_from_cells(
    cells: dict[str, str], *, swap: bool = False
) -> tuple[Member | None, list[tuple[str, str, str, bool]]]:
    """One member from field -> cell text (the generic path other importers share).

    Returns (member, notes) or (None, problems), each as (field, value, message, swap offered);
    a note has field "!". Coordinates come from cells "lat"/"lon" (or "latlon") with the same
    rules as a CSV row.
    """
    values: dict[str, object] = {}
    found: list[tuple[str, str, str, bool]] = []
    for fld, raw in cells.items():
        if fld in ("lat", "lon", "latlon") or not raw.strip():
            continue
        if fld in _TEXT_FIELDS or fld == "id":
            values[fld] = _text(raw)
        elif fld in _PARSERS:
            try:
                values[fld] = _PARSERS[fld](raw)
            except _Bad as e:
                found.append((fld, raw, str(e), False))
    if not values.get("name"):
        found.append(("name", cells.get("name", ""), "is empty; every member needs a name", False))
    found += _coordinates(cells.get("lat", ""), cells.get("lon", ""), values,
                          pair=cells.get("latlon", ""), swap=swap)
    if any(f[0] != "!" for f in found):
        return None, [f for f in found if f[0] != "!"]
    values.setdefault("id", new_id())
    return Member(**values), found  # type: ignore[arg-type]


def field_of_header(header: str) -> str | None:
    """The member field a column header / property name stands for, if any."""
    return _field_of_header(header)
