"""KML 2.2 and KMZ rosters in (Google Earth, GDAL, QGIS); a DTD is refused: no entities are read.

Placemarks anywhere in the tree, any namespace or none; fields from ``Data``/``value`` and from
GDAL's ``SchemaData``/``SimpleData``. A Point gives the position; a MultiGeometry, Polygon or
LineString gives a point on it (shapely's ``representative_point``) with a note; geometry-less
placemarks are unlocated members. A KMZ (zipped KML, whatever its suffix) is read from its
first ``.kml`` entry, within a size limit.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from operator import attrgetter, methodcaller
from pathlib import Path
from typing import Any, BinaryIO

from cluster_desk.io.errors import ImportFileError, ImportResult
from cluster_desk.io.rows import Cells, Issue
from cluster_desk.io.vocabulary import field_of_header

__all__ = ["MAX_KML_BYTES", "kml_cells"]

MAX_KML_BYTES = 512 * 1024 * 1024
_GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "gx:Track", "Model")


_LOCAL: dict[Any, str] = {}  # "{namespace}Placemark" -> "Placemark": a KML has few distinct tags


def _local(tag: Any) -> str:
    local = _LOCAL.get(tag)
    if local is None:
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(_LOCAL) < 10_000:  # bounded whatever a hostile file invents
            _LOCAL[tag] = local
    return local


def _open(path: Path) -> BinaryIO:
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{name}: the file is empty", "empty")
    with path.open("rb") as f:
        zipped = f.read(4) == b"PK\x03\x04"
    if not zipped:
        if size > MAX_KML_BYTES:
            raise ImportFileError(f"{name}: {size:,} bytes is more than a KML import reads", "too_large")
        return path.open("rb")
    try:
        with zipfile.ZipFile(path) as z:
            entry = next((i for i in z.infolist() if i.filename.lower().endswith(".kml")), None)
            if entry is None:
                raise ImportFileError(f"{name}: a ZIP archive without a .kml inside; not a KMZ", "not_kmz")
            if entry.file_size > MAX_KML_BYTES:
                raise ImportFileError(f"{name}: the KML inside would be {entry.file_size:,} bytes; more "
                                      "than a KML import reads", "too_large")
            with z.open(entry) as f:
                data = f.read(MAX_KML_BYTES + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ImportFileError(f"{name}: a KMZ (zipped KML) that cannot be unpacked ({e})",
                              "zip_damaged") from None
    if len(data) > MAX_KML_BYTES:
        raise ImportFileError(f"{name}: the KML inside is larger than a KML import reads", "too_large")
    return io.BytesIO(data)


class _Refused(Exception):
    pass


class _NoDoctype(ET.TreeBuilder):
    """The C tree builder, refusing any DOCTYPE: no DTD means no entity can be declared (what
    defusedxml's forbid_dtd guarantees), and expat itself never fetches an external one. The C
    parser builds a 100,000-placemark tree ~5x faster than defusedxml's Python-level callbacks."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise _Refused


def _parse(path: Path) -> ET.Element:
    name = path.name
    source = _open(path)
    try:
        parser = ET.XMLParser(target=_NoDoctype())
        while chunk := source.read(1 << 20):
            parser.feed(chunk)
        return parser.close()
    except _Refused:
        raise ImportFileError(f"{name}: refused: the XML declares a DTD (entities are not read)",
                              "xml_refused") from None
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        raise ImportFileError(f"{name}, line {line}: not valid XML ({e})", "not_xml", line=line,
                              detail=str(e)) from None
    finally:
        source.close()


def _positions(text: str) -> list[tuple[float, float]]:
    out = []
    for tup in text.split():
        parts = tup.split(",")
        if len(parts) >= 2:
            out.append((float(parts[0]), float(parts[1])))
    return out


def _shape(geom: ET.Element) -> Any:
    """A shapely geometry of a KML geometry element (lon/lat)."""
    from shapely.geometry import GeometryCollection, LineString, Point, Polygon

    tag = _local(geom.tag)
    if tag == "MultiGeometry":
        return GeometryCollection([_shape(g) for g in geom if _local(g.tag) in _GEOMETRIES])
    if tag == "Polygon":
        outer = next((c for c in geom.iter() if _local(c.tag) == "outerBoundaryIs"), geom)
        coords = next((c.text or "" for c in outer.iter() if _local(c.tag) == "coordinates"), "")
        return Polygon(_positions(coords))
    coords = " ".join(c.text or "" for c in geom.iter() if _local(c.tag) in ("coordinates", "coord"))
    points = _positions(coords.replace(" ", ",") if tag in ("Track", "gx:Track") else coords)
    if tag == "Point":
        return Point(points[0])
    return LineString(points)


class _Tags:
    """The file's element tags by local name. Where one tag stands for a local name (one
    namespace, the usual file), ElementTree finds those elements itself (``iter(tag)``,
    ``findtext``), in C, instead of Python looking at every element's name."""

    def __init__(self, root: ET.Element) -> None:
        self.by_local: dict[str, list[str]] = {}
        for tag in set(map(attrgetter("tag"), root.iter())):
            self.by_local.setdefault(_local(tag), []).append(tag)

    def only(self, local: str) -> str | None:
        """The one tag of ``local`` in the file (None: none, or several namespaces)."""
        tags = self.by_local.get(local, ())
        return tags[0] if len(tags) == 1 else None

    def absent(self, local: str) -> bool:
        return local not in self.by_local


def kml_cells(path: Path, result: ImportResult | None = None) -> Iterator[tuple[int, Cells | list[Issue]]]:
    """(placemark number, field -> text or issues) per Placemark."""
    root = _parse(path)
    if _local(root.tag) != "kml" and _local(root.tag) not in ("Document", "Folder", "Placemark"):
        raise ImportFileError(f"{path.name}: not a KML file (root element <{_local(root.tag)[:40]}>)",
                              "not_kml", root=_local(root.tag)[:40])
    tags = _Tags(root)
    extended = _extended_reader(tags)
    number = 0
    local = _LOCAL.get  # 100,000 placemarks are ~4M elements: a dict lookup each, not a call
    placemark = tags.only("Placemark")
    if placemark is not None:
        placemarks: Iterator[ET.Element] = root.iter(placemark)
    elif tags.absent("Placemark"):
        placemarks = iter(())
    else:
        placemarks = (e for e in root.iter() if (local(e.tag) or _local(e.tag)) == "Placemark")
    for pm in placemarks:
        number += 1
        cells = Cells()
        geometry = None
        link = False  # a link placemark (its two ends' ids): io.links reads it, it is not a member
        for child in pm:
            tag = local(child.tag) or _local(child.tag)
            if tag == "name":
                cells["name"] = (child.text or "").strip()
            elif tag == "description" and child.text:
                cells.setdefault("notes", child.text.strip())
            elif tag == "ExtendedData":
                link = extended(child, cells) or link
            elif tag in _GEOMETRIES and geometry is None:
                geometry = child
        if link:
            continue
        if geometry is not None and not _locate(geometry, cells, tags):  # a Point without coordinates
            yield number, [Issue("coordinates", cells.pop("lat", ""), "is not 'longitude,latitude'",
                                 "bad_coordinates")]
            continue
        yield number, cells


def _extended_reader(tags: _Tags) -> Callable[[ET.Element, Cells], bool]:
    """``_extended``, or the same walk done by ElementTree when the file's ``Data`` (with its
    ``value``) or ``SimpleData`` elements each have one tag and the other kind is absent."""
    data, value, simple = tags.only("Data"), tags.only("value"), tags.only("SimpleData")
    if data is not None and tags.absent("SimpleData") and (value is not None or tags.absent("value")):
        # no value anywhere: findtext gives "" as the walk does
        return _fields_by(data, methodcaller("findtext", value or "value", ""))
    if simple is not None and tags.absent("Data"):
        return _fields_by(simple, attrgetter("text"))
    return _extended


def _fields_by(tag: str, text: Callable[[ET.Element], str | None]) -> Callable[[ET.Element, Cells], bool]:
    """The fields under a placemark found by ElementTree: each ``tag`` element's name and its
    ``text`` (C-level getters: this runs once per field of every placemark)."""
    known = _FIELDS.get

    def fields(element: ET.Element, cells: Cells) -> bool:
        link = False
        for el in element.iter(tag):
            key = el.get("name", "")
            link = link or key in _LINK_ENDS
            fld = known(key, _UNSEEN)
            if fld is _UNSEEN:
                fld = _field_of(key)
            if fld and fld not in _NOT_CELLS and (fld not in cells or fld == "notes"):
                cells[fld] = text(el) or ""
        return link

    return fields


_UNSEEN = "\0 unseen"  # no field is called so: a key not looked up yet
_NOT_CELLS = frozenset({"lat", "lon", "latlon", "size_class"})
_LINK_ENDS = frozenset({"source_id", "target_id"})


def _extended(element: ET.Element, cells: Cells) -> bool:
    """Read the member fields into ``cells``; True when the data names a link's two ends."""
    link = False
    local = _LOCAL.get
    for el in element.iter():
        t = local(el.tag) or _local(el.tag)
        if t == "Data":
            key = el.get("name", "")
            val = ""
            for v in el:
                if (local(v.tag) or _local(v.tag)) == "value":
                    val = v.text or ""
                    break
        elif t == "SimpleData":
            key, val = el.get("name", ""), el.text or ""
        else:
            continue
        link = link or key in ("source_id", "target_id")
        fld = _field_of(key)
        if fld and fld not in ("lat", "lon", "latlon", "size_class") and (fld not in cells or fld == "notes"):
            cells[fld] = val
    return link


_FIELDS: dict[str, str | None] = {}  # Data name -> member field: a file has few distinct names


def _field_of(key: str) -> str | None:
    if key in _FIELDS:
        return _FIELDS[key]
    fld = field_of_header(key)
    if len(_FIELDS) < 10_000:  # bounded whatever a hostile file invents
        _FIELDS[key] = fld
    return fld


def _locate(geometry: ET.Element, cells: Cells, tags: _Tags | None = None) -> bool:
    """Put the geometry's point into ``cells``; False (with lat holding the raw text) if a Point
    cannot be read. Other broken geometries leave the member unlocated, with a note."""
    tag = _local(geometry.tag)
    if tag == "Point":
        one = tags.only("coordinates") if tags is not None else None
        if one is not None:
            found = next(geometry.iter(one), None)
            coords = "" if found is None else found.text or ""
        else:
            coords = next((c.text or "" for c in geometry.iter() if _local(c.tag) == "coordinates"), "")
        parts = coords.strip().split(",")
        if len(parts) < 2:
            cells["lat"] = coords.strip()[:60]
            return False
        cells["lon"], cells["lat"] = parts[0].strip(), parts[1].strip()
        return True
    try:
        point = _shape(geometry).representative_point()
        x, y = point.x, point.y
        if x != x or y != y:  # NaN: an empty geometry
            raise ValueError("empty")
    except Exception:  # shapely and float() raise several types for malformed coordinates
        cells.notes.append(Issue("geometry", tag, "cannot be read as a position; imported without a location",
                                 "bad_geometry", {"type": tag}, fatal=False))
        return True
    cells["lon"], cells["lat"] = repr(x), repr(y)
    cells.notes.append(Issue("geometry", tag, f"is a {tag}, not a point; the member is placed at a point on "
                             f"it ({y:.5f}, {x:.5f})", "point_on_surface", {"type": tag, "lat": y, "lon": x},
                             fatal=False))
    return True
