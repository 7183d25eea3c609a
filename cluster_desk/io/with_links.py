"""A roster file with its links (an XLSX with a «Связи» sheet, GeoJSON/KML lines, a GeoPackage
links layer): members and links in one transaction, after one backup, so the window records one
undo step and a failure in either part leaves the project as it was.

``file_parts`` says what a file holds (members, links or both), so the command line and the
window's import treat a links table, or a file of lines only, as links without being told."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cluster_desk.core.model import Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.linkahead import read_ahead
from cluster_desk.io.links import LinkImportReport, import_links
from cluster_desk.io.roster import ImportOptions, ImportReport, ProjectKeys, _backup, import_into

__all__ = ["FileParts", "file_parts", "import_links_only", "import_members_and_links"]


def import_members_and_links(
    project: Any,
    path: str | os.PathLike[str],
    options: ImportOptions | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    max_rows: int | None = None,
    sample_size: int = 0,
    known: ProjectKeys | None = None,
) -> tuple[ImportReport, LinkImportReport | None]:
    """Import the members of ``path`` and then its links, if it has any (None: it has none).

    A CSV is a members table or a links table, never both: its links report is None. In a dry
    run the links' ends are matched against the project and the members the file would add or
    change; ``max_rows`` and ``sample_size`` (previews) apply to both tables, and ``known``
    (the project's keys read before, ``roster.project_keys``: while still current) to the members'.
    """
    from cluster_desk.io.formats.links_formats import detect

    path = Path(path)
    has_links = path.is_file() and detect(path) != "csv"
    if dry_run or not has_links:
        planned: list[Member] | None = [] if dry_run and has_links else None
        report = import_into(project, path, options, dry_run=dry_run, progress=progress, max_rows=max_rows,
                             sample_size=sample_size, collect=planned, known=known)
        if planned is None:
            return report, None
        return report, _links(project, path, dry_run=True, extra_members=planned, max_rows=max_rows,
                              sample_size=sample_size)
    # The backup is taken before the transaction opens (the copy must not see it half done).
    backup_report = ImportReport(file=path.name)
    _backup(project, backup_report, None if progress is None else lambda: progress(0))
    with project.transaction(announced=True):  # (each batch names the stored records it updates)
        report = import_into(project, path, options, progress=progress, known=known)
        links = _links(project, path, dry_run=False, progress=progress)
    report.backup = backup_report.backup
    return report, links


def _links(project: Any, path: Path, *, dry_run: bool, **preview: Any) -> LinkImportReport | None:
    try:
        report = import_links(project, path, dry_run=dry_run, **preview)
    except ImportFileError:
        return None  # no links sheet / layer / lines: a members-only file
    return report if report.added or report.updated or report.unchanged or report.problems else None


@dataclass(frozen=True)
class FileParts:
    """What a roster file holds: member rows, link rows, or both."""

    members: bool = True
    links: bool = False
    sheet: str = ""  # an XLSX: its links sheet
    format: str = ""  # csv, xlsx, geojson, kml or gpkg ("" if the file cannot be read)

    @property
    def links_only(self) -> bool:
        return self.links and not self.members


def file_parts(path: str | os.PathLike[str], encoding: str | None = None) -> FileParts:
    """Members, links or both in ``path``, by a look at its start (a file that cannot be read is
    "members": the members reader then says why).

    - CSV/TSV: a links table if its header names both ends (поставщик/покупатель, участник 1/2,
      from/to, source/target), else a members table;
    - XLSX: links if it has a «Связи»/"Links" sheet; members too if another sheet comes first;
    - GeoJSON, KML, GeoPackage: links if the links reader finds a line (or a links table);
      members if the members reader finds a member row, good or bad.
    """
    from cluster_desk.io.formats import links_formats as lf
    from cluster_desk.io.sources import detect_format

    path = Path(path)
    members_only = FileParts()
    try:
        fmt = detect_format(path)
        members_only = FileParts(format=fmt)
        if fmt == "csv":
            from cluster_desk.io.formats.csv_roster import CsvTable
            from cluster_desk.io.link_words import is_links_table

            with CsvTable(path, encoding=encoding) as table:
                links_table = is_links_table(table.headers)
            return FileParts(members=False, links=True, format=fmt) if links_table else members_only
        if lf.detect(path) != fmt:  # a KMZ: members only
            return members_only
        if fmt == "xlsx":
            sheet = lf.links_sheet_name(path)
            if sheet is None:
                return members_only
            return FileParts(members=_sheet_names(path)[:1] != [sheet], links=True, sheet=sheet, format=fmt)
        rows_of = {"geojson": lf.geojson_link_rows, "kml": lf.kml_link_rows, "gpkg": lf.gpkg_link_rows}[fmt]
        first = read_ahead(path, rows_of(path)) if _may_hold_links(path, fmt) else []
        if not first:
            return members_only  # (the first link rows are kept for the preview: read once)
        # Features or placemarks before the first link are member rows (good or bad): no second
        # parse to find one (a KML's members reader parses the whole file).
        members = fmt != "gpkg" and first[0][0] > 1
        return FileParts(members=members or _has_member_rows(path), links=True, format=fmt)
    except Exception:  # unreadable or damaged (any reader's error): the members reader says why
        return members_only


_KML_DATA_NAME = re.compile(rb"""<(?:\w+:)?(?:Simple)?Data\s[^>]*?\bname\s*=\s*["']([^"']*)""")
_GEOJSON_NULL_GEOMETRY = re.compile(rb'"geometry"\s*:\s*null')
_END_FIELDS = ("source", "target", "source_id", "target_id")


def _may_hold_links(path: Path, fmt: str) -> bool:
    """A look at the bytes, False only where the links reader would find no row: it saves a
    second full parse of a members-only GeoJSON or KML (5 s of CPU for a KML of 100,000)."""
    if fmt not in ("geojson", "kml"):
        return True
    raw = path.read_bytes()
    if fmt == "geojson":  # a link is a line, or has no geometry (ours: "feature": "link")
        return b"LineString" in raw or b'"link"' in raw or _GEOJSON_NULL_GEOMETRY.search(raw) is not None
    from cluster_desk.io.link_words import link_field_of_header

    # A link placemark names an end in its ExtendedData (<Data name=...> ours, <SimpleData> GDAL's).
    names = {m.group(1) for m in _KML_DATA_NAME.finditer(raw)}
    return any(link_field_of_header(n.decode("utf-8", "replace")) in _END_FIELDS for n in names)


def _sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _has_member_rows(path: Path) -> bool:
    from cluster_desk.io.sources import Source

    try:
        source = Source(path, ImportOptions())
        rows = source.rows()
        try:
            with closing(rows):  # type: ignore[type-var]
                return next(rows, None) is not None or bool(source.result.problems)
        finally:
            source.close()
    except ImportFileError:
        return False  # e.g. a GeoPackage whose only layer is the lines, or no name column


def import_links_only(
    project: Any, path: str | os.PathLike[str], *, encoding: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> LinkImportReport:
    """A file of links only, after one backup (as a members import takes), in one transaction.
    ``progress(rows read)`` after each batch; what it raises (``ImportCancelled``) rolls it back."""
    _backup(project, ImportReport(file=Path(path).name), None if progress is None else lambda: progress(0))
    return import_links(project, path, encoding=encoding, progress=progress)
