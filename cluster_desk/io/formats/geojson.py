"""GeoJSON (RFC 7946) export and a basic import.

Export choices:
- every member is a Feature; located members have a Point ``[lon, lat]`` (WGS84, as RFC 7946
  requires), unlocated ones have ``"geometry": null`` (allowed by RFC 7946 §3.2), so the file is a
  complete roster that GIS tools and our importer read back; the top-level foreign member
  ``"unlocated_count"`` says how many have no point;
- links whose two ends are located are LineStrings (``properties.feature == "link"``), drawn
  as straight segments between the members (fine at cluster scale; not split at the 180°
  meridian). Pass ``include_links=False`` to leave them out;
- contact persons are not exported (a map file travels further than the roster).

Import reads Point and null-geometry Features (properties named as CSV headers: name, kind, ...)
and skips link LineStrings. NaN/Infinity literals, non-finite or out-of-range coordinates and
the 0,0 placeholder are reported per feature.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Link, Member
from cluster_desk.io.errors import ImportFileError, ImportProblem, ImportResult
from cluster_desk.io.formats.csv_roster import field_of_header, member_from_cells

__all__ = ["export_geojson", "import_geojson", "iter_cells", "iter_features"]

_MEMBER_PROPERTIES = (
    "id", "name", "kind", "status", "sector", "industry", "employees", "address", "inn", "website",
    "joined", "left", "notes", "output", "special_territory", "organising_production",
)


def _feature(m: Member) -> dict[str, Any]:
    props: dict[str, Any] = {"feature": "member"}
    for fld in _MEMBER_PROPERTIES:
        value = getattr(m, fld)
        props[fld] = value.value if hasattr(value, "value") else value
    props["size_class"] = m.size_class.value
    geometry = {"type": "Point", "coordinates": [m.lon, m.lat]} if m.located else None
    return {"type": "Feature", "id": m.id, "geometry": geometry, "properties": props}


def export_geojson(
    members: Iterable[Member], links: Iterable[Link] | None, path: str | os.PathLike[str], *,
    include_links: bool = True,
) -> int:
    """Write a FeatureCollection; returns the number of members written. Atomic (temp + rename)."""
    members = list(members)
    by_id = {m.id: m for m in members}
    features = [_feature(m) for m in members]
    for lk in (links or ()) if include_links else ():
        a, b = by_id.get(lk.source), by_id.get(lk.target)
        if a is None or b is None:
            continue
        # A link with an unplaced end has no geometry (RFC 7946 §3.2) but stays in the file.
        line = [[a.lon, a.lat], [b.lon, b.lat]] if a.located and b.located else None
        features.append({
            "type": "Feature", "id": lk.id,
            "geometry": {"type": "LineString", "coordinates": line} if line else None,
            "properties": {"feature": "link", "kind": lk.kind.value, "source": lk.source,
                           "target": lk.target, "source_name": a.name, "target_name": b.name,
                           "source_inn": a.inn, "target_inn": b.inn, "start": lk.start, "end": lk.end,
                           "volume": lk.volume, "contract": lk.contract, "share": lk.share,
                           "notes": lk.notes},
        })
    doc = {
        "type": "FeatureCollection",
        "unlocated_count": sum(1 for m in members if not m.located),
        "features": features,
    }
    with atomic_open(path, "w", encoding="utf-8") as f:
        # allow_nan=False: a NaN that slipped through would make invalid JSON for every reader.
        json.dump(doc, f, ensure_ascii=False, allow_nan=False, indent=1)
    return len(members)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in GeoJSON")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


#: GeoJSON larger than this is refused before parsing (json.loads holds it all in memory).
MAX_GEOJSON_BYTES = 512 * 1024 * 1024
def import_geojson(path: str | os.PathLike[str], *, swap_flagged: bool = False) -> ImportResult:
    """Members from a GeoJSON FeatureCollection (or one Feature). Bad features land in problems."""
    path = Path(path)
    features = load_features(path)
    result = ImportResult(encoding="utf-8", format="geojson")
    rows = iter_features(features, path.name, result, swap_flagged=swap_flagged)
    result.members.extend(m for _, m, _ in rows)
    return result


def load_features(path: Path) -> list[Any]:
    """The features list of a GeoJSON file; ImportFileError if the file as a whole is unusable."""
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{name}: the file is empty")
    if size > MAX_GEOJSON_BYTES:
        raise ImportFileError(f"{name}: {size:,} bytes is more than the {MAX_GEOJSON_BYTES:,} a GeoJSON "
                              "import reads; use CSV or GeoPackage for rosters this large")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(f"{name}: not UTF-8 text ({e.reason}); GeoJSON must be UTF-8") from None
    if not text.strip():
        raise ImportFileError(f"{name}: the file is empty")
    # Deep nesting: CPython's C JSON scanner guards its recursion and raises RecursionError
    # (caught below), so no pre-scan is needed (a Python-level scan cost 20 s per 60 MB).
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ImportFileError(f"{name}: nested too deeply (over {sys.getrecursionlimit()} levels); "
                              "not a GeoJSON roster") from None
    except ValueError as e:  # json.JSONDecodeError is a ValueError, and so is _reject_constant's
        raise ImportFileError(f"{name}: not valid GeoJSON ({e})") from None
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        features: Any = [doc]
    elif isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features")
    else:
        raise ImportFileError(f"{name}: not a GeoJSON FeatureCollection or Feature")
    if not isinstance(features, list):
        raise ImportFileError(f"{name}: 'features' is not a list")
    return features


def iter_cells(
    items: Iterable[tuple[int, dict[str, str] | list[tuple[str, str, str, bool]]]], file_name: str,
    result: ImportResult, *, swap_flagged: bool = False, unit: str = "feature",
) -> Iterator[tuple[int, Member, dict[str, str]]]:
    """Members from (number, field -> cell text) pairs, or (number, problems) for features that
    could not even be read as cells. Bad ones land in ``result.problems``, notes in ``warnings``."""
    seen: set[str] = set()
    for number, cells in items:
        if isinstance(cells, list):
            found, member = cells, None
        else:
            member, found = member_from_cells(cells, swap=swap_flagged)
            if member is not None and member.id in seen:
                found = [("id", member.id, "appears twice in the file; ids must be unique", False)]
                member = None
        for fld, value, message, offer in found:
            problem = ImportProblem(file_name, number, fld if fld != "!" else "lat", value, message,
                                    unit, offer)
            (result.warnings if fld == "!" else result.problems).append(problem)
        if member is not None and isinstance(cells, dict):
            seen.add(member.id)
            yield number, member, cells


def iter_features(features: list[Any], file_name: str, result: ImportResult, *,
                  swap_flagged: bool = False) -> Iterator[tuple[int, Member, dict[str, str]]]:
    items = ((n, _feature_cells(f)) for n, f in enumerate(features, start=1))
    return iter_cells(((n, c) for n, c in items if c is not None), file_name, result,
                      swap_flagged=swap_flagged)


def _feature_cells(feature: Any) -> dict[str, str] | list[tuple[str, str, str, bool]] | None:
    """Cells of a member feature, problems of a broken one, None for links and areas."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [("", "", "is not a GeoJSON Feature", False)]
    geometry = feature.get("geometry")
    props = feature.get("properties") or {}
    if not isinstance(props, dict):
        return [("", "", "has properties that are not an object", False)]
    if (isinstance(geometry, dict) and geometry.get("type") != "Point") or props.get("feature") == "link":
        return None  # links (LineStrings, or unplaced: no geometry) and areas are not members
    if geometry is not None and not isinstance(geometry, dict):
        return [("geometry", str(geometry)[:60], "is not a GeoJSON geometry", False)]
    cells: dict[str, str] = {}
    for key, value in props.items():
        fld = field_of_header(str(key))
        if fld and fld not in cells and fld not in ("lat", "lon"):
            cells[fld] = _cell(value)
    if "id" not in cells and isinstance(feature.get("id"), str):
        cells["id"] = feature["id"]
    if geometry is not None:
        coords = geometry.get("coordinates")
        if (not isinstance(coords, list) or len(coords) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])):
            return [("coordinates", json.dumps(coords, ensure_ascii=False)[:60],
                     "is not a [longitude, latitude] pair of numbers", False)]
        lon, lat = float(coords[0]), float(coords[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):  # e.g. 1e999 parses to inf
            return [("coordinates", f"{coords[0]}, {coords[1]}", "is not a finite position", False)]
        cells["lat"], cells["lon"] = repr(lat), repr(lon)
    return cells
