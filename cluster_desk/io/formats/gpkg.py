"""GeoPackage 1.2 rosters with plain sqlite3 (no GDAL at run time).

Export writes the minimal valid GeoPackage: ``application_id`` 'GPKG', ``user_version`` 10200,
``gpkg_spatial_ref_sys`` with the three required rows (EPSG:4326, undefined cartesian and
geographic), ``gpkg_contents``, ``gpkg_geometry_columns`` and a ``members`` feature table whose
``geom`` column holds GeoPackage binary: the GP header (little-endian, no envelope, SRS 4326)
followed by a WKB Point (x = longitude, y = latitude). Unlocated members have a NULL geometry.

Import opens the file read-only with ``trusted_schema=OFF`` and reads the first point feature
table (or ``members``), any column named like a roster field; geometries in another SRS than
EPSG:4326 (or CRS84) are refused with a message rather than misplaced.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import MEMBER_FIELDS, Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.formats.csv_roster import field_of_header

__all__ = ["export_gpkg", "gpkg_cells"]

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10200  # 1.2.0
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_SQL_TYPE = {"employees": "INTEGER", "lat": "DOUBLE", "lon": "DOUBLE"}
_COLUMNS = ("id", *MEMBER_FIELDS)
# Header: magic "GP", version 0, flags 0b0000_0001 (little endian, no envelope, not empty), srs id.
_HEADER = b"GP\x00\x01" + struct.pack("<i", 4326)
_POINT = struct.Struct("<BIdd")  # WKB: byte order 1, type 1 (Point), x, y


def _point_blob(lon: float, lat: float) -> bytes:
    return _HEADER + _POINT.pack(1, 1, lon, lat)


def export_gpkg(members: Iterable[Member], path: str | os.PathLike[str], *, layer: str = "members") -> int:
    """Write a GeoPackage with one point layer; returns the number of members. Atomic."""
    path = Path(path)
    count = 0
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            conn.execute("PRAGMA journal_mode = OFF")  # a temp file renamed only when complete
            conn.execute("BEGIN")
            conn.execute("""CREATE TABLE gpkg_spatial_ref_sys (
                srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""")
            # The three rows GeoPackage 1.2 requires (Req. 11).
            conn.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined",
                 "undefined cartesian coordinate reference system"),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
                 "undefined geographic coordinate reference system"),
                ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT,
                 "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
            ])  # fmt: skip
            conn.execute("""CREATE TABLE gpkg_contents (
                table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                description TEXT DEFAULT '',
                last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""")
            conn.execute("""CREATE TABLE gpkg_geometry_columns (
                table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""")
            cols = ", ".join(f'"{c}" {_SQL_TYPE.get(c, "TEXT")}' for c in _COLUMNS)
            conn.execute(
                f'CREATE TABLE "{layer}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, {cols})'
            )
            insert = (
                f'INSERT INTO "{layer}" (geom, {", ".join(f"{chr(34)}{c}{chr(34)}" for c in _COLUMNS)}) '
                f"VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})"
            )
            bounds = [math.inf, math.inf, -math.inf, -math.inf]

            def rows() -> Iterator[tuple[object, ...]]:
                nonlocal count
                for m in members:
                    count += 1
                    geom = None
                    if m.lat is not None and m.lon is not None:
                        geom = _point_blob(m.lon, m.lat)
                        bounds[0], bounds[1] = min(bounds[0], m.lon), min(bounds[1], m.lat)
                        bounds[2], bounds[3] = max(bounds[2], m.lon), max(bounds[3], m.lat)
                    yield (geom, *(_sql_value(getattr(m, c)) for c in _COLUMNS))

            conn.executemany(insert, rows())
            box = bounds if math.isfinite(bounds[0]) else [None] * 4
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            conn.execute(
                "INSERT INTO gpkg_contents VALUES "
                "(?, 'features', ?, 'Cluster Desk members', ?, ?, ?, ?, ?, 4326)",
                (layer, layer, now, *box),
            )
            conn.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (layer,)
            )
            conn.execute("COMMIT")
        finally:
            conn.close()
    return count


def _sql_value(value: object) -> object:
    if value is None or isinstance(value, int | float):
        return value
    return str(getattr(value, "value", value))


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _read_point(blob: object) -> tuple[float, float] | str | None:
    """(lon, lat), None for an empty geometry, or a message why the geometry is not a point."""
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        return "is not GeoPackage geometry"
    flags = blob[3]
    little = flags & 1
    env = (flags >> 1) & 7
    if env not in _ENVELOPE_BYTES:
        return "has an invalid envelope code"
    if flags & 0x10:
        return None  # empty geometry
    srs = struct.unpack("<i" if little else ">i", blob[4:8])[0]
    if srs not in (4326, 0, -1):
        return f"is in SRS {srs}, not EPSG:4326; reproject the layer to WGS 84 first"
    wkb = blob[8 + _ENVELOPE_BYTES[env] :]
    if len(wkb) < 21:
        return "is not a point"
    order = "<" if wkb[0] == 1 else ">"
    gtype = struct.unpack(order + "I", wkb[1:5])[0]
    if gtype % 1000 != 1 and gtype & 0xFF != 1:  # 1, 1001/2001/3001 (Z/M/ZM), EWKB flags
        return "is not a point"
    x, y = struct.unpack(order + "dd", wkb[5:21])
    if math.isnan(x) and math.isnan(y):
        return None  # GeoPackage's empty point
    return x, y


def gpkg_cells(path: Path) -> Iterator[tuple[int, dict[str, str] | list[tuple[str, str, str, bool]]]]:
    """(feature number, field -> text) for each row of the roster layer."""
    name = path.name
    with path.open("rb") as f:
        head = f.read(100)
    if not head:
        raise ImportFileError(f"{name}: the file is empty")
    if not head.startswith(b"SQLite format 3\x00") or len(head) < 100:
        raise ImportFileError(f"{name}: not a GeoPackage (not an SQLite database)")
    app = int.from_bytes(head[68:72], "big")
    if app not in (GPKG_APPLICATION_ID, 0x47503130, 0x47503131):  # GPKG, GP10, GP11
        raise ImportFileError(f"{name}: an SQLite database but not a GeoPackage (application id {app:#x})")
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise ImportFileError(f"{name}: cannot be opened ({e})") from None
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        layers = conn.execute(
            "SELECT c.table_name, g.column_name FROM gpkg_contents c JOIN gpkg_geometry_columns g "
            "USING (table_name) WHERE c.data_type = 'features' ORDER BY c.table_name = 'members' DESC, "
            "g.geometry_type_name IN ('POINT', 'MULTIPOINT') DESC, c.rowid"
        ).fetchall()
        if not layers:
            raise ImportFileError(f"{name}: no feature layer in the GeoPackage")
        table, geom_col = layers[0]
        cursor = conn.execute(f'SELECT * FROM "{_ident(table)}"')
        headers = [d[0] for d in cursor.description]
        geom_i = headers.index(geom_col)
        fields = {
            i: fld
            for i, h in enumerate(headers)
            if i != geom_i and (fld := field_of_header(h)) and fld not in ("lat", "lon", "latlon")
        }
        if "name" not in fields.values():
            raise ImportFileError(
                f"{name}: layer '{table}' has no name column (columns: {', '.join(headers)})"
            )
        for number, row in enumerate(cursor, start=1):
            cells: dict[str, str] = {}
            for i, fld in fields.items():
                value = row[i]
                if fld not in cells and value is not None:
                    cells[fld] = repr(value) if isinstance(value, float) else str(value)
            point = _read_point(row[geom_i])
            if isinstance(point, str):
                yield number, [("geom", "", point, False)]
                continue
            if point is not None:
                cells["lon"], cells["lat"] = repr(point[0]), repr(point[1])
            yield number, cells
    except sqlite3.Error as e:
        raise ImportFileError(f"{name}: the GeoPackage cannot be read ({e})") from None
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _ident(name: str) -> str:
    return name.replace('"', '""')
