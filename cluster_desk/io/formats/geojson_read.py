"""GeoJSON rosters in: streamed feature by feature, any geometry, legacy ``crs`` reprojected.

- The text is read once; the top-level object is walked key by key and the ``features`` array
  element by element (``JSONDecoder.raw_decode``), so memory holds the text and one feature,
  never a list of millions of objects. Reading stops, saying why, after MAX_FEATURES features or
  MAX_NOT_FEATURES items in a row that are not Features.
- Point features give the position; MultiPoint, LineString, Polygon, Multi* and
  GeometryCollection give a point on the geometry (shapely's ``representative_point``), with a
  note; a broken geometry leaves the member unlocated, with a note. Our own link LineStrings
  (``properties.feature == "link"``) are not members and are passed over.
- A feature's properties are read by a plan of their keys (``_plan``: which key gives which field,
  whether they name a link's ends), worked out once per list of keys: field_of_header and the
  links test per key and feature were ~half of the reading (100k features of our export: the
  import against our CSV import 2.47-2.57x -> 1.70-1.87x CPU, same-run pairs under load).
- A legacy ``"crs"`` (GeoJSON 2008) other than WGS 84, e.g. EPSG:3857, is reprojected with
  pyproj; a crs that cannot be read is refused rather than guessed.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.rows import Cells, Issue
from cluster_desk.io.vocabulary import field_of_header

__all__ = ["MAX_FEATURES", "MAX_GEOJSON_BYTES", "MAX_NOT_FEATURES", "geojson_cells"]

#: GeoJSON larger than this is refused before reading (the text is held in memory).
MAX_GEOJSON_BYTES = 512 * 1024 * 1024
MAX_FEATURES = 2_000_000
MAX_NOT_FEATURES = 1_000
_WS = re.compile(r"[ \t\n\r]*")
_WGS84_NAMES = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326", "crs84",
                "urn:ogc:def:crs:ogc::crs84", "http://www.opengis.net/def/crs/ogc/1.3/crs84"}

Item = tuple[int, Cells | list[Issue]]
_UNLOCATED = "; imported without a location"


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in GeoJSON")


def _read_text(path: Path) -> str:
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{name}: the file is empty", "empty")
    if size > MAX_GEOJSON_BYTES:
        raise ImportFileError(f"{name}: {size:,} bytes is more than the {MAX_GEOJSON_BYTES:,} a GeoJSON "
                              "import reads; use CSV or GeoPackage for rosters this large", "too_large")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise ImportFileError(f"{name}, line {line}: byte 0x{data[e.start]:02X} is not UTF-8; GeoJSON "
                              "must be UTF-8", "not_utf8", line=line, byte=f"0x{data[e.start]:02X}") from None
    if not text.strip():
        raise ImportFileError(f"{name}: the file is empty", "empty")
    return text


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.name, self.text = path.name, text
        self.decoder = json.JSONDecoder(parse_constant=_reject_constant)

    def fail(self, at: int, what: str) -> ImportFileError:
        line = self.text.count("\n", 0, at) + 1
        return ImportFileError(f"{self.name}, line {line}: not valid GeoJSON ({what})", "not_json", line=line,
                               detail=what)

    def skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]

    def value(self, i: int) -> tuple[Any, int]:
        try:
            return self.decoder.raw_decode(self.text, i)
        except RecursionError:
            raise ImportFileError(f"{self.name}: nested too deeply (over {sys.getrecursionlimit()} "
                                  "levels); not a GeoJSON roster", "too_deep") from None
        except ValueError as e:  # JSONDecodeError, and _reject_constant's NaN/Infinity
            raise self.fail(getattr(e, "pos", i), str(e).split(":")[0]) from None

    def expect(self, i: int, char: str) -> int:
        i = self.skip(i)
        if self.text[i:i + 1] != char:
            raise self.fail(i, f"expected '{char}'")
        return i + 1


def geojson_cells(path: Path, result: ImportResult) -> Iterator[Item]:
    """(feature number, cells or issues) per feature; file-level trouble raises ImportFileError."""
    text = _read_text(path)
    r = _Reader(path, text)
    i = r.skip(0)
    if text[i:i + 1] != "{":
        raise ImportFileError(f"{path.name}: not a GeoJSON FeatureCollection or Feature", "not_geojson")
    top: dict[str, Any] = {}
    saw_features = False
    i += 1
    while True:
        i = r.skip(i)
        if text[i:i + 1] == "}":
            break
        if text[i:i + 1] != '"':
            raise r.fail(i, "expected a key")
        try:
            key, i = scanstring(text, i + 1)
        except ValueError as e:
            raise r.fail(i, str(e).split(":")[0]) from None
        i = r.skip(r.expect(i, ":"))
        if key == "features" and text[i:i + 1] == "[" and top.get("type", "FeatureCollection") == \
                "FeatureCollection":
            saw_features = True
            transform = _transformer(path.name, top.get("crs"))
            i = yield from _features(r, i + 1, result, transform)
            if result.stopped:
                return
        else:
            if key == "crs" and saw_features:
                raise ImportFileError(f"{path.name}: the 'crs' comes after the features; move it first "
                                      "or save the file as WGS 84", "crs_late")
            top[key], i = r.value(i)
        i = r.skip(i)
        if text[i:i + 1] == ",":
            i += 1
            continue
        if text[i:i + 1] != "}":
            raise r.fail(i, "expected ',' or '}'")
        break
    kind = top.get("type")
    if kind == "Feature" and not saw_features:
        yield 1, _feature_cells(top, _transformer(path.name, top.get("crs")))
    elif kind not in ("FeatureCollection", None) or (kind is None and not saw_features):
        raise ImportFileError(f"{path.name}: not a GeoJSON FeatureCollection or Feature", "not_geojson")
    elif not saw_features and "features" in top:
        raise ImportFileError(f"{path.name}: 'features' is not a list", "not_geojson")


def _features(r: _Reader, i: int, result: ImportResult, transform: Any) -> Iterator[Item]:
    """Walk the features array from just after '['; returns the index after ']'."""
    text = r.text
    number = not_features = 0
    i = r.skip(i)
    if text[i:i + 1] == "]":
        return i + 1
    while True:
        feature, i = r.value(r.skip(i))
        number += 1
        cells = _feature_cells(feature, transform)
        if isinstance(feature, dict) and feature.get("type") == "Feature":
            not_features = 0
        else:
            not_features += 1
        if cells is not None:
            yield number, cells
        if not_features >= MAX_NOT_FEATURES or number >= MAX_FEATURES:
            why = (f"{MAX_NOT_FEATURES:,} items in a row (to item {number:,}) are not GeoJSON Features"
                   if not_features >= MAX_NOT_FEATURES
                   else f"the file has more than {MAX_FEATURES:,} features")
            result.stopped = f"{why}; the rest of the file is not read"
            params: dict[str, Any] = {"reason": "max_features", "limit": MAX_FEATURES}
            if not_features >= MAX_NOT_FEATURES:
                params = {"reason": "not_features", "count": MAX_NOT_FEATURES, "item": number}
            result.warnings.append(_stopped_note(r.name, result.stopped, params))
            return len(text)  # the caller stops at the end of the text
        i = r.skip(i)
        if text[i:i + 1] == ",":
            i += 1
            continue
        if text[i:i + 1] == "]":
            return i + 1
        raise r.fail(i, "expected ',' or ']' between features")


def _stopped_note(name: str, why: str, params: dict[str, Any]) -> ImportProblem:
    return ImportProblem(name, 0, "", "", f"reading stopped: {why}", "file", code="stopped",
                         params=params)


def _transformer(name: str, crs: Any) -> Any:
    """None for WGS 84 (or no crs); else a pyproj transformer to WGS 84 lon/lat."""
    if crs is None:
        return None
    crs_name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(crs_name, str) or not crs_name.strip():
        raise ImportFileError(f"{name}: a 'crs' without a name (legacy GeoJSON); save the file as WGS 84",
                              "crs_unreadable")
    if crs_name.strip().lower() in _WGS84_NAMES:
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs_name.strip())
    except CRSError:
        raise ImportFileError(f"{name}: the coordinate system '{crs_name[:60]}' is not known; save the "
                              "file as WGS 84 (EPSG:4326)", "crs_unknown", crs=crs_name[:60]) from None
    if source.to_epsg() == 4326:
        return None
    return Transformer.from_crs(source, "EPSG:4326", always_xy=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:200]
    return str(value)


def _number_pair(coords: Any) -> bool:
    return (isinstance(coords, list) and len(coords) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2]))


class _Plan(NamedTuple):
    """What a feature's property keys give: (key, field) for each field, from its first key;
    whether the keys name both ends of a link."""

    fields: tuple[tuple[str, str], ...]
    link_ends: bool


_PLANS: dict[tuple[str, ...], _Plan] = {}  # a file's features share a few lists of keys
_NOT_CELLS = frozenset({"lat", "lon", "latlon", "size_class"})
_LINE_KINDS = (None, "LineString", "MultiLineString")


def _plan(keys: tuple[str, ...]) -> _Plan:
    from cluster_desk.io.link_words import is_links_table

    fields: dict[str, str] = {}
    for key in keys:
        fld = field_of_header(key)
        if fld and fld not in fields and fld not in _NOT_CELLS:
            fields[fld] = key
    plan = _Plan(tuple((key, fld) for fld, key in fields.items()), is_links_table(list(keys)))
    if len(_PLANS) < 1_000:  # bounded whatever a hostile file invents
        _PLANS[keys] = plan
    return plan


_new_cells = Cells.__new__


def _feature_cells(feature: Any, transform: Any) -> Cells | list[Issue] | None:
    """Cells of a member feature, issues of a broken one, None for our link features."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [Issue("", "", "is not a GeoJSON Feature", "not_feature")]
    geometry = feature.get("geometry")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return [Issue("", "", "has properties that are not an object", "bad_properties")]
    keys = tuple(props)  # (JSON object keys are str)
    plan = _PLANS.get(keys) or _plan(keys)
    if props.get("feature") == "link" or (
            plan.link_ends and (geometry.get("type") if isinstance(geometry, dict) else None) in _LINE_KINDS):
        # links (our export's LineStrings, or a line or geometry-less feature whose properties name
        # both ends, as ogr2ogr copies our links layer) are not members: the links importer's
        return None
    cells = _new_cells(Cells)  # Cells() runs its __init__ through super(): ~3x the cost
    cells.notes = []
    for key, fld in plan.fields:
        value = props[key]
        cells[fld] = value if type(value) is str else _cell(value)
    if "id" not in cells and isinstance(feature.get("id"), str):
        cells["id"] = feature["id"]
    if geometry is None:
        return cells
    if not isinstance(geometry, dict):
        cells.notes.append(Issue("geometry", str(geometry)[:60], "is not a GeoJSON geometry; imported "
                                 "without a location", "bad_geometry", fatal=False))
        return cells
    kind = str(geometry.get("type"))
    if kind == "Point":
        coords = geometry.get("coordinates")
        if not _number_pair(coords):
            cells.notes.append(Issue("coordinates", json.dumps(coords, ensure_ascii=False)[:60],
                                     "is not a [longitude, latitude] pair of numbers" + _UNLOCATED,
                                     "bad_coordinates", fatal=False))
            return cells
        x, y = float(coords[0]), float(coords[1])
    else:
        try:
            from shapely.geometry import shape

            point = shape(geometry).representative_point()
            x, y = point.x, point.y
        except Exception:  # shapely raises several types for malformed geometries
            cells.notes.append(Issue("geometry", kind[:40], "is a geometry that cannot be read; imported "
                                     "without a location", "bad_geometry", {"type": kind[:40]}, fatal=False))
            return cells
        if math.isnan(x) or math.isnan(y):
            cells.notes.append(Issue("geometry", kind[:40], "is empty; imported without a location",
                                     "empty_geometry", {"type": kind[:40]}, fatal=False))
            return cells
    if not (math.isfinite(x) and math.isfinite(y)):  # e.g. 1e999 parses to inf
        cells.notes.append(Issue("coordinates", f"{x}, {y}", "is not a finite position" + _UNLOCATED,
                                 "not_finite", fatal=False))
        return cells
    if transform is not None:
        x, y = transform.transform(x, y)
        if not (math.isfinite(x) and math.isfinite(y)):
            cells.notes.append(Issue("coordinates", "", "cannot be converted to latitude and longitude"
                                     + _UNLOCATED, "crs_failed", fatal=False))
            return cells
    if kind != "Point":
        cells.notes.append(Issue("geometry", kind[:40], f"is a {kind[:40]}, not a point; the member is "
                                 f"placed at a point on it ({y:.5f}, {x:.5f})", "point_on_surface",
                                 {"type": kind[:40], "lat": y, "lon": x}, fatal=False))
    cells["lat"], cells["lon"] = repr(y), repr(x)
    return cells
