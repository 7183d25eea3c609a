"""A file an import cannot read as a whole (io.errors.ImportFileError: a code and its params)
as one line in a language, naming the file (and the line or row when known).

English is the reader's own line (``str(error)``, which can say more: sizes, limits, the ZIP
part); the other languages are written here from the code. An unknown code raises KeyError
(tests/text/test_import_file_text.py scans the readers so that none is missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cluster_desk.text.import_problems import ImportProblemText
from cluster_desk.text.speech import Speaker, Text

__all__ = ["import_file_error"]


class _FileError(Protocol):
    code: str

    @property
    def params(self) -> Mapping[str, Any]: ...


class ImportFileText(Speaker):
    def where(self, file: str, p: Mapping[str, Any]) -> str:
        if p.get("line"):
            return self.tr("%1, line %2").arg(file, int(p["line"]))
        if p.get("row"):
            return self.tr("%1, row %2").arg(file, int(p["row"]))
        return file

    def line(self, code: str, p: Mapping[str, Any], file: str) -> str:
        return self.tr("%1: %2").arg(self.where(file, p), self.reading(code, p) or self.contents(code, p))

    def reading(self, code: str, p: Mapping[str, Any]) -> str:
        """The file cannot be opened or decoded, or is not of its format."""
        if code == "no_file":
            return self.tr("no such file") if p.get("missing", True) else self.tr("not a file")
        if code == "unreadable":
            return self.tr("cannot be read (%1)").arg(p["detail"])
        if code == "empty":
            return self.tr("the file is empty")
        if code == "unknown_format":
            return self.tr("unknown format “%1”").arg(p["format"])
        if code == "xls":
            return self.tr("an old Excel .xls workbook; save it as .xlsx or CSV first")
        if code == "binary":
            return self.tr("not a text file (an Excel workbook?); save it as CSV first")
        if code == "too_large":
            return self.tr("the file is larger than an import of this format reads")
        if code == "zip_damaged":
            return self.tr("a ZIP file (XLSX or KMZ) that is damaged or cut short; copy or download it again")
        if code == "zip_bomb":
            return self.tr("the workbook would unpack to far too much; refused as a ZIP bomb")
        if code == "not_zip":
            return self.tr("not an XLSX workbook (not a ZIP archive); save an old .xls as .xlsx or CSV first")
        if code == "not_xlsx":
            return self.tr("not a readable XLSX workbook (%1)").arg(p["detail"])
        if code == "decode":
            return self.tr("cannot decode as %1 (%2)").arg(p["encoding"], p["detail"])
        if code == "csv":
            return self.tr("not a readable CSV file (%1)").arg(p["detail"])
        if code == "not_utf8":
            return self.tr("byte %1 is not UTF-8; GeoJSON must be UTF-8").arg(p["byte"])
        if code == "not_json":
            return self.tr("not valid GeoJSON (%1)").arg(p["detail"])
        if code == "too_deep":
            return self.tr("nested too deeply; not a GeoJSON roster")
        if code == "not_geojson":
            return self.tr("not a GeoJSON FeatureCollection or Feature")
        if code == "not_kmz":
            return self.tr("a ZIP archive without a .kml inside; not a KMZ")
        if code == "xml_refused":
            return self.tr("refused: the XML uses entities or a DTD")
        if code == "not_xml":
            return self.tr("not valid XML (%1)").arg(p["detail"])
        if code == "not_kml":
            return self.tr("not a KML file (root element <%1>)").arg(p["root"])
        if code == "not_gpkg":
            return self.tr("not a GeoPackage")
        return ""

    def contents(self, code: str, p: Mapping[str, Any]) -> str:
        """The file is read but holds no roster (or links) we can use."""
        if code == "mapping":
            return self.tr("column mapping applies to CSV and XLSX files only")
        if code == "broken_rows":
            return self.tr("%1 rows in a row have cells over %2 characters; not a roster as it stands").arg(
                p["rows"], p["limit"]
            )
        if code == "crs_late":
            return self.tr("the “crs” comes after the features; move it first or save the file as WGS 84")
        if code == "crs_unreadable":
            return self.tr("a “crs” without a name (legacy GeoJSON); save the file as WGS 84")
        if code == "crs_unknown":
            return self.tr(
                "the coordinate system “%1” is not known; save the file as WGS 84 (EPSG:4326)"
            ).arg(p["crs"])
        if code == "srs_undeclared":
            return self.tr("geometries in SRS %1, which the GeoPackage does not declare").arg(p["srs"])
        if code == "srs_unknown":
            return self.tr(
                "geometries in SRS %1, which cannot be read; reproject the layer to WGS 84 (EPSG:4326) first"
            ).arg(p["srs"])
        if code == "no_layer":
            return self.tr("no feature layer in the GeoPackage")
        if code == "gpkg_runaway":
            return self.tr("the layer produced no row (a view that never finishes?); nothing was read")
        if code == "stopped":
            return ImportProblemText(self.text).stopped(dict(p))
        if code == "no_sheet":
            return self.tr("no sheet “%1” (sheets: %2)").arg(p["sheet"], p["sheets"])
        if code == "empty_sheet":
            return self.tr("the sheet “%1” is empty (no header row)").arg(p["sheet"])
        if code == "bad_sheet":
            return self.tr("the sheet cannot be read (%1)").arg(p["detail"])
        if code == "no_name_column":
            return self.tr("no name column (columns: %1); name one “name” or “наименование”, or map one").arg(
                p["columns"]
            )
        if code == "no_such_column":
            return self.tr("no column “%1” to map (columns: %2)").arg(p["column"], p["columns"])
        if code == "unknown_field":
            return self.tr("cannot map column “%1” to unknown field “%2” (fields: %3)").arg(
                p["column"], p["field"], p["fields"]
            )
        if code == "no_links_sheet":
            return self.tr("no links sheet (name it «Связи» or «Links»)")
        if code == "no_links_layer":
            return self.tr("no links layer (a LINESTRING layer or a “links” table)")
        if code == "not_links_table":
            return self.tr(
                "not a links table: no two columns name the ends of a link "
                "(Поставщик/Покупатель, Участник 1/Участник 2, from/to, source/target)"
            )
        raise KeyError(code)


def import_file_error(error: _FileError, text: Text, file: str) -> str:
    """The line for an unreadable ``file`` in ``text``'s language (English: the reader's own)."""
    if text.lang == "en":
        return str(error)
    return ImportFileText(text).line(error.code, error.params, file)
