"""KML 2.2 rosters (Google Earth, GDAL, QGIS).

Export: one Placemark per member: ``<name>``, ``<description>`` (the notes), every field in
``<ExtendedData><Data name=...>`` and, when located, ``<Point><coordinates>lon,lat``.
Unlocated members are written without geometry, so the file is still the complete roster.

Import (defusedxml: no entities, no external references): Placemarks anywhere in the tree, any
namespace or none; fields from ``Data``/``value`` and from GDAL's ``SchemaData``/``SimpleData``;
Point coordinates "lon,lat[,alt]". Placemarks with other geometries (lines, areas) are skipped.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Member
from cluster_desk.io.errors import ImportFileError
from cluster_desk.io.formats.csv_roster import field_of_header
from cluster_desk.io.formats.export_words import TABLE_FIELDS, header, value_word

__all__ = ["export_kml", "kml_cells"]

KML_NS = "http://www.opengis.net/kml/2.2"
MAX_KML_BYTES = 512 * 1024 * 1024
# XML 1.0 has no way to carry these; they are replaced (and only there: KML is a map format).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", value)


def export_kml(members: Iterable[Member], path: str | os.PathLike[str], *, name: str = "",
               lang: str = "en") -> int:
    """Write a KML document; returns the number of members. Atomic (temp + rename).

    Each ``Data`` keeps the field code as its ``name`` (what GIS tools key on), with a
    ``displayName`` and kind/status/industry values as words in ``lang``.
    """
    path = Path(path)
    count = 0
    esc = _escape_xml
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as f:
        # Streamed by hand (not an ElementTree in memory): 100k placemarks stay cheap.
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(f'<kml xmlns="{KML_NS}">\n<Document>\n<name>{esc(name or path.stem)}</name>\n')
        for m in members:
            f.write(f'<Placemark id="{esc(_xml_id(m.id))}">\n<name>{esc(m.name)}</name>\n')
            if m.notes:
                f.write(f"<description>{esc(m.notes)}</description>\n")
            f.write("<ExtendedData>\n")
            for fld in TABLE_FIELDS:
                if fld in ("lat", "lon"):
                    continue
                value = value_word(fld, getattr(m, fld), lang)
                if value is None or value == "":
                    continue
                f.write(f'<Data name="{fld}"><displayName>{esc(header(fld, lang))}</displayName>'
                        f"<value>{esc(str(value))}</value></Data>\n")
            f.write("</ExtendedData>\n")
            if m.lat is not None and m.lon is not None:
                f.write(f"<Point><coordinates>{m.lon!r},{m.lat!r}</coordinates></Point>\n")
            f.write("</Placemark>\n")
            count += 1
        f.write("</Document>\n</kml>\n")
    return count


def _escape_xml(text: str) -> str:
    return (
        _xml_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _xml_id(member_id: str) -> str:
    # xml:id-like attribute: must not start with a digit; ids are hex uuids, so prefix them.
    return "m" + re.sub(r"[^A-Za-z0-9_.-]", "_", member_id)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def kml_cells(path: Path) -> Iterator[tuple[int, dict[str, str] | list[tuple[str, str, str, bool]]]]:
    """(placemark number, field -> text) per Point or geometry-less Placemark."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import parse

    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{name}: the file is empty")
    if size > MAX_KML_BYTES:
        raise ImportFileError(f"{name}: {size:,} bytes is more than a KML import reads")
    try:
        root = parse(str(path), forbid_dtd=True).getroot()
    except DefusedXmlException as e:
        raise ImportFileError(
            f"{name}: refused: the XML uses {type(e).__name__} (entities or a DTD)"
        ) from None
    except ET.ParseError as e:
        raise ImportFileError(f"{name}: not valid XML ({e})") from None
    if _local(root.tag) != "kml" and _local(root.tag) not in ("Document", "Folder", "Placemark"):
        raise ImportFileError(f"{name}: not a KML file (root element <{_local(root.tag)}>)")
    number = 0
    for pm in root.iter():
        if _local(pm.tag) != "Placemark":
            continue
        number += 1
        cells: dict[str, str] = {}
        point = None
        other_geometry = False
        link = False  # a link placemark (its two ends' ids), read by io.links, not a member
        for child in pm:
            tag = _local(child.tag)
            if tag == "name":
                cells["name"] = (child.text or "").strip()
            elif tag == "description" and child.text:
                cells.setdefault("notes", child.text.strip())
            elif tag == "ExtendedData":
                for el in child.iter():
                    t = _local(el.tag)
                    if t == "Data":
                        key = el.get("name", "")
                        val = next((v.text or "" for v in el if _local(v.tag) == "value"), "")
                    elif t == "SimpleData":
                        key, val = el.get("name", ""), el.text or ""
                    else:
                        continue
                    link = link or key in ("source_id", "target_id")
                    fld = field_of_header(key)
                    if fld and fld not in ("lat", "lon", "latlon") and (fld not in cells or fld == "notes"):
                        cells[fld] = val
            elif tag == "Point":
                point = child
            elif tag in ("LineString", "Polygon", "MultiGeometry", "LinearRing", "Track", "Model"):
                other_geometry = True
        if (point is None and other_geometry) or link:
            continue  # links and areas are not members
        if point is not None:
            coords = next((c.text or "" for c in point.iter() if _local(c.tag) == "coordinates"), "")
            parts = coords.strip().split(",")
            if len(parts) < 2:
                yield number, [("coordinates", coords.strip()[:60], "is not 'longitude,latitude'", False)]
                continue
            cells["lon"], cells["lat"] = parts[0].strip(), parts[1].strip()
        yield number, cells
