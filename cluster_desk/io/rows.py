"""Rows of cells -> members, with a report entry for everything that was not as expected.

One bad field does not lose the row: a value that cannot be read (coordinates, head count,
INN, dates) is left empty, the member is imported, and a warning names the row, the member and
the field. Only a row without a name, or with a kind/status/industry/id that cannot be read,
is not imported (a guessed kind would skew every check). Each good row comes with the set of
fields it actually gave, so an update writes only those.

Why ~600 lines: the careful per-row reader and the two batch readers built on it (table rows,
features) share its issues, its id bookkeeping and its report, and the tests compare them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields as dataclass_fields
from itertools import compress, count, islice, repeat
from operator import is_, not_
from typing import Any, NamedTuple

from cluster_desk.core.model import MEMBER_FIELDS, Member, new_id
from cluster_desk.io.cells import (
    FORMULA_START,
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    PARSERS,
    STRICT_FIELDS,
    TEXT_FIELDS,
    CellError,
    inn_check_ok,
    is_unknown,
)
from cluster_desk.io.coords import CoordError, looks_swapped, parse_coordinate, parse_pair
from cluster_desk.io.errors import ImportProblem, ImportResult
from cluster_desk.io.keyindex import BatchKeys, KeyIndex
from cluster_desk.io.memberbatch import COLUMNS, ID, INN, NAME, MemberBatch, Row, member_values
from cluster_desk.io.rowbatch import BATCH_ROWS, ColumnBatch
from cluster_desk.io.wrong_inn import INN_NOTE, PendingInnNotes, inn_notes

__all__ = [
    "SWAP_HINT", "Cells", "ImportIds", "Issue", "Row", "grouped", "iter_cell_batches", "iter_cell_tables",
    "iter_cells", "iter_member_batches", "iter_member_groups", "iter_members", "member_from_cells",
]
#: The "quote" of a file whose texts are typed (XLSX): two characters, so never a text's first one:
#: nothing is unquoted (a lone "\0" was, and a text "\0=..." lost its NUL).
NO_QUOTE = "\0\0"

SWAP_HINT = ("latitude and longitude look swapped; import again with --swap-flagged "
             "(or tick 'Swap latitude and longitude in flagged rows' in the preview) to swap them")
_ID_KEYS = 0  # the kind of key ids are in the KeyIndex of ids seen
_LEFT_EMPTY = "; left empty, the rest of the row is imported"


class Issue(NamedTuple):
    field: str
    value: str
    message: str
    code: str = ""
    params: dict[str, Any] = {}  # noqa: RUF012 (never mutated)
    swap_offered: bool = False
    fatal: bool = True  # the row is not imported


class Cells(dict[str, str]):
    """Field -> cell text of one feature, with notes the reader made (a polygon's point...)."""

    notes: list[Issue]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes = []




def _columns(fields: Iterable[tuple[str, int]]) -> tuple[list[tuple[str, int, int]],
                                                          list[tuple[str, int, Any, bool]]]:
    """The per-field work resolved once per file: (field, column, length limit) for text,
    (field, column, parser, strict) for the parsed fields."""
    text, parsed = [], []
    for fld, i in fields:
        if fld in TEXT_FIELDS or fld == "id":
            text.append((fld, i, MAX_ID_CHARS if fld == "id" else MAX_TEXT_CHARS))
        elif fld in PARSERS:
            parsed.append((fld, i, PARSERS[fld], fld in STRICT_FIELDS))
    return text, parsed


def _parse_row(row: list[str], text_cols: list[tuple[str, int, int]],
               parsed_cols: list[tuple[str, int, Any, bool]], values: dict[str, object],
               issues: list[Issue], quote: str) -> None:
    # Hot loop (100k rows): plain comparisons, the rare cases (long text, unknown words, bad
    # values) only after the common ones failed.
    for fld, i, limit in text_cols:
        cell = row[i]
        if not cell:
            continue
        text = cell.strip()
        if not text:
            continue
        if text[0] == quote and len(text) > 1 and text[1] in FORMULA_START:
            text = text[1:]  # undo our own CSV export's formula neutralising
        if len(text) > limit:
            issues.append(Issue(fld, text, f"has {len(text):,} characters (at most {limit:,})", "too_long",
                                {"chars": len(text), "limit": limit}, fatal=fld in STRICT_FIELDS))
            continue
        values[fld] = text
    for fld, i, parse, strict in parsed_cols:
        cell = row[i]
        if not cell or cell.isspace():
            continue
        try:
            values[fld] = parse(cell)
        except CellError as e:
            if is_unknown(cell):
                continue  # "н/д", "нет", "-": not known, not an error
            issues.append(Issue(fld, cell.strip(), str(e) + ("" if strict else _LEFT_EMPTY), e.code,
                                e.params, fatal=strict))
    inn = values.get("inn")
    if inn is not None and not inn_check_ok(inn):  # type: ignore[arg-type]
        issues.append(Issue("inn", str(inn), INN_NOTE, "inn_check_digit", {}, fatal=False))


def coordinates(raw_lat: str, raw_lon: str, values: dict[str, object], *, pair: str = "",
                swap: bool = False) -> list[Issue]:
    """Parse a lat/lon pair into ``values``; every issue leaves the row importable, unlocated."""
    if is_unknown(raw_lat):
        raw_lat = ""
    if is_unknown(raw_lon):
        raw_lon = ""
    lat_given, lon_given = bool(raw_lat.strip()), bool(raw_lon.strip())
    coords: dict[str, float] = {}
    unlocated = "; imported without a location"
    if not lat_given and not lon_given:
        if not pair.strip() or is_unknown(pair):
            return []  # an unlocated member: placed on the map later
        try:
            coords["lat"], coords["lon"] = parse_pair(pair)
        except CoordError as e:
            return [Issue("latlon", pair.strip(), str(e) + unlocated, "coord_unreadable", fatal=False)]
        raw_lat = raw_lon = pair.strip()
    elif lat_given != lon_given:
        missing, other = ("lon", "lat") if lat_given else ("lat", "lon")
        return [Issue(missing, "", f"is missing while '{other}' is given{unlocated}", "coord_half",
                      {"other": other}, fatal=False)]
    else:
        found = []
        for fld, raw in (("lat", raw_lat), ("lon", raw_lon)):
            try:
                coords[fld] = parse_coordinate(raw, fld)
            except CoordError as e:
                found.append(Issue(fld, raw.strip(), str(e) + unlocated, "coord_unreadable", fatal=False))
        if found:
            return found
    lat, lon = coords["lat"], coords["lon"]
    if looks_swapped(lat, lon):
        if swap:
            values["lat"], values["lon"] = lon, lat
            shown = f"{raw_lat}, {raw_lon}" if raw_lat != raw_lon else raw_lat
            return [Issue("lat", shown, "had latitude and longitude swapped; swapped on request",
                          "swapped_on_request", fatal=False)]
        # swap_offered carries the offer; the report adds one SWAP_HINT line for all such rows.
        return [Issue("lat", raw_lat, "is not a latitude (must be between -90 and 90)" + unlocated,
                      "coord_range", {"axis": "lat"}, swap_offered=True, fatal=False)]
    found = []
    for fld, number, limit, what in (("lat", lat, 90.0, "latitude"), ("lon", lon, 180.0, "longitude")):
        if not -limit <= number <= limit:
            raw = raw_lat if fld == "lat" else raw_lon
            found.append(Issue(fld, raw, f"is not a {what} (must be between -{limit:g} and {limit:g})"
                               + unlocated, "coord_range", {"axis": fld}, fatal=False))
    if found:
        return found
    if lat == 0.0 and lon == 0.0:
        return [Issue("lat", raw_lat, "with lon 0 is the 0,0 placeholder of a missing location"
                      + unlocated, "coord_zero", fatal=False)]
    values["lat"], values["lon"] = lat, lon
    return []


def _report(result: ImportResult, file_name: str, number: int, unit: str, issues: list[Issue],
            member: str) -> bool:
    """File the issues; True if the row is still imported."""
    fatal = False
    for i in issues:
        problem = ImportProblem(file_name, number, i.field, i.value, i.message, unit, i.swap_offered,
                                i.code, i.params, member)
        (result.problems if i.fatal else result.warnings).append(problem)
        fatal = fatal or i.fatal
    return not fatal


def member_from_cells(cells: dict[str, str], *, swap: bool = False, quote: str = NO_QUOTE,
                      ) -> tuple[Member | None, list[Issue], frozenset[str]]:
    """One member from field -> cell text: (member or None, issues, the fields it gave)."""
    values: dict[str, object] = {}
    issues: list[Issue] = []
    keys = [f for f in cells if f not in ("lat", "lon", "latlon")]
    text_cols, parsed_cols = _columns((f, i) for i, f in enumerate(keys))
    _parse_row([cells[f] for f in keys], text_cols, parsed_cols, values, issues, quote)
    if not values.get("name") and not any(i.field == "name" for i in issues):
        issues.append(Issue("name", cells.get("name", "").strip(), "is empty; every member needs a name",
                            "empty_name"))
    issues += coordinates(cells.get("lat", ""), cells.get("lon", ""), values,
                          pair=cells.get("latlon", ""), swap=swap)
    if any(i.fatal for i in issues):
        return None, issues, frozenset()
    given = frozenset(values)
    values.setdefault("id", new_id())
    return Member(**values), issues, given & _GIVEN  # type: ignore[arg-type]


_GIVEN = frozenset(MEMBER_FIELDS)
MEMBER_ORDER = tuple(f.name for f in dataclass_fields(Member))


class ImportIds:
    """Ids for the members one import adds: a random 64-bit prefix per import and a counter.

    As unlikely to meet another copy's ids as ``new_id``'s uuid4 (64 random bits per import),
    and 32 hex digits like it; but consecutive, so the members table's id index and the change
    log's grow at one end instead of at 100,000 random places (~40 % of a big import's SQL time).
    """

    def __init__(self) -> None:
        self._prefix = new_id()[:16]
        self._next = 0

    def __call__(self) -> str:
        self._next += 1
        return f"{self._prefix}{self._next:016x}"


def iter_members(rows: Iterable[tuple[int, list[str]]], fields: dict[str, int], file_name: str,
                 result: ImportResult, *, swap_flagged: bool = False, unit: str = "row",
                 unquote: bool = True, width: int = 0) -> Iterator[Row]:
    """Good rows of a table, one by one (``iter_member_batches``' members)."""
    for batch in iter_member_batches(rows, fields, file_name, result, swap_flagged=swap_flagged, unit=unit,
                                     unquote=unquote, width=width):
        yield from batch.rows()


def iter_member_batches(rows: Iterable[tuple[int, list[str]]], fields: dict[str, int], file_name: str,
                        result: ImportResult, *, swap_flagged: bool = False, unit: str = "row",
                        unquote: bool = True, width: int = 0) -> Iterator[MemberBatch]:
    """Good rows of a table a batch at a time (``iter_member_groups`` of the rows in groups)."""
    return iter_member_groups(grouped(rows, BATCH_ROWS), fields, file_name, result, swap_flagged=swap_flagged,
                              unit=unit, unquote=unquote, width=width)


def grouped(rows: Iterable[tuple[int, list[str]]], size: int) -> Iterator[tuple[list[int], list[list[str]]]]:
    """(number, row) pairs as groups of (numbers, rows)."""
    rows = iter(rows)
    while group := list(islice(rows, size)):
        yield [n for n, _ in group], [r for _, r in group]


def iter_member_groups(groups: Iterable[tuple[list[int], list[list[str]]]], fields: dict[str, int],
                       file_name: str, result: ImportResult, *, swap_flagged: bool = False, unit: str = "row",
                       unquote: bool = True, width: int = 0) -> Iterator[MemberBatch]:
    """Good rows of a table a batch at a time, from groups of (row numbers, rows) of at most
    BATCH_ROWS; bad ones go to ``result.problems``, notes to ``result.warnings``, in row order.

    ``width`` is the header's number of columns: a shorter (broken) line is reported.
    ``unquote`` undoes our CSV export's "'" before = + - @ (not for XLSX: its text is typed).
    Rows are read column by column (rowbatch.py); a row with anything to report is read on its
    own by ``_careful_row`` (with ``width`` 0, every row is: the reference the tests compare with).
    """
    seen_ids = KeyIndex()  # the ids of earlier rows (a 1M-row file: not a dict of 1M strings)
    try:
        yield from _member_groups(groups, fields, file_name, result, swap_flagged, unit, unquote, width,
                                  seen_ids)
    finally:
        seen_ids.close()


def _member_groups(groups: Iterable[tuple[list[int], list[list[str]]]], fields: dict[str, int],
                   file_name: str, result: ImportResult, swap_flagged: bool, unit: str, unquote: bool,
                   width: int, seen_ids: KeyIndex) -> Iterator[MemberBatch]:
    quote = "'" if unquote else NO_QUOTE
    needed = max(fields.values()) + 1
    careful = _CarefulReader(fields, file_name, result, swap_flagged, unit, quote, needed, width)
    batch_reader = ColumnBatch(fields, quote) if width >= needed else None
    has_id = "id" in fields
    make_id = ImportIds()
    for row_numbers, raw in groups:
        if not raw:
            continue
        if batch_reader is None:
            plain: list[list[str]] = []
        else:
            plain = raw
            if set(map(len, plain)) != {width}:
                plain = [row for row in plain if len(row) == width]
        if plain:
            assert batch_reader is not None
            cols, bad, givens, inn_ok = batch_reader.table(plain)
        else:
            cols, bad, givens, inn_ok = [[] for _ in COLUMNS], [], [], []
        ids = cols[ID]
        if len(plain) == len(raw) and not any(bad):
            plain_batch = _plain_batch(row_numbers, cols, givens, inn_ok, seen_ids, has_id, make_id, result,
                                       file_name, unit)
            if plain_batch is not None:
                yield plain_batch
                continue
        picks: list[int] = []  # per member: its index in ``plain``, or -1 - its index in ``slow``
        slow: list[Row] = []
        numbers: list[int] = []
        k = 0
        seen = BatchKeys(seen_ids, _ID_KEYS, [i for i in ids if i is not None] if has_id else [])
        wrong_inns = PendingInnNotes(result, file_name, unit)
        for row_no, row in zip(row_numbers, raw, strict=True):
            j = -1
            if plain and len(row) == width:
                j, k = k, k + 1
                if bad[j] or (has_id and ids[j] is not None and ids[j] in seen):
                    j = -1  # "appears twice in the file" and the rest: the careful reader says so
            if j < 0:
                mark = len(result.warnings)
                got = careful.row(row_no, row, seen, make_id)
                wrong_inns.before(mark)
                if got is not None:
                    picks.append(-1 - len(slow))
                    slow.append(got)
                    numbers.append(row_no)
                continue
            if not inn_ok[j]:
                wrong_inns.add(row_no, cols[INN][j], cols[NAME][j])
            if ids[j] is None:
                ids[j] = make_id()
            else:
                seen[ids[j]] = row_no
            picks.append(j)
            numbers.append(row_no)
        wrong_inns.file()
        seen.store()
        if picks:
            yield _assemble(numbers, picks, cols, givens, slow)


def _plain_batch(numbers: list[int], cols: list[list[Any]], givens: list[frozenset[str]],
                 inn_ok: list[bool], seen_ids: KeyIndex, has_id: bool, make_id: Callable[[], str],
                 result: ImportResult, file_name: str, unit: str) -> MemberBatch | None:
    """The common batch, every row plain: what the loop below does, a column at a time (None: an
    id repeats, the loop below sorts it out row by row)."""
    ids = cols[ID]
    if has_id:
        given = [i for i in ids if i is not None]
        if len(set(given)) != len(given):
            return None
        rows = numbers if len(given) == len(ids) else [no for i, no in zip(ids, numbers, strict=True)
                                                       if i is not None]
        if seen_ids.add_new(_ID_KEYS, given, rows):
            return None
    if not all(inn_ok):
        inn_notes(result, file_name, unit, list(map(not_, inn_ok)), numbers, cols[INN], cols[NAME])
    if not has_id or None in ids:
        for k in compress(count(), map(is_, ids, repeat(None))):
            ids[k] = make_id()
    return MemberBatch(numbers, cols, givens)


def _assemble(numbers: list[int], picks: list[int], cols: list[list[Any]], givens: list[frozenset[str]],
              slow: list[Row]) -> MemberBatch:
    """The batch of the picked members: column values (``picks[k] >= 0``) or careful rows."""
    if not slow:
        if len(picks) == len(givens):
            return MemberBatch(numbers, cols, givens)
        return MemberBatch(numbers, [list(map(c.__getitem__, picks)) for c in cols],
                           list(map(givens.__getitem__, picks)))
    values = [member_values(slow[-1 - j][1]) if j < 0 else [c[j] for c in cols] for j in picks]
    return MemberBatch(numbers, [list(c) for c in zip(*values, strict=True)],
                       [slow[-1 - j][2] if j < 0 else givens[j] for j in picks])


class _CarefulReader:
    """One row at a time, saying everything that is not as expected (the batch reader's fallback)."""

    def __init__(self, fields: dict[str, int], file_name: str, result: ImportResult, swap_flagged: bool,
                 unit: str, quote: str, needed: int, width: int) -> None:
        self.fields, self.file_name, self.result = fields, file_name, result
        self.swap_flagged, self.unit, self.quote = swap_flagged, unit, quote
        self.needed, self.width = needed, width
        self.padding = [""] * max(needed, width)
        self.text_cols, self.parsed_cols = _columns(fields.items())
        self.lat_i, self.lon_i, self.pair_i = fields.get("lat"), fields.get("lon"), fields.get("latlon")

    def row(self, row_no: int, row: list[str], seen_ids: BatchKeys, make_id: Callable[[], str],
            ) -> Row | None:
        fields, needed, width, unit = self.fields, self.needed, self.width, self.unit
        issues: list[Issue] = []
        values: dict[str, object] = {}
        n = len(row)
        if n >= needed:
            _parse_row(row, self.text_cols, self.parsed_cols, values, issues, self.quote)
        if not values and not issues and not any(c and not c.isspace() for c in row):
            return None  # blank line: nothing to import, nothing to report
        if n < needed:
            row = row + self.padding[: needed - n]
            _parse_row(row, self.text_cols, self.parsed_cols, values, issues, self.quote)
        if width and n < width:
            issues.append(Issue("", "", f"has {n} fields but the header has {width} (a broken "
                                "line?); the missing cells are read as empty", "short_row",
                                {"fields": n, "width": width}, fatal=False))
        elif width and n > width and any(c.strip() for c in row[width:]):
            issues.append(Issue("", "", f"has {n} fields but the header has {width}; "
                                "the extra cells are ignored", "long_row",
                                {"fields": n, "width": width}, fatal=False))
        if "name" not in values and not any(i.field == "name" for i in issues):
            issues.append(Issue("name", row[fields["name"]].strip(), "is empty; every member needs a name",
                                "empty_name"))
        lat_i, lon_i, pair_i = self.lat_i, self.lon_i, self.pair_i
        raw_lat = row[lat_i] if lat_i is not None else ""
        raw_lon = row[lon_i] if lon_i is not None else ""
        fast = False
        if raw_lat and raw_lon:
            try:  # fast path for plain in-range coordinates
                lat, lon = float(raw_lat), float(raw_lon)
                if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and (lat or lon):
                    values["lat"], values["lon"] = lat, lon
                    fast = True
            except ValueError:
                pass  # decimal comma, DMS, text: the careful path says what is wrong
        if not fast:
            issues += coordinates(raw_lat, raw_lon, values,
                                  pair=row[pair_i] if pair_i is not None else "", swap=self.swap_flagged)
        member_id = values.get("id")
        if isinstance(member_id, str) and member_id in seen_ids:
            issues.append(Issue("id", member_id, f"appears twice in the file (first in {unit} "
                                f"{seen_ids[member_id]}); ids must be unique", "duplicate_id",
                                {"first": seen_ids[member_id]}))
        name = values.get("name")
        if issues and not _report(self.result, self.file_name, row_no, unit, issues,
                                  name if isinstance(name, str) else ""):
            return None
        if isinstance(member_id, str):
            seen_ids[member_id] = row_no
        given = frozenset(values) & _GIVEN
        if member_id is None:
            values["id"] = make_id()
        return row_no, Member(**values), given  # type: ignore[arg-type]


def iter_cells(items: Iterable[tuple[int, dict[str, str] | list[Any]]], file_name: str,
               result: ImportResult, *, swap_flagged: bool = False, unit: str = "feature") -> Iterator[Row]:
    """Members from features, one by one (``iter_cell_batches``' members)."""
    for batch in iter_cell_batches(items, file_name, result, swap_flagged=swap_flagged, unit=unit):
        yield from batch.rows()


def iter_cell_batches(items: Iterable[tuple[int, dict[str, str] | list[Any]]], file_name: str,
                      result: ImportResult, *, swap_flagged: bool = False, unit: str = "feature",
                      ) -> Iterator[MemberBatch]:
    """Members from (number, field -> cell text), or (number, issues) for features that could not
    even be read as cells (an Issue or an old (field, value, message, swap offered) tuple).

    Features are read a batch at a time, column by column per layout of their fields (rowbatch.py);
    a feature with anything to report is read on its own by ``member_from_cells``.
    """
    seen: dict[str, int] = {}
    readers: dict[tuple[str, ...], ColumnBatch] = {}
    make_id = ImportIds()
    items = iter(items)
    while batch := list(islice(items, BATCH_ROWS)):
        yield from _cell_batches(batch, readers, seen, make_id, result, file_name, swap_flagged, unit)


def _cell_batches(batch: list[tuple[int, Any]], readers: dict[tuple[str, ...], ColumnBatch],
                  seen: dict[str, int], make_id: Callable[[], str], result: ImportResult, file_name: str,
                  swap_flagged: bool, unit: str) -> Iterator[MemberBatch]:
    """One batch of features, each checked on its own (the column reader's where it can)."""
    fast = _read_cells_batch(batch, readers)
    values: list[Any] = []  # per member: its column values
    givens: list[frozenset[str]] = []
    numbers: list[int] = []
    wrong_inns = PendingInnNotes(result, file_name, unit)
    for (number, cells), got in zip(batch, fast, strict=True):
        mark = len(result.warnings)
        if isinstance(cells, list):
            issues = [i if isinstance(i, Issue) else Issue(i[0], i[1], i[2], swap_offered=i[3])
                      for i in cells]
            _report(result, file_name, number, unit, issues, "")
            wrong_inns.before(mark)
            continue
        if got is not None and (got[0][ID][got[1]] or "") not in seen:
            cols, j, given, good_inn = got
            row = [c[j] for c in cols]
            if not good_inn:
                wrong_inns.add(number, row[INN], row[NAME])
            if row[ID] is None:
                row[ID] = make_id()
            seen[row[ID]] = number
            values.append(row)
            givens.append(given)
            numbers.append(number)
            continue
        member, issues, given = member_from_cells(cells, swap=swap_flagged)
        issues = [*getattr(cells, "notes", ()), *issues]
        if member is not None and member.id in seen:
            issues.append(Issue("id", member.id, f"appears twice in the file (first in {unit} "
                                f"{seen[member.id]}); ids must be unique", "duplicate_id",
                                {"first": seen[member.id]}))
            member = None
        name = member.name if member is not None else cells.get("name", "")
        kept = _report(result, file_name, number, unit, issues, name)
        wrong_inns.before(mark)
        if not kept or member is None:
            continue
        seen[member.id] = number
        values.append(member_values(member))
        givens.append(given)
        numbers.append(number)
    wrong_inns.file()
    if numbers:
        yield MemberBatch(numbers, [list(c) for c in zip(*values, strict=True)], givens)


def iter_cell_tables(items: Iterable[tuple[int, dict[str, str] | list[Any]]], file_name: str,
                     result: ImportResult, *, swap_flagged: bool = False, unit: str = "feature",
                     ) -> Iterator[MemberBatch]:
    """``iter_cell_batches``, but a batch whose features are all plain (the usual one: every
    feature read by the column reader, no id repeated) is put together a column at a time from its
    layouts' columns instead of a row at a time; any other batch goes through the per-feature loop
    of ``iter_cell_batches``. The same members, reports and order (tests/io/test_kml_columns.py)."""
    seen: dict[str, int] = {}
    readers: dict[tuple[str, ...], ColumnBatch] = {}
    make_id = ImportIds()
    items = iter(items)
    while batch := list(islice(items, BATCH_ROWS)):
        whole = _whole_batch(batch, readers, seen, make_id, result, file_name, unit)
        if whole is not None:
            yield whole
            continue
        yield from _cell_batches(batch, readers, seen, make_id, result, file_name, swap_flagged, unit)


def _whole_batch(batch: list[tuple[int, Any]], readers: dict[tuple[str, ...], ColumnBatch],
                 seen: dict[str, int], make_id: Callable[[], str], result: ImportResult, file_name: str,
                 unit: str) -> MemberBatch | None:
    """The batch as one MemberBatch when every feature is plain cells, read by the column reader
    per layout, with no id given twice (None: the per-feature loop reads it, nothing filed yet)."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for k, (_, cells) in enumerate(batch):
        if not isinstance(cells, dict) or getattr(cells, "notes", None):
            return None
        groups.setdefault(tuple(cells), []).append(k)
    if len(groups) > 1 and len(readers) + len(groups) > 100:
        return None  # many new layouts: the loop's bounded reader cache decides
    tables: list[tuple[list[int], list[list[Any]], list[frozenset[str]], list[bool]]] = []
    for layout, where in groups.items():
        reader = readers.get(layout)
        if reader is None:
            if len(readers) > 100:
                return None
            reader = readers[layout] = ColumnBatch({f: i for i, f in enumerate(layout)}, "\0", strict=True)
        cols, bad, givens, inn_ok = reader.table([list(batch[k][1].values()) for k in where])
        if any(bad):
            return None
        tables.append((where, cols, givens, inn_ok))
    if len(tables) == 1:
        _, cols, givens, inn_ok = tables[0]
    else:  # the layouts' columns end to end, then put back in the features' order
        order = sorted(range(len(batch)), key=[k for where, *_ in tables for k in where].__getitem__)
        cols = [list(map([v for t in tables for v in t[1][i]].__getitem__, order))
                for i in range(len(COLUMNS))]
        givens = list(map([g for t in tables for g in t[2]].__getitem__, order))
        inn_ok = list(map([f for t in tables for f in t[3]].__getitem__, order))
    given_ids = [i for i in cols[ID] if i is not None]
    if len(set(given_ids)) != len(given_ids) or not seen.keys().isdisjoint(given_ids):
        return None
    numbers = [number for number, _ in batch]
    ids = cols[ID]
    if not all(inn_ok):
        inn_notes(result, file_name, unit, list(map(not_, inn_ok)), numbers, cols[INN], cols[NAME])
    for k in compress(count(), map(is_, ids, repeat(None))):
        ids[k] = make_id()
    seen.update(zip(ids, numbers, strict=True))
    return MemberBatch(numbers, cols, givens)


def _read_cells_batch(batch: list[tuple[int, Any]], readers: dict[tuple[str, ...], ColumnBatch],
                      ) -> list[tuple[list[list[Any]], int, frozenset[str], bool] | None]:
    """Where the column reader has each plain feature (its layout's columns, its index there, the
    fields it gave, whether its INN is right; None: read it on its own), grouped by the layout of
    their fields (a file's features nearly always share one)."""
    out: list[tuple[list[list[Any]], int, frozenset[str], bool] | None] = [None] * len(batch)
    groups: dict[tuple[str, ...], list[int]] = {}
    for k, (_, cells) in enumerate(batch):
        if isinstance(cells, dict) and not getattr(cells, "notes", None):
            groups.setdefault(tuple(cells), []).append(k)
    for layout, where in groups.items():
        reader = readers.get(layout)
        if reader is None:
            if len(readers) > 100:  # a hostile file with a new layout per feature: stay bounded
                continue
            reader = readers[layout] = ColumnBatch({f: i for i, f in enumerate(layout)}, "\0", strict=True)
        cols, bad, givens, inn_ok = reader.table([list(batch[k][1].values()) for k in where])
        for j, k in enumerate(where):
            if not bad[j]:
                out[k] = (cols, j, givens[j], inn_ok[j])
    return out
