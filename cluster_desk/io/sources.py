"""Open a roster file of any supported format as a stream of good rows in batches (bad ones to the report)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.io.columns import map_columns
from cluster_desk.io.errors import ImportFileError, ImportResult
from cluster_desk.io.memberbatch import LAT, LON, MemberBatch, Row
from cluster_desk.io.rowbatch import BATCH_ROWS
from cluster_desk.io.rows import grouped, iter_cell_batches, iter_cell_tables, iter_member_groups

__all__ = ["FORMAT_OF_SUFFIX", "Source", "detect_format", "unit_of"]

FORMAT_OF_SUFFIX = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".geojson": "geojson", ".json": "geojson",
    ".kml": "kml", ".kmz": "kml", ".gpkg": "gpkg",
}  # fmt: skip


def unit_of(fmt: str) -> str:
    return "row" if fmt in ("csv", "xlsx") else "placemark" if fmt == "kml" else "feature"


def _zip_kind(path: Path) -> str:
    """"kml" for a KMZ (a ZIP holding a .kml), "xlsx" otherwise; ImportFileError if not a ZIP."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        raise ImportFileError(
            f"{path.name}: a ZIP file (XLSX or KMZ) that is damaged or cut short (its directory, "
            "written last, is missing); copy or download it again", "zip_damaged") from None
    if any(n.lower().endswith(".kml") for n in names) and "[Content_Types].xml" not in names:
        return "kml"
    return "xlsx"


def detect_format(path: Path, override: str | None = None) -> str:
    if override:
        if override not in set(FORMAT_OF_SUFFIX.values()):
            raise ImportFileError(f"{path.name}: unknown format '{override}'", "unknown_format",
                                  format=override)
        return override
    fmt = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError as e:
        raise ImportFileError(f"{path.name}: cannot be read ({e.strerror or e})", "unreadable",
                              detail=e.strerror or str(e)) from None
    if not head:
        raise ImportFileError(f"{path.name}: the file is empty", "empty")
    # Content wins over a misleading suffix for the binary formats.
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(f"{path.name}: an old Excel .xls workbook; save it as .xlsx or CSV first",
                              "xls")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt is None or fmt in ("geojson", "kml"):
        fmt = "geojson" if stripped.startswith((b"{", b"[")) else "kml" if stripped.startswith(b"<") else (
            fmt or "csv")
    return fmt


class Source:
    """One open roster file: its metadata in ``result`` and a generator of good rows."""

    def __init__(self, path: Path, options: Any) -> None:
        self.path, self.options = path, options
        self.format = detect_format(path, options.format)
        self.unit = unit_of(self.format)
        self.result = ImportResult(format=self.format)
        self._closer: Callable[[], None] = lambda: None
        fmt, name = self.format, path.name
        batches: Iterator[MemberBatch]
        if fmt in ("csv", "xlsx"):
            table: Any
            if fmt == "csv":
                from cluster_desk.io.formats.csv_roster import CsvTable

                table = CsvTable(path, encoding=options.encoding)
            else:
                from cluster_desk.io.formats.xlsx_read import XlsxTable

                table = XlsxTable(path, sheet=options.sheet)
            self._closer = table.close
            table.problems = self.result.problems
            try:
                fields, self.result.ignored_columns = map_columns(table.headers, options.mapping, name)
            except BaseException:
                table.close()
                raise
            self.result.encoding, self.result.delimiter = table.encoding, table.delimiter
            self.result.columns = {table.headers[i]: f for f, i in fields.items()}
            groups = (table.row_groups(BATCH_ROWS) if hasattr(table, "row_groups")
                      else grouped(table.rows(), BATCH_ROWS))
            batches = iter_member_groups(groups, fields, name, self.result,
                                         swap_flagged=options.swap_flagged, unquote=fmt == "csv",
                                         width=len(table.headers))
        else:
            if options.mapping:
                raise ImportFileError(f"{name}: column mapping applies to CSV and XLSX files only", "mapping")
            cells: Iterator[Any]
            if fmt == "geojson":
                from cluster_desk.io.formats.geojson_read import geojson_cells

                self.result.encoding = "utf-8"
                cells = geojson_cells(path, self.result)
            elif fmt == "kml":
                from cluster_desk.io.formats.kml_read import kml_cells

                self.result.encoding = "utf-8"
                cells = kml_cells(path, self.result)
            else:
                from cluster_desk.io.formats.gpkg_read import gpkg_cells

                cells = gpkg_cells(path, self.result)
            # KML: a batch of plain placemarks is put together a column at a time (iter_cell_tables)
            read = iter_cell_tables if fmt == "kml" else iter_cell_batches
            batches = read(cells, name, self.result, swap_flagged=options.swap_flagged, unit=self.unit)
        self._batches = _swap_all(batches) if getattr(options, "swap_all", False) else batches

    def batches(self) -> Iterator[MemberBatch]:
        return self._batches

    def rows(self) -> Iterator[Row]:
        for batch in self._batches:
            yield from batch.rows()

    def close(self) -> None:
        self._closer()


def _swap_all(batches: Iterator[MemberBatch]) -> Iterator[MemberBatch]:
    """Every located row swapped: a file written in [lat, lon] order, on the user's request."""
    for batch in batches:
        lats, lons = batch.columns[LAT], batch.columns[LON]
        for k, (lat, lon) in enumerate(zip(lats, lons, strict=True)):
            if lat is not None and lon is not None and -90.0 <= lon <= 90.0:
                lats[k], lons[k] = lon, lat
        yield batch
