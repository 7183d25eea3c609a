"""GeoPackage rosters in, with plain sqlite3 (no GDAL at run time), bounded in time and rows.

The file is opened read-only with ``trusted_schema=OFF``. The roster layer is ``members`` or
the first point layer (else the first feature layer). Geometries in another SRS than WGS 84
(EPSG:3857, a UTM zone...) are reprojected with pyproj from the SRS the GeoPackage declares; an
SRS pyproj cannot read is refused rather than misplaced. Non-point geometries give a point on
them (shapely) with a note. A layer that is a view is read like a table, but a query that runs
MAX_STEPS_WITHOUT_ROW virtual-machine steps without producing a row (a recursive view that
never finishes) is interrupted, and reading stops after MAX_ROWS rows, saying why.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.rows import Cells, Issue
from cluster_desk.io.vocabulary import field_of_header

__all__ = ["MAX_ROWS", "MAX_STEPS_WITHOUT_ROW", "gpkg_cells"]

GPKG_APPLICATION_IDS = (0x47504B47, 0x47503130, 0x47503131)  # GPKG, GP10, GP11
MAX_ROWS = 2_000_000
#: SQLite VM steps allowed between two rows (a plain table needs a few hundred per row).
MAX_STEPS_WITHOUT_ROW = 50_000_000
_PROGRESS_EVERY = 10_000
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_WGS84_SRS = (4326, 0, -1)
_NOT_CELLS = ("lat", "lon", "latlon", "size_class")  # the position comes from the geometry


def _geometry(blob: object) -> tuple[int, bytes] | str | None:
    """(srs id, WKB), None for an empty geometry, or a message why the blob is not one."""
    if blob is None:
        return None
    if not isinstance(blob, bytes) or len(blob) < 8 or blob[:2] != b"GP":
        return "is not GeoPackage geometry"
    flags = blob[3]
    env = (flags >> 1) & 7
    if env not in _ENVELOPE_BYTES:
        return "has an invalid envelope code"
    if flags & 0x10:
        return None  # empty geometry
    srs = struct.unpack("<i" if flags & 1 else ">i", blob[4:8])[0]
    return srs, blob[8 + _ENVELOPE_BYTES[env]:]


def _wkb_position(wkb: bytes) -> tuple[float, float, bool] | str | None:
    """(x, y, is a point) of a WKB geometry (a point on it for other types), None if empty."""
    if len(wkb) >= 21 and wkb[0] in (0, 1):
        order = "<" if wkb[0] == 1 else ">"
        gtype = struct.unpack(order + "I", wkb[1:5])[0]
        if gtype % 1000 == 1 or gtype & 0xFF == 1:  # Point, Z/M/ZM, EWKB flags: the fast path
            x, y = struct.unpack(order + "dd", wkb[5:21])
            return None if math.isnan(x) and math.isnan(y) else (x, y, True)
    try:
        from shapely import wkb as shapely_wkb

        point = shapely_wkb.loads(wkb).representative_point()
    except Exception:  # shapely raises several types for malformed WKB
        return "is not a geometry that can be read"
    if point.is_empty or math.isnan(point.x):
        return None
    return point.x, point.y, False


class _Budget:
    """The progress handler: interrupt a statement that runs too long without producing a row."""

    def __init__(self) -> None:
        self.calls = 0
        self.tripped = False

    def __call__(self) -> int:
        self.calls += 1
        if self.calls * _PROGRESS_EVERY > MAX_STEPS_WITHOUT_ROW:
            self.tripped = True
            return 1  # non-zero: SQLite interrupts the statement
        return 0


def _transformers(conn: sqlite3.Connection, name: str) -> dict[int, Any]:
    """srs id -> transformer to WGS 84 lon/lat, for every SRS the file declares but WGS 84."""
    out: dict[int, Any] = {}
    try:
        rows = conn.execute("SELECT srs_id, organization, organization_coordsys_id, definition "
                            "FROM gpkg_spatial_ref_sys").fetchall()
    except sqlite3.Error:
        return out
    for srs_id, org, code, definition in rows:
        if srs_id in _WGS84_SRS or not isinstance(srs_id, int):
            continue
        out[srs_id] = (org, code, definition)
    return out


def _transformer_for(declared: Any, srs: int, name: str) -> Any:
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    if declared is None:
        raise ImportFileError(f"{name}: geometries in SRS {srs}, which the GeoPackage does not declare",
                              "srs_undeclared", srs=srs)
    org, code, definition = declared
    crs = None
    with contextlib.suppress(CRSError, TypeError, ValueError):
        crs = CRS.from_authority(str(org), int(code)) if org and str(org).upper() != "NONE" else None
    if crs is None:
        try:
            crs = CRS.from_wkt(str(definition))
        except CRSError:
            raise ImportFileError(f"{name}: geometries in SRS {srs}, which cannot be read; reproject the "
                                  "layer to WGS 84 (EPSG:4326) first", "srs_unknown", srs=srs) from None
    if crs.to_epsg() == 4326:
        return None
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def _check_header(path: Path) -> None:
    name = path.name
    with path.open("rb") as f:
        head = f.read(100)
    if not head:
        raise ImportFileError(f"{name}: the file is empty", "empty")
    if not head.startswith(b"SQLite format 3\x00") or len(head) < 100:
        raise ImportFileError(f"{name}: not a GeoPackage (not an SQLite database)", "not_gpkg")
    app = int.from_bytes(head[68:72], "big")
    if app not in GPKG_APPLICATION_IDS:
        raise ImportFileError(f"{name}: an SQLite database but not a GeoPackage (application id {app:#x})",
                              "not_gpkg")


def gpkg_cells(path: Path, result: ImportResult | None = None) -> Iterator[tuple[int, Cells | list[Issue]]]:
    """(feature number, field -> text or issues) for each row of the roster layer."""
    name = path.name
    _check_header(path)
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise ImportFileError(f"{name}: cannot be opened ({e})", "unreadable", detail=str(e)) from None
    budget = _Budget()
    conn.set_progress_handler(budget, _PROGRESS_EVERY)
    number = 0
    layers: list[Any] = []
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        layers = conn.execute(
            "SELECT c.table_name, g.column_name FROM gpkg_contents c JOIN gpkg_geometry_columns g "
            "USING (table_name) WHERE c.data_type = 'features' ORDER BY c.table_name = 'members' DESC, "
            "g.geometry_type_name IN ('POINT', 'MULTIPOINT') DESC, c.rowid"
        ).fetchall()
        if not layers:
            raise ImportFileError(f"{name}: no feature layer in the GeoPackage", "no_layer")
        table, geom_col = layers[0]
        declared = _transformers(conn, name)
        transformers: dict[int, Any] = {}
        budget.calls = 0
        cursor = conn.execute(f'SELECT * FROM "{_ident(table)}"')
        headers = [d[0] for d in cursor.description]
        geom_i = headers.index(geom_col) if geom_col in headers else -1
        fields = {
            i: fld for i, h in enumerate(headers)
            if i != geom_i and (fld := field_of_header(h)) and fld not in _NOT_CELLS
        }
        if "name" not in fields.values():
            raise ImportFileError(f"{name}: layer '{table}' has no name column (columns: "
                                  f"{', '.join(headers)[:300]})", "no_name_column",
                                  columns=", ".join(headers)[:300])
        for row in cursor:
            budget.calls = 0
            number += 1
            if number > MAX_ROWS:
                _stop(result, name, f"the layer has more than {MAX_ROWS:,} rows; the rest is not read",
                      {"reason": "max_rows", "limit": MAX_ROWS})
                return
            cells = Cells()
            for i, fld in fields.items():
                value = row[i]
                if fld not in cells and value is not None:
                    cells[fld] = repr(value) if isinstance(value, float) else str(value)
            geom = _geometry(row[geom_i]) if geom_i >= 0 else None
            if isinstance(geom, str):
                yield number, [Issue("geom", "", geom, "bad_geometry")]
                continue
            if geom is not None:
                srs, wkb = geom
                position = _wkb_position(wkb)
                if isinstance(position, str):
                    cells.notes.append(Issue("geom", "", position + "; imported without a location",
                                             "bad_geometry", fatal=False))
                elif position is not None:
                    x, y, is_point = position
                    if srs not in _WGS84_SRS:
                        if srs not in transformers:
                            transformers[srs] = _transformer_for(declared.get(srs), srs, name)
                        if transformers[srs] is not None:
                            x, y = transformers[srs].transform(x, y)
                    if not is_point:
                        cells.notes.append(Issue("geom", "", f"is not a point; the member is placed at a "
                                                 f"point on it ({y:.5f}, {x:.5f})", "point_on_surface",
                                                 {"lat": y, "lon": x}, fatal=False))
                    cells["lon"], cells["lat"] = repr(x), repr(y)
            yield number, cells
    except sqlite3.OperationalError as e:
        if budget.tripped:
            why = (f"the layer '{_ident_shown(layers)}' did not produce a row within "
                   f"{MAX_STEPS_WITHOUT_ROW:,} steps (a view that never finishes?)")
            if number == 0:
                raise ImportFileError(f"{name}: {why}; nothing was read", "gpkg_runaway") from None
            _stop(result, name, why + f"; stopped after {number:,} rows",
                  {"reason": "runaway", "steps": MAX_STEPS_WITHOUT_ROW, "rows": number})
            return
        raise ImportFileError(f"{name}: the GeoPackage cannot be read ({e})", "unreadable",
                              detail=str(e)) from None
    except sqlite3.Error as e:
        raise ImportFileError(f"{name}: the GeoPackage cannot be read ({e})", "unreadable",
                              detail=str(e)) from None
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _ident_shown(layers: list[Any]) -> str:
    return str(layers[0][0])[:60] if layers else ""


def _stop(result: ImportResult | None, name: str, why: str, params: dict[str, Any]) -> None:
    if result is None:
        raise ImportFileError(f"{name}: {why}", "stopped", **params)
    result.stopped = why
    result.warnings.append(ImportProblem(name, 0, "", "", f"reading stopped: {why}", "file", code="stopped",
                                         params=params))


def _ident(name: str) -> str:
    return name.replace('"', '""')
