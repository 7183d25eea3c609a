"""Importers and exporters. No Qt; the CLI and the UI share them.

Import: ``import_into(project, path, ImportOptions(...), dry_run=...)`` reads CSV/TSV/UTF-16
text, XLSX, GeoJSON, KML and GeoPackage, matches rows to existing members and writes in one
transaction (see roster.py). ``read_roster(path)`` only parses (tests, small files).
Export: ``export_roster(members, links, path)`` by suffix: .csv .tsv .xlsx .geojson/.json .kml
.gpkg .html.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_desk.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cluster_desk.core.model import Link, Member
    from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
    from cluster_desk.io.export_errors import ExportError
    from cluster_desk.io.formats.csv_roster import export_csv, import_csv
    from cluster_desk.io.formats.geojson import export_geojson, import_geojson
    from cluster_desk.io.report import CONFLICT_CHOICES, FieldChange, RecordChange
    from cluster_desk.io.roster import ImportCancelled, ImportOptions, ImportReport, import_into, read_roster

#: What this package gives, from the module that holds it: loaded on first use, so importing one
#: small part (``io.coords`` for the place search) does not load every reader and writer (~20
#: modules; issue 17: start <= 2 s).
_FROM = {
    "ImportFileError": "errors", "ImportProblem": "errors", "ImportResult": "errors",
    "ExportError": "export_errors", "export_csv": "formats.csv_roster", "import_csv": "formats.csv_roster",
    "export_geojson": "formats.geojson", "import_geojson": "formats.geojson",
    "CONFLICT_CHOICES": "report", "FieldChange": "report", "RecordChange": "report",
    "ImportCancelled": "roster", "ImportOptions": "roster", "ImportReport": "roster",
    "import_into": "roster", "read_roster": "roster",
}


__getattr__ = lazy_exports(__name__, _FROM)


__all__ = [
    "CONFLICT_CHOICES",
    "EXPORT_SUFFIXES",
    "GEOJSON_SUFFIXES",
    "IMPORT_SUFFIXES",
    "ExportError",
    "FieldChange",
    "ImportCancelled",
    "ImportFileError",
    "ImportOptions",
    "ImportProblem",
    "ImportReport",
    "ImportResult",
    "RecordChange",
    "export_csv",
    "export_geojson",
    "export_roster",
    "import_csv",
    "import_geojson",
    "import_into",
    "import_roster",
    "read_roster",
]

GEOJSON_SUFFIXES = (".geojson", ".json")
IMPORT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".xlsx", ".xlsm", ".geojson", ".json", ".kml", ".kmz",
                   ".gpkg")
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".geojson", ".json", ".kml", ".gpkg", ".html")


def import_roster(path: str | os.PathLike[str], *, mapping: dict[str, str] | None = None,
                  swap_flagged: bool = False) -> ImportResult:
    """Parse any supported roster file (format from suffix and content) into memory."""
    from cluster_desk.io.roster import ImportOptions, read_roster

    return read_roster(path, ImportOptions(mapping=mapping, swap_flagged=swap_flagged))


def export_roster(members: Iterable[Member], links: Iterable[Link] | None, path: str | os.PathLike[str], *,
                  title: str = "", lang: str = "en") -> int:
    """Write members (and links: an XLSX sheet, GeoJSON/KML lines, a GeoPackage layer) by suffix.

    Returns the number of members written.

    Table formats (CSV, TSV, XLSX) get headers and kind/status words in ``lang`` ("en"/"ru"),
    the id column last; the importer reads either language back. A write failure raises
    ExportError naming ``path`` (never the hidden temp file); an existing ``path`` is kept.
    """
    from cluster_desk.io.export_errors import reporting_export_errors

    path = Path(path)
    with reporting_export_errors(path):
        return _export(members, links, path, title=title, lang=lang)


def _export(members: Iterable[Member], links: Iterable[Link] | None, path: Path, *, title: str,
            lang: str) -> int:
    suffix = path.suffix.lower()
    links = list(links or ())
    if links and suffix in (".xlsx", ".kml", ".gpkg"):
        from cluster_desk.io.formats import links_formats as lf

        if suffix == ".xlsx":
            return lf.export_xlsx_with_links(members, links, path, lang=lang)
        if suffix == ".kml":
            return lf.export_kml_with_links(members, links, path, name=title, lang=lang)
        return lf.export_gpkg_with_links(members, links, path, lang=lang)
    from cluster_desk.io.formats.csv_roster import export_csv

    if suffix == ".csv":
        return export_csv(members, path, lang=lang)
    if suffix in (".tsv", ".txt"):
        return export_csv(members, path, delimiter="\t", lang=lang)
    if suffix == ".xlsx":
        from cluster_desk.io.formats.xlsx import export_xlsx

        return export_xlsx(members, path, lang=lang)
    if suffix in GEOJSON_SUFFIXES:
        from cluster_desk.io.formats.geojson import export_geojson

        return export_geojson(members, links, path)
    if suffix == ".kml":
        from cluster_desk.io.formats.kml import export_kml

        return export_kml(members, path, name=title, lang=lang)
    if suffix == ".gpkg":
        from cluster_desk.io.formats.gpkg import export_gpkg

        return export_gpkg(members, path)
    if suffix in (".html", ".htm"):
        from cluster_desk.io.formats.htmlmap import export_html_map

        return export_html_map(members, path, title=title, lang=lang)
    raise ValueError(f"{path.name}: unknown export format '{suffix}' (use {', '.join(EXPORT_SUFFIXES)})")
