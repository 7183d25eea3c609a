"""Import a roster file of any supported format into a project: match, de-duplicate, one transaction.

The pipeline streams: format reader -> member rows (bad rows to the report) -> swap check ->
duplicate check and matching -> ``Project.transaction()`` with chunked inserts. Memory stays
bounded for any file size: rows are never collected, and the keys seen so far (ids, INNs,
normalised names) are kept in a dict up to a few hundred thousand, then in a temporary SQLite
index on disk (see _KeyIndex).

Matching on re-import (so importing the same file twice updates instead of doubling): a row
updates the existing member with the same id (if the file has an id column), else the same INN,
else the same normalised name (when exactly one member has it). An update only writes the cells
the row *has*: an empty cell never blanks a value someone entered in the app.

Duplicates within the file: a second row with the same INN, or matching the same existing
member, is not imported and is listed with the row it repeats; a second row with the same
normalised name (and no INN to tell them apart) is imported and listed as a warning.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import statistics
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cluster_desk.core.model import MEMBER_FIELDS, Member
from cluster_desk.io.coords import swap_distance_flag
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.formats.csv_roster import SWAP_HINT, CsvTable, iter_members, map_columns
from cluster_desk.io.names import name_key

__all__ = [
    "FORMAT_OF_SUFFIX",
    "ImportCancelled",
    "ImportOptions",
    "ImportReport",
    "detect_format",
    "import_into",
    "read_roster",
]

FORMAT_OF_SUFFIX = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".geojson": "geojson", ".json": "geojson",
    ".kml": "kml", ".gpkg": "gpkg",
}  # fmt: skip

#: Rows written per executemany inside the one import transaction.
CHUNK = 5000
#: Located rows used to find the roster's centre for the swapped-coordinates check.
CENTRE_SAMPLE = 2000


class ImportCancelled(Exception):
    """Raised by a progress callback to stop; the transaction is rolled back."""


@dataclass
class ImportOptions:
    mapping: dict[str, str] | None = None  # file column -> member field (CSV/XLSX)
    swap_flagged: bool = False  # swap the rows flagged as swapped (never done silently)
    encoding: str | None = None  # CSV: override the detected encoding
    sheet: str | None = None  # XLSX: sheet name (default: the first)
    format: str | None = None  # override detection by suffix/content


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do); cluster_desk.text.import_summary says it."""

    file: str
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)  # rows not imported
    warnings: list[ImportProblem] = field(default_factory=list)  # rows imported with a note
    sample: list[Member] = field(default_factory=list)  # first rows as they will be stored
    dry_run: bool = False

    @property
    def rows_skipped(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def swap_offered(self) -> int:
        return sum(1 for p in (*self.problems, *self.warnings) if p.swap_offered)


def detect_format(path: Path, override: str | None = None) -> str:
    if override:
        if override not in set(FORMAT_OF_SUFFIX.values()):
            raise ImportFileError(f"{path.name}: unknown format '{override}'")
        return override
    fmt = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError as e:
        raise ImportFileError(f"{path.name}: cannot be read ({e.strerror or e})") from None
    if not head:
        raise ImportFileError(f"{path.name}: the file is empty")
    # Content wins over a misleading suffix for the binary formats.
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(f"{path.name}: an old Excel .xls workbook; save it as .xlsx or CSV first")
    if fmt is None:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        fmt = "geojson" if stripped.startswith(b"{") else "kml" if stripped.startswith(b"<") else "csv"
    return fmt


# --- sources -----------------------------------------------------------------------------------

Row = tuple[int, Member, Any]  # (row number, member, raw row or cells)


class _Source:
    """One open roster file: its metadata in ``result`` and a generator of good rows."""

    def __init__(self, path: Path, options: ImportOptions) -> None:
        self.path, self.options = path, options
        self.format = detect_format(path, options.format)
        self.result = ImportResult(format=self.format)
        self._closer: Callable[[], None] = lambda: None
        self._fields: dict[str, int] = {}
        fmt, name = self.format, path.name
        if fmt in ("csv", "xlsx"):
            table: Any
            if fmt == "csv":
                table = CsvTable(path, encoding=options.encoding)
            else:
                from cluster_desk.io.formats.xlsx import XlsxTable

                table = XlsxTable(path, sheet=options.sheet)
            self._closer = table.close
            try:
                self._fields, self.result.ignored_columns = map_columns(table.headers, options.mapping, name)
            except BaseException:
                table.close()
                raise
            self.result.encoding, self.result.delimiter = table.encoding, table.delimiter
            self.result.columns = {table.headers[i]: f for f, i in self._fields.items()}
            self._rows: Iterator[Row] = iter_members(
                table.rows(),
                self._fields,
                name,
                self.result,
                swap_flagged=options.swap_flagged,
                unquote=fmt == "csv",
            )
            return
        if options.mapping:
            raise ImportFileError(f"{name}: column mapping applies to CSV and XLSX files only")
        from cluster_desk.io.formats.geojson import iter_cells

        if fmt == "geojson":
            from cluster_desk.io.formats.geojson import iter_features, load_features

            self.result.encoding = "utf-8"
            self._rows = iter_features(
                load_features(path), name, self.result, swap_flagged=options.swap_flagged
            )
        elif fmt == "kml":
            from cluster_desk.io.formats.kml import kml_cells

            self.result.encoding = "utf-8"
            self._rows = iter_cells(
                kml_cells(path), name, self.result, swap_flagged=options.swap_flagged, unit="placemark"
            )
        else:
            from cluster_desk.io.formats.gpkg import gpkg_cells

            self._rows = iter_cells(gpkg_cells(path), name, self.result, swap_flagged=options.swap_flagged)

    def given(self, raw: Any) -> set[str]:
        """The member fields a row actually has values for (updates write only these)."""
        if isinstance(raw, dict):
            out = {f for f, v in raw.items() if v.strip()}
        else:
            out = {f for f, i in self._fields.items() if i < len(raw) and raw[i].strip()}
        if "latlon" in out:
            out |= {"lat", "lon"}
        return out & set(MEMBER_FIELDS)

    def rows(self) -> Iterator[Row]:
        return self._rows

    def close(self) -> None:
        self._closer()


def _check_swaps(
    rows: Iterator[Row],
    centre: tuple[float, float] | None,
    result: ImportResult,
    swap: bool,
    file_name: str,
    unit: str,
) -> Iterator[Row]:
    """Flag in-range rows far from the roster that would sit among the others if swapped.

    The centre is the project's members' median, or the median of the first CENTRE_SAMPLE
    located rows (buffered: bounded). Flagged rows are imported as given unless ``swap``.
    """
    buffer: list[Row] = []
    if centre is None:
        lats: list[float] = []
        lons: list[float] = []
        for row in rows:
            buffer.append(row)
            m = row[1]
            if m.lat is not None and m.lon is not None:
                lats.append(m.lat)
                lons.append(m.lon)
                if len(lats) >= CENTRE_SAMPLE:
                    break
        if len(lats) >= 5:  # too few rows to tell which ones are odd
            centre = (statistics.median(lats), statistics.median(lons))

    def check(row: Row) -> Row:
        number, m, raw = row
        if centre is None or m.lat is None or m.lon is None:
            return row
        hit = swap_distance_flag(m.lat, m.lon, centre)
        if hit is None:
            return row
        value = f"{m.lat!r}, {m.lon!r}"
        if swap:
            result.warnings.append(
                ImportProblem(
                    file_name,
                    number,
                    "lat",
                    value,
                    f"was {hit[0]:,.0f} km from the other members; latitude and longitude swapped on request",
                    unit,
                )
            )
            return number, replace(m, lat=m.lon, lon=m.lat), raw
        result.warnings.append(
            ImportProblem(
                file_name,
                number,
                "lat",
                value,
                f"is {hit[0]:,.0f} km from the other members but {hit[1]:,.0f} km with latitude and "
                "longitude swapped; imported as given",
                unit,
                swap_offered=True,
            )
        )
        return row

    for row in buffer:
        yield check(row)
    for row in rows:
        yield check(row)


class _KeyIndex:
    """Keys seen so far -> first row number.

    A dict while it is small (a 100,000-row roster: ~30 MB, and no SQL round trip per key); past
    SPILL_KEYS the keys move to a temporary on-disk SQLite table, so a 1,000,000-row file still
    imports in bounded memory.
    """

    SPILL_KEYS = 300_000

    def __init__(self) -> None:
        self._seen: dict[int, dict[str, int]] | None = {}  # kind -> key -> first row
        self._count = 0
        self._db: sqlite3.Connection | None = None
        self._path: Path | None = None

    def first(self, kind: int, key: str, row: int) -> int | None:
        """Remember ``key``; return the row that had it first, or None if it is new."""
        if self._seen is not None:
            keys = self._seen.get(kind)
            if keys is None:
                keys = self._seen[kind] = {}
            found = keys.setdefault(key, row)
            if found != row:
                return found
            self._count += 1
            if self._count > self.SPILL_KEYS:
                self._spill()
            return None
        assert self._db is not None
        try:
            self._db.execute("INSERT INTO k VALUES (?, ?, ?)", (kind, key, row))
            return None
        except sqlite3.IntegrityError:
            hit = self._db.execute("SELECT row FROM k WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            return int(hit[0])

    def _spill(self) -> None:
        fd, name = tempfile.mkstemp(prefix="cluster-desk-import-", suffix=".db")
        os.close(fd)
        self._path = Path(name)
        db = self._db = sqlite3.connect(name, isolation_level=None)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -8192")  # 8 MiB, whatever the file size
        db.execute(
            "CREATE TABLE k (kind INTEGER, key TEXT, row INTEGER, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        db.execute("BEGIN")
        assert self._seen is not None
        for kind, keys in self._seen.items():
            db.executemany("INSERT INTO k VALUES (?, ?, ?)", ((kind, k, r) for k, r in keys.items()))
        self._seen = None

    def close(self) -> None:
        self._seen = None
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                self._path.unlink()


_INN, _NAME, _TARGET = 1, 2, 3


def _median_centre(members: list[Member]) -> tuple[float, float] | None:
    located = [(m.lat, m.lon) for m in members if m.lat is not None and m.lon is not None]
    if len(located) < 5:
        return None
    return statistics.median(p[0] for p in located), statistics.median(p[1] for p in located)


def import_into(
    project: Any,
    path: str | os.PathLike[str],
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    sample_size: int = 0,
) -> ImportReport:
    """Import ``path`` into ``project`` (a store Project) in one transaction; returns the report.

    ``dry_run`` reads and matches everything but writes nothing (the preview). ``progress`` is
    called with the number of rows read every CHUNK rows; raising ImportCancelled (or anything)
    from it rolls the import back. ImportFileError (a problem with the file as a whole, even
    one found at row 900,000) also leaves the project unchanged.
    """
    path = Path(path)
    options = options or ImportOptions()
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    source = _Source(path, options)
    res = source.result
    report = ImportReport(file=path.name, format=source.format, dry_run=dry_run)
    keys = _KeyIndex()
    try:
        existing = project.members()
        by_id = {m.id: m for m in existing}
        by_inn: dict[str, str | None] = {}
        by_name: dict[str, str | None] = {}
        for m in existing:  # None marks an ambiguous key: two members share it, match neither
            if m.inn:
                by_inn[m.inn] = None if m.inn in by_inn else m.id
            k = name_key(m.name)
            by_name[k] = None if k in by_name else m.id
        unit = (
            "row"
            if source.format in ("csv", "xlsx")
            else "placemark"
            if source.format == "kml"
            else "feature"
        )
        rows = _check_swaps(
            source.rows(), _median_centre(existing), res, options.swap_flagged, path.name, unit
        )
        id_column = "id" in res.columns.values() or source.format in ("geojson", "kml", "gpkg")
        del existing  # only the indexes are needed from here on

        def planned() -> Iterator[tuple[str, Member]]:
            done = 0
            for number, m, raw in rows:
                done += 1
                if progress is not None and done % CHUNK == 0:
                    progress(done)
                target_id = m.id if id_column and m.id in by_id else None
                if target_id is None and m.inn:
                    target_id = by_inn.get(m.inn)
                nk = name_key(m.name)
                if target_id is None:
                    target_id = by_name.get(nk)
                if m.inn:
                    first = keys.first(_INN, m.inn, number)
                    if first is not None:
                        res.problems.append(
                            ImportProblem(
                                path.name,
                                number,
                                "inn",
                                m.inn,
                                f"is the same INN as {unit} {first}; not imported twice",
                                unit,
                            )
                        )
                        continue
                if target_id is not None:
                    first = keys.first(_TARGET, target_id, number)
                    if first is not None:
                        res.problems.append(
                            ImportProblem(
                                path.name,
                                number,
                                "name",
                                m.name,
                                f"matches the same project member as {unit} {first}; not imported twice",
                                unit,
                            )
                        )
                        continue
                first = keys.first(_NAME, nk, number)
                if first is not None:
                    res.warnings.append(
                        ImportProblem(
                            path.name,
                            number,
                            "name",
                            m.name,
                            f"has the same name as {unit} {first} (imported; check it is not a duplicate)",
                            unit,
                        )
                    )
                if target_id is None:
                    report.added += 1
                    if len(report.sample) < sample_size:
                        report.sample.append(m)
                    yield "add", m
                    continue
                old = by_id[target_id]
                given = source.given(raw)
                new = replace(old, **{f: getattr(m, f) for f in given})
                if len(report.sample) < sample_size:
                    report.sample.append(new)
                if new == old:
                    report.unchanged += 1
                else:
                    report.updated += 1
                    yield "update", new
            if progress is not None:
                progress(done)

        if dry_run:
            for _ in planned():
                pass
        else:
            _apply(project, planned())
        report.problems, report.warnings = res.problems, res.warnings
        report.encoding, report.delimiter = res.encoding, res.delimiter
        report.columns, report.ignored_columns = res.columns, res.ignored_columns
        if report.swap_offered and not options.swap_flagged:
            report.warnings.append(
                ImportProblem(path.name, 0, "", "", f"{report.swap_offered} rows: {SWAP_HINT}", unit)
            )
        return report
    finally:
        keys.close()
        source.close()


def _apply(project: Any, ops: Iterator[tuple[str, Member]]) -> None:
    """Write adds and updates in chunks inside one transaction (all or nothing)."""
    with project.transaction():
        adds: list[Member] = []
        updates: list[Member] = []
        for op, m in ops:
            (adds if op == "add" else updates).append(m)
            if len(adds) >= CHUNK:
                project.add_members(adds)
                adds = []
            if len(updates) >= CHUNK:
                project.update_members(updates)
                updates = []
        if adds:
            project.add_members(adds)
        if updates:
            project.update_members(updates)


def read_roster(path: str | os.PathLike[str], options: ImportOptions | None = None) -> ImportResult:
    """Parse a whole file into an ImportResult (members in memory: for small files and tests)."""
    path = Path(path)
    source = _Source(path, options or ImportOptions())
    try:
        rows = _check_swaps(
            source.rows(),
            None,
            source.result,
            (options or ImportOptions()).swap_flagged,
            path.name,
            "row" if source.format in ("csv", "xlsx") else "feature",
        )
        source.result.members.extend(m for _, m, _ in rows)
        return source.result
    finally:
        source.close()
