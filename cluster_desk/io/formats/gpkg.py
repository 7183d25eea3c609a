"""GeoPackage 1.2 rosters with plain sqlite3 (no GDAL at run time).

Export writes the minimal valid GeoPackage: ``application_id`` 'GPKG', ``user_version`` 10200,
``gpkg_spatial_ref_sys`` with the three required rows (EPSG:4326, undefined cartesian and
geographic), ``gpkg_contents``, ``gpkg_geometry_columns`` and a ``members`` feature table whose
``geom`` column holds GeoPackage binary: the GP header (little-endian, no envelope, SRS 4326)
followed by a WKB Point (x = longitude, y = latitude). Unlocated members have a NULL geometry.

Import: gpkg_read.py (read-only, bounded, other SRS reprojected, any geometry gives a point).
"""

from __future__ import annotations

import math
import os
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import MEMBER_FIELDS, Member

__all__ = ["export_gpkg"]

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
