"""Import a roster file of any supported format into a project: match, de-duplicate, one transaction.

The pipeline streams a batch of rows at a time, as columns (memberbatch.MemberBatch): format
reader (sources.py) -> member rows (bad rows to the report) -> swap check -> matching (``_Plan``)
-> ``Project.transaction()`` with chunked writes (``Project.add_member_columns``: no ``Member``
per added row). Memory stays bounded for any file size: rows are never collected; keys seen so
far live in a KeyIndex. The project's members are matched by their keys, read as rows a chunk
at a time (``Project.member_keys``: ids, INNs, name keys, no record); the records of the members
a batch's rows match are read with that batch (``matching.StoredMembers``) and each update is
written against the record as read (``update_members(bases=)``: a field another program changed
meanwhile is kept). Every step files its reports in row order, as if each row went through
the steps on its own (tests/io/test_member_batches.py compares with the careful per-row reader).

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
import os
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from cluster_desk.core.collector import gc_paused
from cluster_desk.core.model import Member
from cluster_desk.io.coords import SWAP_NEAR_DEGREES, swap_distance_flag
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.keyindex import KeyIndex
from cluster_desk.io.matching import AMBIGUOUS, Plan, StoredMembers, in_row_order
from cluster_desk.io.memberbatch import ID, LAT, LON, NAME, MemberBatch
from cluster_desk.io.names import name_keys
from cluster_desk.io.report import ImportReport
from cluster_desk.io.rows import SWAP_HINT
from cluster_desk.io.sources import FORMAT_OF_SUFFIX, Source, detect_format

__all__ = [
    "FORMAT_OF_SUFFIX",
    "ImportCancelled",
    "ImportOptions",
    "ImportReport",
    "ProjectKeys",
    "detect_format",
    "import_into",
    "joined_transaction",
    "project_keys",
    "read_roster",
]

#: Rows written per executemany inside the one import transaction (three reader batches: the
#: streaming import holds about one chunk; tests/io/test_io_formats.py bounds its peak).
CHUNK = 3 * 2048
#: The progress callback is called every this many rows read.
PROGRESS_ROWS = 5000
#: An import whose first write is at least this big is a bulk write (``Project.bulk_logging``).
BULK_ROWS = 5000
#: Located rows used to find the roster's centre for the swapped-coordinates check.
CENTRE_SAMPLE = 2000


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
    #: Conflict decisions by file row: "skip", "mine" or "theirs"; ``conflicts`` for the rest.
    resolutions: dict[int, str] = field(default_factory=dict)
    #: The decision for every conflict not in ``resolutions`` ("skip": left out until decided).
    conflicts: str = "skip"


def _check_swaps(batches: Iterator[MemberBatch], centre: tuple[float, float] | None, result: ImportResult,
                 swap: bool, file_name: str, unit: str) -> Iterator[MemberBatch]:
    """Flag in-range rows far from the roster that would sit among the others if swapped.

    The centre is the project's members' median, or the median of the first CENTRE_SAMPLE
    located rows (buffered: bounded). Flagged rows are imported as given unless ``swap``.
    """
    buffer: list[MemberBatch] = []
    if centre is None:
        lats: list[float] = []
        lons: list[float] = []
        for batch in batches:
            buffer.append(batch)
            for lat, lon in zip(batch.columns[LAT], batch.columns[LON], strict=True):
                if lat is not None and lon is not None:
                    lats.append(lat)
                    lons.append(lon)
                    if len(lats) >= CENTRE_SAMPLE:
                        break
            if len(lats) >= CENTRE_SAMPLE:
                break
        if len(lats) >= 5:  # too few rows to tell which ones are odd
            centre = (statistics.median(lats), statistics.median(lons))
    for batch in buffer:
        yield _checked(batch, centre, result, swap, file_name, unit)
    for batch in batches:
        yield _checked(batch, centre, result, swap, file_name, unit)


def _checked(batch: MemberBatch, centre: tuple[float, float] | None, result: ImportResult, swap: bool,
             file_name: str, unit: str) -> MemberBatch:
    if centre is None:
        return batch
    lats, lons = batch.columns[LAT], batch.columns[LON]
    lat, lon = np.array(lats, dtype=np.float64), np.array(lons, dtype=np.float64)  # None -> NaN
    # Nearly every row is near the centre: |dlat| + |dlon| bounds the meridian-then-parallel path
    # swap_distance_flag's own cheap exit measures, so below NEAR_DEGREES it would return None.
    with np.errstate(invalid="ignore"):
        near = (lat >= -90.0) & (lat <= 90.0) & (
            np.abs(lat - centre[0]) + np.abs(lon - centre[1]) < SWAP_NEAR_DEGREES)
    for k in np.flatnonzero(~near & ~np.isnan(lat) & ~np.isnan(lon)).tolist():
        hit = swap_distance_flag(lats[k], lons[k], centre)
        if hit is None:
            continue
        number, name = batch.numbers[k], batch.columns[NAME][k]
        value = f"{lats[k]!r}, {lons[k]!r}"
        params = {"km": round(hit[0]), "km_swapped": round(hit[1])}
        if swap:
            result.warnings.append(ImportProblem(
                file_name, number, "lat", value, f"was {hit[0]:,.0f} km from the other members; latitude "
                "and longitude swapped on request", unit, False, "swapped_on_request", params, name))
            lats[k], lons[k] = lons[k], lats[k]
            continue
        result.warnings.append(ImportProblem(
            file_name, number, "lat", value, f"is {hit[0]:,.0f} km from the other members but "
            f"{hit[1]:,.0f} km with latitude and longitude swapped; imported as given", unit, True,
            "swap_suspected", params, name))
    return batch


def _median_centre(lats: list[float], lons: list[float]) -> tuple[float, float] | None:
    """The project's located members' median point (the swapped-coordinates check's reference)."""
    if len(lats) < 5:
        return None
    # (numpy's partition, not statistics' sort: at a million members two sorts held the GIL
    # ~0.2 s each in one call, a stall of the window while the import dialog read these)
    return float(np.median(np.asarray(lats))), float(np.median(np.asarray(lons)))


@dataclass(frozen=True)
class ProjectKeys:
    """What an import matches a file's rows by, read from the project (``project_keys``): its
    members' ids, INN -> id and name key -> id (AMBIGUOUS where two share one), and the median
    point of the located ones. Previews of one file may share one read (the import dialog's, as
    the user maps columns: at 100,000 members ~0.3 s each, at a million ~3.5 s), and so may the
    import after them while the project's change log has not moved since (``seq``)."""

    ids: set[str]
    by_inn: dict[str, str]
    by_name: dict[str, str]
    centre: tuple[float, float] | None
    #: The change log's last seq they were read at (every write of a member is logged); -1: it
    #: moved while they were read, or the project keeps no log.
    seq: int = -1

    def current(self, project: Any) -> bool:
        """Whether ``project`` is as it was when these were read."""
        last = getattr(project, "last_seq", None)
        return self.seq >= 0 and last is not None and last() == self.seq


def project_keys(project: Any) -> ProjectKeys:
    """``ProjectKeys`` of ``project``, its members' keys read a chunk at a time (no record built:
    the members rows match are read a batch at a time, ``matching.StoredMembers``)."""
    last = getattr(project, "last_seq", None)
    seq = last() if last is not None else -1
    ids: set[str] = set()
    by_inn: dict[str, str] = {}
    by_name: dict[str, str] = {}
    lats: list[float] = []
    lons: list[float] = []
    for chunk in project.member_keys():
        for (mid, inn, _, lat, lon), k in zip(chunk, name_keys([r[2] for r in chunk]), strict=True):
            ids.add(mid)
            if inn:
                by_inn[inn] = AMBIGUOUS if inn in by_inn else mid
            by_name[k] = AMBIGUOUS if k in by_name else mid
            if lat is not None and lon is not None:
                lats.append(lat)
                lons.append(lon)
    if last is not None and last() != seq:  # (written meanwhile: good for this import only)
        seq = -1
    return ProjectKeys(ids, by_inn, by_name, _median_centre(lats, lons), seq)


class _Order:
    """Watches the located rows of a geographic file going into an empty project: if every one
    would also be valid swapped, the file may be in [lat, lon] order, and the report says so."""

    def __init__(self) -> None:
        self.count = 0
        self.both_ways = True
        self.lats: list[float] = []
        self.lons: list[float] = []

    def see(self, batch: MemberBatch) -> None:
        located = [(lat, lon) for lat, lon in zip(batch.columns[LAT], batch.columns[LON], strict=True)
                   if lat is not None and lon is not None]
        self.count += len(located)
        self.both_ways = self.both_ways and all(-90.0 <= lon <= 90.0 for _, lon in located)
        for lat, lon in located[: CENTRE_SAMPLE - len(self.lats)]:
            self.lats.append(lat)
            self.lons.append(lon)

    def warning(self, file_name: str) -> ImportProblem | None:
        if not self.count or not self.both_ways:
            return None
        lat, lon = statistics.median(self.lats), statistics.median(self.lons)
        return ImportProblem(
            file_name, 0, "", "", f"positions are read as [longitude, latitude] (the GeoJSON/KML order): "
            f"the members centre near {lat:.2f}° N {lon:.2f}° E; if they belong near {lon:.2f}° N "
            f"{lat:.2f}° E, the file is in [latitude, longitude] order: import again swapping all",
            "file", True, "latlon_order", {"lat": lat, "lon": lon, "count": self.count})


def _backup(project: Any, report: ImportReport, step: Callable[[], None] | None = None) -> None:
    """A copy of the project before a bulk change (kept by the store; the last few are kept).
    ``step``: called between parts of the copy (the import's progress: a window stays
    responsive, and its Cancel stops the copy and the import)."""
    # STORE-BACKUP: the `store` helper adds Project.backup(reason) -> path (ProjectError if the
    # copy cannot be written: the import does not start then); until it lands on main, a
    # project without it is written without a copy.
    backup = getattr(project, "backup", None)
    if backup is not None:
        where = backup("import") if step is None else backup("import", step=step)
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
    known: ProjectKeys | None = None,
) -> ImportReport:
    """Import ``path`` into ``project`` (a store Project) in one transaction; returns the report.

    ``dry_run`` reads and matches everything but writes nothing (the preview); with ``max_rows``
    it reads only the first rows (a quick preview while the user maps columns). ``progress`` is
    called with the number of rows read every PROGRESS_ROWS rows; raising ImportCancelled (or anything)
    from it rolls the import back. ImportFileError (a problem with the file as a whole, even
    one found at row 900,000) also leaves the project unchanged. ``collect`` receives every member
    the import would add or update (a preview of a workbook's links matches their ends to them).
    ``known``: the project's keys read before (``project_keys``); an import that writes takes
    them only while the project is as it was then (``ProjectKeys.current``), else reads them again.
    """
    with gc_paused():
        return _import_into(project, Path(path), options or ImportOptions(), dry_run, progress, sample_size,
                            max_rows, collect, known)


def _import_into(project: Any, path: Path, options: ImportOptions, dry_run: bool,
                 progress: Callable[[int], None] | None, sample_size: int, max_rows: int | None,
                 collect: list[Member] | None = None, known: ProjectKeys | None = None) -> ImportReport:
    if max_rows is not None and not dry_run:
        raise ValueError("max_rows is for previews (dry_run=True)")
    if known is not None and not dry_run and not known.current(project):
        known = None  # (written since they were read: read again)
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
        stored = known or project_keys(project)
        order = _Order() if not stored.ids and source.format in ("geojson", "kml", "gpkg") else None
        batches = _check_swaps(source.batches(), stored.centre, res, options.swap_flagged, name, unit)
        id_column = "id" in res.columns.values() or source.format in ("geojson", "kml", "gpkg")
        by_id = StoredMembers(stored.ids, project.members_with_ids, writes=not dry_run)
        plan = Plan(report, res, options.resolutions, keys, by_id, stored.by_inn, stored.by_name, id_column,
                    name, unit, listing=listing, sample_size=sample_size, collect=collect,
                    undecided=options.conflicts)

        read = [0]  # (rows read so far: what the progress says while the copy is made)

        def planned() -> Iterator[tuple[MemberBatch, list[Member]]]:
            done = 0
            for batch in batches:
                if max_rows is not None and done + len(batch) > max_rows:
                    batch = batch.take(range(max_rows - done))
                    report.partial = True
                if not len(batch):
                    break
                for at in range((done // PROGRESS_ROWS + 1) * PROGRESS_ROWS, done + len(batch) + 1,
                                PROGRESS_ROWS):
                    if progress is not None:
                        progress(at)
                done += len(batch)
                read[0] = done
                if order is not None:
                    order.see(batch)
                mark = (len(res.problems), len(res.warnings))
                adds, updates = plan.batch(batch)
                in_row_order(res.problems, mark[0])
                in_row_order(res.warnings, mark[1])
                if len(adds) or updates:
                    yield adds, updates
                if report.partial:
                    break
            report.rows_read = done
            if progress is not None:
                progress(done)

        if dry_run:
            for _ in planned():
                pass
        else:
            _apply(project, planned(), report, by_id.bases,
                   None if progress is None else lambda: progress(read[0]))
        report.problems, report.warnings = res.problems, res.warnings
        report.encoding, report.delimiter = res.encoding, res.delimiter
        report.columns, report.ignored_columns = res.columns, res.ignored_columns
        report.stopped = res.stopped
        swap_offered = report.swap_offered if not options.swap_flagged else 0
        if swap_offered:
            report.warnings.append(ImportProblem(
                name, 0, "", "", f"{swap_offered} rows: {SWAP_HINT}", unit, False, "swap_hint",
                {"rows": swap_offered}))
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
    return project.transaction(announced=True)  # type: ignore[no-any-return]


def _apply(project: Any, ops: Iterator[tuple[MemberBatch, list[Member]]], report: ImportReport,
           bases: dict[str, Member], step: Callable[[], None] | None = None) -> None:
    """Write adds and updates in chunks inside one transaction (all or nothing), after a backup
    (the caller's, when it opened the transaction; ``step``: the copy's, ``_backup``).
    ``bases``: each updated member as it was read (``StoredMembers.bases``), let go once written."""
    first = next(ops, None)
    if first is None:
        return  # nothing changes: no copy, no transaction
    if not getattr(project, "in_transaction", False):
        _backup(project, report, step)
    with joined_transaction(project), contextlib.ExitStack() as bulk:
        adds = MemberBatch.empty()
        updates: list[Member] = []

        def flush_adds() -> None:
            big = len(adds) >= min(BULK_ROWS, CHUNK)
            if big and not report.added_ids and hasattr(project, "bulk_logging"):
                bulk.enter_context(project.bulk_logging(len(adds)))  # a big import: log index once
            project.add_member_columns(adds.columns)
            report.added_ids.extend(adds.columns[ID])

        def flush_updates() -> None:
            announce = getattr(project, "about_to_write", None)
            if announce is not None:  # (a window builds what they were: its undo puts it back)
                announce([m.id for m in updates])
            report.old_records.extend(project.update_members(updates, bases=bases))
            for m in updates:
                bases.pop(m.id, None)
            updates.clear()

        for added, updated in _chain(first, ops):
            adds.extend(added)
            updates += updated
            if len(adds) >= CHUNK:
                flush_adds()
                adds = MemberBatch.empty()
            if len(updates) >= CHUNK:
                flush_updates()
        if len(adds):
            flush_adds()
        if updates:
            flush_updates()


def _chain(first: tuple[MemberBatch, list[Member]], rest: Iterator[tuple[MemberBatch, list[Member]]],
           ) -> Iterator[tuple[MemberBatch, list[Member]]]:
    yield first
    yield from rest


def read_roster(path: str | os.PathLike[str], options: ImportOptions | None = None) -> ImportResult:
    """Parse a whole file into an ImportResult (members in memory: for small files and tests)."""
    path = Path(path)
    options = options or ImportOptions()
    source = Source(path, options)
    try:
        batches = _check_swaps(source.batches(), None, source.result, options.swap_flagged, path.name,
                               source.unit)
        for batch in batches:
            source.result.members.extend(batch.members())
        return source.result
    finally:
        source.close()
