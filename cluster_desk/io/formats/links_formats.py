"""Links in the spatial and spreadsheet formats: readers of link rows and writers with links.

- XLSX: the members sheet plus a «Связи» / "Links" sheet (read: the sheet named so);
- GeoJSON: LineString features (``export_geojson`` writes them; read here with their properties);
- KML: a «Связи» folder of LineString placemarks with ExtendedData;
- GeoPackage: a ``links`` feature table with LINESTRING geometry (GDAL/QGIS show it as a line
  layer) next to the members layer.
Readers yield ``(number, {link field: text})`` for ``io.links.import_link_rows``.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cluster_desk.atomic import WRITE_BUFFER, atomic_path
from cluster_desk.core.model import Link, Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.link_words import EXPORT_LINK_FIELDS, header, is_links_table, link_field_of_header
from cluster_desk.io.links import Cells, LinkRows, link_cells, link_cells_table
from cluster_desk.io.vocabulary import norm

__all__ = [
    "detect",
    "export_gpkg_with_links",
    "export_kml_with_links",
    "export_xlsx_with_links",
    "geojson_link_rows",
    "gpkg_link_rows",
    "kml_link_rows",
    "xlsx_link_rows",
]

LINKS_SHEET = {"en": "Links", "ru": "Связи"}
_SHEET_NAMES = {norm(s) for s in ("Связи", "Links", "Link", "Связь", "Связи участников", "Кооперация")}
_KML_NS = "http://www.opengis.net/kml/2.2"


def detect(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(64)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "geojson"
    if stripped.startswith(b"<"):
        return "kml"
    return "csv"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


# --- XLSX ------------------------------------------------------------------------------------------


def links_sheet_name(path: Path) -> str | None:
    from openpyxl import load_workbook

    from cluster_desk.io.formats.xlsx import check_zip

    check_zip(path)
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return next((s for s in wb.sheetnames if norm(s) in _SHEET_NAMES), None)
    finally:
        wb.close()


def xlsx_link_rows(path: Path, problems: list[Any] | None = None) -> tuple[dict[str, str], LinkRows, Any]:
    """The links sheet's rows; rows the sheet reader itself refuses (a formula with no saved
    value) go to ``problems``."""
    from cluster_desk.io.formats.xlsx import XlsxTable

    sheet = links_sheet_name(path)
    if sheet is None:
        raise ImportFileError(f"{path.name}: no links sheet (name it «Связи» or «Links»)", "no_links_sheet")
    table = XlsxTable(path, sheet=sheet)
    if problems is not None:
        table.problems = problems
    mapping, rows = link_cells_table(table.headers, table.rows())
    return mapping, rows, table.close


def export_xlsx_with_links(
    members: Iterable[Member], links: Iterable[Link], path: str | os.PathLike[str], *, lang: str = "en"
) -> int:
    """Members sheet (as ``export_xlsx`` writes it) and a links sheet; text forced to text. Atomic."""
    from cluster_desk.io.formats.export_words import normalise_lang, table_header, table_values
    from cluster_desk.io.formats.xlsx import members_sheet_name
    from cluster_desk.io.formats.xlsx_write import write_workbook

    members = list(members)
    lang = normalise_lang(lang)

    def member_rows() -> Iterator[list[Any]]:
        yield table_header(lang)
        for m in members:
            yield table_values(m, lang)

    def link_rows() -> Iterator[list[Any]]:
        yield [header(c, lang) for c in EXPORT_LINK_FIELDS]
        by_id = {m.id: m for m in members}
        for lk in links:
            cells = link_cells(lk, by_id, lang)
            yield [cells[c] for c in EXPORT_LINK_FIELDS]

    with atomic_path(Path(path)) as tmp, tmp.open("xb", buffering=WRITE_BUFFER) as f:
        write_workbook(f, [(members_sheet_name(lang), member_rows()), (LINKS_SHEET[lang], link_rows())])
    return len(members)


# --- GeoJSON ----------------------------------------------------------------------------------------


def _prop_cells(props: dict[str, Any]) -> Cells:
    cells: Cells = {}
    for key, value in props.items():
        fld = link_field_of_header(str(key))
        if fld and fld not in cells:
            cells[fld] = _cell_text(value)
    return cells


def geojson_link_rows(path: Path) -> Iterator[tuple[int, Cells]]:
    try:
        doc = json.loads(
            path.read_text(encoding="utf-8-sig"),
            parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)),
        )
    except (ValueError, UnicodeDecodeError) as e:
        raise ImportFileError(f"{path.name}: not a GeoJSON file ({e})", "not_json", detail=str(e)) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFileError(f"{path.name}: no FeatureCollection", "not_geojson")
    for n, f in enumerate(features, start=1):
        if not isinstance(f, dict):
            continue
        geom = f.get("geometry")
        props = f.get("properties")
        is_line = isinstance(geom, dict) and geom.get("type") in ("LineString", "MultiLineString")
        if not isinstance(props, dict):
            continue
        # A link with an unplaced end has no geometry: ours marks it, GDAL's copy names both ends.
        unplaced = geom is None and (props.get("feature") == "link" or is_links_table([*map(str, props)]))
        if is_line or unplaced:
            cells = _prop_cells(props)
            if "id" not in cells and isinstance(f.get("id"), str):
                cells["id"] = f["id"]
            yield n, cells


# --- KML ------------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    from cluster_desk.io.formats.kml import _escape_xml

    return _escape_xml(text)


def export_kml_with_links(
    members: Iterable[Member],
    links: Iterable[Link],
    path: str | os.PathLike[str],
    *,
    name: str = "",
    lang: str = "en",
) -> int:
    """The members' KML plus a folder of LineString placemarks, one per located link. Atomic."""
    from cluster_desk.io.formats.kml import export_kml

    members = list(members)
    by_id = {m.id: m for m in members}
    path = Path(path)

    def links_folder(write: Callable[[str], object]) -> None:
        write(f"<Folder><name>{_esc(LINKS_SHEET.get(lang, 'Links'))}</name>\n")
        for lk in links:
            write(_kml_link(lk, by_id, lang))
        write("</Folder>\n")

    return export_kml(members, path, name=name or path.stem, lang=lang, more=links_folder)


def _kml_link(lk: Link, by_id: dict[str, Member], lang: str) -> str:
    a, b = by_id.get(lk.source), by_id.get(lk.target)
    cells = link_cells(lk, by_id, lang)
    parts = [f"<Placemark><name>{_esc(str(cells['source']))} – {_esc(str(cells['target']))}</name>\n",
             "<ExtendedData>\n"]
    for c in EXPORT_LINK_FIELDS:
        value = cells[c]
        if value is None or value == "":
            continue
        parts.append(f'<Data name="{c}"><value>{_esc(_cell_text(value))}</value></Data>\n')
    parts.append("</ExtendedData>\n")
    if a is not None and b is not None and a.located and b.located:
        parts.append(f"<LineString><tessellate>1</tessellate><coordinates>{a.lon!r},{a.lat!r} "
                     f"{b.lon!r},{b.lat!r}</coordinates></LineString>\n")
    parts.append("</Placemark>\n")
    return "".join(parts)


def kml_link_rows(path: Path) -> Iterator[tuple[int, Cells]]:
    """Placemarks with a LineString (or in a links folder) and ExtendedData naming link fields."""
    from defusedxml.ElementTree import iterparse

    n = 0
    try:
        for _, elem in iterparse(str(path), events=("end",)):
            if elem.tag.rsplit("}", 1)[-1] != "Placemark":
                continue
            n += 1
            cells: Cells = {}
            has_line = False
            for child in elem.iter():
                tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
                if tag == "LineString":
                    has_line = True
                elif tag in ("Data", "SimpleData"):  # ours, and GDAL's (a schema's fields)
                    fld = link_field_of_header(child.get("name", ""))
                    if tag == "Data":
                        value = next((v.text or "" for v in child if str(v.tag).endswith("value")), "")
                    else:
                        value = child.text or ""
                    if fld and fld not in cells:
                        cells[fld] = value
            names_ends = {"source", "target"} <= cells.keys() or {"source_id", "target_id"} <= cells.keys()
            if names_ends or (has_line and {"source", "target"} & cells.keys()):
                yield n, cells
            elem.clear()
    except Exception as e:  # defusedxml / ParseError
        if isinstance(e, ImportFileError):
            raise
        raise ImportFileError(f"{path.name}: not a readable KML file ({type(e).__name__}: {e})", "not_xml",
                              detail=f"{type(e).__name__}: {e}") from None


# --- GeoPackage --------------------------------------------------------------------------------------

_HEADER = b"GP\x00\x01" + struct.pack("<i", 4326)
_SQL_TYPE = {"volume": "DOUBLE", "share": "DOUBLE"}


def _line_blob(a: Member, b: Member) -> bytes:
    return _HEADER + struct.pack("<BII4d", 1, 2, 2, a.lon, a.lat, b.lon, b.lat)


def export_gpkg_with_links(
    members: Iterable[Member], links: Iterable[Link], path: str | os.PathLike[str], *, lang: str = "en"
) -> int:
    """The members point layer and a ``links`` LINESTRING layer in one GeoPackage. Atomic."""
    from cluster_desk.io.formats.gpkg import export_gpkg

    members = list(members)
    by_id = {m.id: m for m in members}
    path = Path(path)
    with atomic_path(path) as tmp:
        count = export_gpkg(members, tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("BEGIN")
            cols = ", ".join(f'"{c}" {_SQL_TYPE.get(c, "TEXT")}' for c in EXPORT_LINK_FIELDS)
            conn.execute(
                "CREATE TABLE links (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
                f"geom LINESTRING, {cols})"
            )
            bounds = [math.inf, math.inf, -math.inf, -math.inf]
            rows = []
            for lk in links:
                a, b = by_id.get(lk.source), by_id.get(lk.target)
                geom = None
                if a is not None and b is not None and a.located and b.located:
                    geom = _line_blob(a, b)
                    for m in (a, b):
                        assert m.lat is not None and m.lon is not None
                        bounds = [min(bounds[0], m.lon), min(bounds[1], m.lat),
                                  max(bounds[2], m.lon), max(bounds[3], m.lat)]  # fmt: skip
                cells = link_cells(lk, by_id, lang)
                rows.append((geom, *(cells[c] for c in EXPORT_LINK_FIELDS)))
            names = ", ".join(f'"{c}"' for c in EXPORT_LINK_FIELDS)
            conn.executemany(
                f"INSERT INTO links (geom, {names}) VALUES (?{', ?' * len(EXPORT_LINK_FIELDS)})",
                rows,
            )
            box = bounds if math.isfinite(bounds[0]) else [None] * 4
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            conn.execute(
                "INSERT INTO gpkg_contents VALUES ('links', 'features', 'links', "
                "'Cluster Desk links', ?, ?, ?, ?, ?, 4326)",
                (now, *box),
            )
            conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES ('links', 'geom', 'LINESTRING', 4326, 0, 0)"
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
    return count


def gpkg_link_rows(path: Path) -> Iterator[tuple[int, Cells]]:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise ImportFileError(f"{path.name}: cannot be opened ({e})", "unreadable", detail=str(e)) from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT c.table_name FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name) "
                "WHERE g.geometry_type_name IN ('LINESTRING', 'MULTILINESTRING') "
                "ORDER BY c.table_name = 'links' DESC"
            )
        ]
        if not tables:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'links'"
                )
            ]
        if not tables:
            raise ImportFileError(f"{path.name}: no links layer (a LINESTRING layer or a 'links' table)",
                                  "no_links_layer")
        table = tables[0].replace('"', '""')
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        fields = {i: link_field_of_header(n) for i, n in enumerate(names)}
        for n, row in enumerate(cursor, start=1):
            yield n, {f: _cell_text(row[i]) for i, f in fields.items() if f}
    except sqlite3.Error as e:
        raise ImportFileError(f"{path.name}: not a readable GeoPackage ({e})", "unreadable",
                              detail=str(e)) from None
    finally:
        conn.close()
