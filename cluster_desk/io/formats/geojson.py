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

Import: geojson_read.py (streamed; properties named as CSV headers; any geometry gives a point
on it; link LineStrings are passed over; a legacy crs is reprojected).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Link, Member
from cluster_desk.io.errors import ImportResult

__all__ = ["export_geojson", "import_geojson"]

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
    unlocated = sum(1 for m in members if not m.located)
    # One feature per line, each encoded by json's C encoder (json.dump with an indent runs the
    # pure-Python one: 2x ogr2ogr's time at 100,000 members). allow_nan=False: a NaN that slipped
    # through would make invalid JSON for every reader.
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    with atomic_open(path, "w", encoding="utf-8") as f:
        f.write(f'{{"type": "FeatureCollection", "unlocated_count": {unlocated}, "features": [\n')
        for i, feature in enumerate(features):
            f.write((",\n" if i else "") + encode(feature))
        f.write("\n]}\n")
    return len(members)


def import_geojson(path: str | os.PathLike[str], *, swap_flagged: bool = False) -> ImportResult:
    """Members from a GeoJSON FeatureCollection (or one Feature). Bad features land in problems.

    The reader itself is geojson_read.py (streamed, any geometry, legacy crs reprojected).
    """
    from cluster_desk.io.formats.geojson_read import geojson_cells
    from cluster_desk.io.rows import iter_cells

    path = Path(path)
    result = ImportResult(encoding="utf-8", format="geojson")
    rows = iter_cells(geojson_cells(path, result), path.name, result, swap_flagged=swap_flagged)
    result.members.extend(m for _, m, _ in rows)
    return result
