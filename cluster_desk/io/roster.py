"""Import a roster file of any supported format into a project: match, de-duplicate, one transaction.

The pipeline streams: format reader (sources.py) -> member rows (bad rows to the report) -> swap
check -> matching -> ``Project.transaction()`` with chunked writes. Memory stays bounded for any
file size: rows are never collected; keys seen so far live in a KeyIndex.

Matching (so importing the same file twice changes nothing): a row updates the project member
with the same id (if the file has an id column), else the same INN, else the same normalised
name (case, spaces, quotes and Latin look-alike letters do not count: names.name_key). A name
match whose INN differs from the member's is a *conflict*, not an update: the report lists it
with both values, and the row is left out until the user decides (``ImportOptions.resolutions``:
row -> "skip" | "mine" | "theirs"). An update writes only the cells the row *has*: an empty
cell never blanks a value someone entered in the app. A name shared by several project members
matches none of them and the row is reported, not added again.

Before the first write the project is copied (``Project.backup``). The report carries what an
undo needs: the old records of updated members and the ids of added ones.
"""

from __future__ import annotations

import contextlib
import gc
import os
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.io.coords import SWAP_NEAR_DEGREES, swap_distance_flag
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.keyindex import KeyIndex
from cluster_desk.io.names import name_key, name_keys
from cluster_desk.io.report import ImportReport, RecordChange, member_changes
from cluster_desk.io.rows import SWAP_HINT, Row
from cluster_desk.io.sources import FORMAT_OF_SUFFIX, Source, detect_format

__all__ = [
    "FORMAT_OF_SUFFIX",
    "ImportCancelled",
    "ImportOptions",
    "ImportReport",
    "detect_format",
    "import_into",
    "joined_transaction",
    "read_roster",
]

#: Rows written per executemany inside the one import transaction.
CHUNK = 5000
#: Located rows used to find the roster's centre for the swapped-coordinates check.
CENTRE_SAMPLE = 2000
#: Fields whose difference makes a name match a conflict (another organisation of that name?).
CONFLICT_FIELDS = ("inn",)


class ImportCancelled(Exception):
    """Raised by a progress callback to stop; the transaction is rolled back."""


@dataclass
class ImportOptions:
    mapping: dict[str, str] | None = None  # file column -> member field ("" ignores it)
    swap_flagged: bool = False  # swap the rows flagged as swapped (never done silently)
    swap_all: bool = False  # the file is in [lat, lon] order: swap every row
    encoding: str | None = None  # CSV: override the detected encoding
    sheet: str | None = None  # XLSX: sheet name (default: the first)
    format: str | None = None  # override detection by suffix/content
    #: Conflict decisions by file row: "skip" (default), "mine" or "theirs".
    resolutions: dict[int, str] = field(default_factory=dict)


def _check_swaps(rows: Iterator[Row], centre: tuple[float, float] | None, result: ImportResult,
                 swap: bool, file_name: str, unit: str) -> Iterator[Row]:
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

    # Nearly every row is near the centre: |dlat| + |dlon| bounds the meridian-then-parallel path
    # swap_distance_flag's own cheap exit measures, so below NEAR_DEGREES it would return None.
    c_lat, c_lon = centre if centre is not None else (0.0, 0.0)

    def check(row: Row) -> Row:
        number, m, given = row
        lat, lon = m.lat, m.lon
        if centre is None or lat is None or lon is None:
            return row
        if -90.0 <= lat <= 90.0 and abs(lat - c_lat) + abs(lon - c_lon) < SWAP_NEAR_DEGREES:
            return row
        hit = swap_distance_flag(lat, lon, centre)
        if hit is None:
            return row
        value = f"{m.lat!r}, {m.lon!r}"
        params = {"km": round(hit[0]), "km_swapped": round(hit[1])}
        if swap:
            result.warnings.append(ImportProblem(
                file_name, number, "lat", value, f"was {hit[0]:,.0f} km from the other members; latitude "
                "and longitude swapped on request", unit, False, "swapped_on_request", params, m.name))
            return number, replace(m, lat=m.lon, lon=m.lat), given
        result.warnings.append(ImportProblem(
            file_name, number, "lat", value, f"is {hit[0]:,.0f} km from the other members but "
            f"{hit[1]:,.0f} km with latitude and longitude swapped; imported as given", unit, True,
            "swap_suspected", params, m.name))
        return row

    for row in buffer:
        yield check(row)
    for row in rows:
        yield check(row)


_INN, _NAME, _TARGET = 1, 2, 3
_AMBIGUOUS = ""  # marks a key two project members share: it matches neither


def _median_centre(members: list[Member]) -> tuple[float, float] | None:
    located = [(m.lat, m.lon) for m in members if m.lat is not None and m.lon is not None]
    if len(located) < 5:
        return None
    return statistics.median(p[0] for p in located), statistics.median(p[1] for p in located)


class _Order:
    """Watches the located rows of a geographic file going into an empty project: if every one
    would also be valid swapped, the file may be in [lat, lon] order, and the report says so."""

    def __init__(self) -> None:
        self.count = 0
        self.both_ways = True
        self.lats: list[float] = []
        self.lons: list[float] = []

    def see(self, m: Member) -> None:
        if m.lat is None or m.lon is None:
            return
        self.count += 1
        self.both_ways = self.both_ways and -90.0 <= m.lon <= 90.0
        if len(self.lats) < CENTRE_SAMPLE:
            self.lats.append(m.lat)
            self.lons.append(m.lon)

    def warning(self, file_name: str) -> ImportProblem | None:
        if not self.count or not self.both_ways:
            return None
        lat, lon = statistics.median(self.lats), statistics.median(self.lons)
        return ImportProblem(
            file_name, 0, "", "", f"positions are read as [longitude, latitude] (the GeoJSON/KML order): "
            f"the members centre near {lat:.2f}° N {lon:.2f}° E; if they belong near {lon:.2f}° N "
            f"{lat:.2f}° E, the file is in [latitude, longitude] order: import again swapping all",
            "file", True, "latlon_order", {"lat": lat, "lon": lon, "count": self.count})


def _backup(project: Any, report: ImportReport) -> None:
    """A copy of the project before a bulk change (kept by the store; the last few are kept)."""
    # STORE-BACKUP: the `store` helper adds Project.backup(reason) -> path (ProjectError if the
    # copy cannot be written: the import does not start then); until it lands on main, a
    # project without it is written without a copy.
    backup = getattr(project, "backup", None)
    if backup is not None:
        where = backup("import")
        report.backup = str(where) if where else ""


def import_into(
    project: Any,
    path: str | os.PathLike[str],
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    sample_size: int = 0,
    max_rows: int | None = None,
    collect: list[Member] | None = None,
) -> ImportReport:
    """Import ``path`` into ``project`` (a store Project) in one transaction; returns the report.

    ``dry_run`` reads and matches everything but writes nothing (the preview); with ``max_rows``
    it reads only the first rows (a quick preview while the user maps columns). ``progress`` is
    called with the number of rows read every CHUNK rows; raising ImportCancelled (or anything)
    from it rolls the import back. ImportFileError (a problem with the file as a whole, even
    one found at row 900,000) also leaves the project unchanged. ``collect`` receives every member
    the import would add or update (a preview of a workbook's links matches their ends to them).
    """
    with _gc_paused():
        return _import_into(project, Path(path), options or ImportOptions(), dry_run, progress, sample_size,
                            max_rows, collect)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cycle collector paused while rows stream through (what they make holds no cycles): with
    a window's 100,000 members alive, its full passes over them cost ~5-10 % of a big import."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_into(project: Any, path: Path, options: ImportOptions, dry_run: bool,
                 progress: Callable[[int], None] | None, sample_size: int, max_rows: int | None,
                 collect: list[Member] | None = None) -> ImportReport:
    if max_rows is not None and not dry_run:
        raise ValueError("max_rows is for previews (dry_run=True)")
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file" if not path.exists() else f"{path}: not a file",
                              "no_file", missing=not path.exists())
    source = Source(path, options)
    res = source.result
    unit, name = source.unit, path.name
    report = ImportReport(file=name, format=source.format, dry_run=dry_run)
    listing = dry_run  # the per-record diff is the preview's; a real import keeps what undo needs
    keys = KeyIndex()
    try:
        existing = project.members()
        by_id = {m.id: m for m in existing}
        by_inn: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for m, k in zip(existing, name_keys([m.name for m in existing]), strict=True):
            if m.inn:
                by_inn[m.inn] = _AMBIGUOUS if m.inn in by_inn else m.id
            by_name[k] = _AMBIGUOUS if k in by_name else m.id
        order = _Order() if not existing and source.format in ("geojson", "kml", "gpkg") else None
        rows = _check_swaps(source.rows(), _median_centre(existing), res, options.swap_flagged, name, unit)
        id_column = "id" in res.columns.values() or source.format in ("geojson", "kml", "gpkg")
        del existing  # only the indexes are needed from here on

        def problem(number: int, fld: str, value: str, message: str, code: str, member: str,
                    **params: Any) -> None:
            res.problems.append(ImportProblem(name, number, fld, value, message, unit, False, code, params,
                                              member))

        def planned() -> Iterator[tuple[str, Member]]:
            done = 0
            key_of = res.name_keys
            for number, m, given in rows:
                if max_rows is not None and done >= max_rows:
                    report.partial = True
                    break
                done += 1
                if progress is not None and done % CHUNK == 0:
                    progress(done)
                if order is not None:
                    order.see(m)
                matched_by = ""
                target_id = m.id if id_column and m.id in by_id else None
                if target_id is not None:
                    matched_by = "id"
                if target_id is None and m.inn:
                    target_id = by_inn.get(m.inn)
                    matched_by = "inn" if target_id else ""
                nk = key_of(m.name)
                if target_id is None:
                    target_id = by_name.get(nk)
                    matched_by = "name" if target_id else ""
                    if target_id == _AMBIGUOUS:
                        problem(number, "name", m.name, "matches several project members of the same name; "
                                "not imported (add an INN or an id column to tell them apart)",
                                "ambiguous_name", m.name)
                        continue
                if m.inn:
                    first = keys.first(_INN, m.inn, number)
                    if first is not None:
                        problem(number, "inn", m.inn,
                                f"is the same INN as {unit} {first}; not imported twice", "duplicate_inn",
                                m.name, first=first)
                        continue
                if target_id:
                    first = keys.first(_TARGET, target_id, number)
                    if first is not None:
                        problem(number, "name", m.name, f"matches the same project member as {unit} {first}; "
                                "not imported twice", "duplicate_match", m.name, first=first)
                        continue
                first = keys.first(_NAME, nk, number)
                if first is not None:
                    res.warnings.append(ImportProblem(
                        name, number, "name", m.name, f"has the same name as {unit} {first} (imported; check "
                        "it is not a duplicate)", unit, False, "same_name", {"first": first}, m.name))
                if not target_id:
                    report.added += 1
                    if len(report.sample) < sample_size:
                        report.sample.append(m)
                    if listing:
                        report.listed(RecordChange(number, "add", m.id, m.name, member_changes(None, m)))
                    if collect is not None:
                        collect.append(m)
                    yield "add", m
                    continue
                old = by_id[target_id]
                # The same name typed differently (case, quotes, look-alike letters) is no change.
                same_name = name_key(old.name) == nk
                new = replace(old, **{f: getattr(m, f) for f in given if f != "name" or not same_name})
                conflict = tuple(f for f in CONFLICT_FIELDS
                                 if matched_by == "name" and getattr(old, f) and f in given
                                 and getattr(old, f) != getattr(m, f))
                if conflict:
                    choice = options.resolutions.get(number, "skip")
                    change = RecordChange(number, "conflict", old.id, old.name, member_changes(old, new),
                                          matched_by, conflict, choice)
                    report.conflicts.append(change)
                    report.listed(change)
                    if choice == "skip":
                        continue
                    if choice == "mine":
                        new = replace(new, **{f: getattr(old, f) for f in conflict})
                if len(report.sample) < sample_size:
                    report.sample.append(new)
                if new == old:
                    report.unchanged += 1
                    continue
                report.updated += 1
                if listing and not conflict:
                    report.listed(RecordChange(number, "update", old.id, old.name, member_changes(old, new),
                                               matched_by))
                if collect is not None:
                    collect.append(new)
                yield "update", new
            report.rows_read = done
            if progress is not None:
                progress(done)

        if dry_run:
            for _ in planned():
                pass
        else:
            _apply(project, planned(), report)
        report.problems, report.warnings = res.problems, res.warnings
        report.encoding, report.delimiter = res.encoding, res.delimiter
        report.columns, report.ignored_columns = res.columns, res.ignored_columns
        report.stopped = res.stopped
        if report.swap_offered and not options.swap_flagged:
            report.warnings.append(ImportProblem(
                name, 0, "", "", f"{report.swap_offered} rows: {SWAP_HINT}", unit, False, "swap_hint",
                {"rows": report.swap_offered}))
        if order is not None and not options.swap_all and (w := order.warning(name)) is not None:
            report.warnings.append(w)
        return report
    finally:
        keys.close()
        source.close()


def joined_transaction(project: Any) -> contextlib.AbstractContextManager[Any]:
    """The project's transaction, or nothing new when the caller already opened one (members and
    links of one workbook: one transaction, one backup, one undo step)."""
    if getattr(project, "in_transaction", False):
        return contextlib.nullcontext()
    return project.transaction()  # type: ignore[no-any-return]


def _apply(project: Any, ops: Iterator[tuple[str, Member]], report: ImportReport) -> None:
    """Write adds and updates in chunks inside one transaction (all or nothing), after a backup
    (the caller's, when it opened the transaction)."""
    first = next(ops, None)
    if first is None:
        return  # nothing changes: no copy, no transaction
    if not getattr(project, "in_transaction", False):
        _backup(project, report)
    with joined_transaction(project):
        adds: list[Member] = []
        updates: list[Member] = []

        def flush_adds() -> None:
            project.add_members(adds)
            report.added_ids.extend(m.id for m in adds)
            adds.clear()

        def flush_updates() -> None:
            report.old_records.extend(project.update_members(updates))
            updates.clear()

        for op, m in _chain(first, ops):
            (adds if op == "add" else updates).append(m)
            if len(adds) >= CHUNK:
                flush_adds()
            if len(updates) >= CHUNK:
                flush_updates()
        if adds:
            flush_adds()
        if updates:
            flush_updates()


def _chain(first: tuple[str, Member], rest: Iterator[tuple[str, Member]]) -> Iterator[tuple[str, Member]]:
    yield first
    yield from rest


def read_roster(path: str | os.PathLike[str], options: ImportOptions | None = None) -> ImportResult:
    """Parse a whole file into an ImportResult (members in memory: for small files and tests)."""
    path = Path(path)
    options = options or ImportOptions()
    source = Source(path, options)
    try:
        rows = _check_swaps(source.rows(), None, source.result, options.swap_flagged, path.name, source.unit)
        source.result.members.extend(m for _, m, _ in rows)
        return source.result
    finally:
        source.close()
