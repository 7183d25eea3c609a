"""KML 2.2 and KMZ rosters in (Google Earth, GDAL, QGIS); a DTD is refused: no entities are read.

Placemarks anywhere in the tree, any namespace or none; fields from ``Data``/``value`` and from
GDAL's ``SchemaData``/``SimpleData``. A Point gives the position; a MultiGeometry, Polygon or
LineString gives a point on it (shapely's ``representative_point``) with a note; geometry-less
placemarks are unlocated members. A KMZ (zipped KML, whatever its suffix) is read from its
first ``.kml`` entry, within a size limit.

The file is read as it streams in (``_closed_parts``): a megabyte at a time is parsed by
ElementTree's C parser, the placemarks closed in it are read and dropped, so memory stays flat
(peak RSS of a 100,000-placemark import ~200 MB, was ~1 GB with the whole tree). Broken XML found
mid-way is an ImportFileError, which leaves the project unchanged whatever was read before it.
"""

from __future__ import annotations

import pyexpat
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

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


def _open(path: Path) -> BinaryIO | _Unzipped:
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
    return _Unzipped(path)


class _Unzipped:
    """The first ``.kml`` inside a KMZ, unpacked as it is read (not held whole), within the size
    limit; a damaged archive is an ImportFileError whenever the damage is met."""

    def __init__(self, path: Path) -> None:
        self._name = name = path.name
        self._left = MAX_KML_BYTES
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise self._damaged(e) from None
        try:
            entry = next((i for i in self._zip.infolist() if i.filename.lower().endswith(".kml")), None)
            if entry is None:
                raise ImportFileError(f"{name}: a ZIP archive without a .kml inside; not a KMZ", "not_kmz")
            if entry.file_size > MAX_KML_BYTES:
                raise ImportFileError(f"{name}: the KML inside would be {entry.file_size:,} bytes; more "
                                      "than a KML import reads", "too_large")
            self._entry = self._zip.open(entry)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as e:
            self._zip.close()
            raise self._damaged(e) from None
        except BaseException:
            self._zip.close()
            raise

    def _damaged(self, e: BaseException) -> ImportFileError:
        return ImportFileError(f"{self._name}: a KMZ (zipped KML) that cannot be unpacked ({e})",
                               "zip_damaged")

    def read(self, size: int) -> bytes:
        try:
            data = self._entry.read(size)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
            raise self._damaged(e) from None
        self._left -= len(data)
        if self._left < 0:
            raise ImportFileError(f"{self._name}: the KML inside is larger than a KML import reads",
                                  "too_large")
        return data

    def close(self) -> None:
        self._entry.close()
        self._zip.close()


class _Refused(Exception):
    pass


class _RootReached(Exception):
    pass


CHUNK_BYTES = 1 << 20  # read and parsed at a time; the placemarks closed in it are then read and dropped


def _refuse_doctype(*_: Any) -> None:
    raise _Refused


def _root_reached(*_: Any) -> None:
    raise _RootReached


def _prolog_checker() -> Any:
    """An expat parser over the prolog only (it stops at the root element), refusing any DOCTYPE:
    no DTD means no entity can be declared (what defusedxml's forbid_dtd guarantees), and expat
    itself never fetches an external one. The tree is built by ElementTree's own C TreeBuilder,
    which has no DOCTYPE hook: a Python subclass with one costs every element a Python-level call
    (~15 % of the parse)."""
    checker = pyexpat.ParserCreate(namespace_separator="}")
    checker.StartDoctypeDeclHandler = _refuse_doctype
    checker.StartElementHandler = _root_reached
    return checker


def _closed_parts(path: Path) -> Iterator[list[ET.Element]]:
    """The file's elements in document order, a chunk's worth at a time, each list holding the
    subtrees that closed in that chunk (then detached: memory stays flat whatever the file's size).

    ElementTree's C parser builds the tree below a holder element started on the builder first, so
    the tree in progress is reachable between chunks. Elements open one inside another, so at each
    level every child but the last is closed; the last is looked into (unless it is a Placemark,
    which is read once it is whole). Nothing runs in Python per element.
    """
    name = path.name
    source = _open(path)
    builder = ET.TreeBuilder()
    holder = builder.start("\0holder", {})
    parser = ET.XMLParser(target=builder)
    checker: Any = _prolog_checker()
    try:
        while chunk := source.read(CHUNK_BYTES):
            if checker is not None:
                try:
                    checker.Parse(chunk, False)
                except _RootReached:
                    checker = None
            parser.feed(chunk)
            if len(holder):
                _check_root(holder[0], name)
                yield _detach_closed(holder)
        parser.close()
        if len(holder):
            _check_root(holder[0], name)
            last = list(holder)
            del holder[:]
            yield last
    except _Refused:
        raise ImportFileError(f"{name}: refused: the XML declares a DTD (entities are not read)",
                              "xml_refused") from None
    except pyexpat.ExpatError as e:  # the prolog's checker: nothing past an error is parsed
        raise ImportFileError(f"{name}, line {e.lineno}: not valid XML ({e})", "not_xml", line=e.lineno,
                              detail=str(e)) from None
    except LookupError as e:  # expat's encoding handler: an encoding Python does not know
        raise ImportFileError(f"{name}, line 1: not valid XML ({e})", "not_xml", line=1,
                              detail=str(e)) from None
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else 0
        raise ImportFileError(f"{name}, line {line}: not valid XML ({e})", "not_xml", line=line,
                              detail=str(e)) from None
    finally:
        source.close()


def _check_root(root: ET.Element, name: str) -> None:
    local = _local(root.tag)
    if local not in ("kml", "Document", "Folder", "Placemark"):
        raise ImportFileError(f"{name}: not a KML file (root element <{local[:40]}>)", "not_kml",
                              root=local[:40])


def _detach_closed(holder: ET.Element) -> list[ET.Element]:
    closed: list[ET.Element] = []
    parent = holder
    while (count := len(parent)) > 0:
        if count > 1:
            closed += parent[: count - 1]
            del parent[: count - 1]
        parent = parent[0]
        if _local(parent.tag) == "Placemark":
            break
    return closed


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
    """The tags of a part of the file by local name. Where one tag stands for a local name (one
    namespace, the usual file), ElementTree finds those elements itself (``iter(tag)``,
    ``findtext``), in C, instead of Python looking at every element's name."""

    def __init__(self, parts: list[ET.Element]) -> None:
        seen: set[Any] = set()
        for part in parts:
            seen.update(map(attrgetter("tag"), part.iter()))
        self.by_local: dict[str, list[str]] = {}
        for tag in seen:
            self.by_local.setdefault(_local(tag), []).append(tag)

    def only(self, local: str) -> str | None:
        """The one tag of ``local`` in the part (None: none, or several namespaces)."""
        tags = self.by_local.get(local, ())
        return tags[0] if len(tags) == 1 else None

    def absent(self, local: str) -> bool:
        return local not in self.by_local


def kml_cells(path: Path, result: ImportResult | None = None) -> Iterator[tuple[int, Cells | list[Issue]]]:
    """(placemark number, field -> text or issues) per Placemark, read as the file streams in."""
    number = 0
    for parts in _closed_parts(path):
        number = yield from _read_parts(parts, number)


_Read = Generator[tuple[int, Cells | list[Issue]], None, int]


def _read_parts(parts: list[ET.Element], number: int) -> _Read:
    """The placemarks in ``parts`` (closed subtrees, in document order), numbered on from ``number``;
    returns the last number. What is found by tag is decided per part of the file (the fast and
    the slow walk give the same cells)."""
    tags = _Tags(parts)
    extended = _extended_reader(tags)
    local = _LOCAL.get  # 100,000 placemarks are ~4M elements: a dict lookup each, not a call
    placemark = tags.only("Placemark")
    if placemark is None and tags.absent("Placemark"):
        return number
    for part in parts:
        if placemark is not None:
            placemarks: Iterator[ET.Element] = part.iter(placemark)
        else:
            placemarks = (e for e in part.iter() if (local(e.tag) or _local(e.tag)) == "Placemark")
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
    return number


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
    ``text``, read by C-level getters; which name gives which field is worked out once per list of
    names (a file's placemarks nearly all share a few), so no Python runs per field."""
    name_of = methodcaller("get", "name", "")

    def fields(element: ET.Element, cells: Cells) -> bool:
        found = list(element.iter(tag))
        names = tuple(map(name_of, found))
        plan = _PLANS.get(names) or _plan(names)
        if plan.fields:
            new = dict(zip(plan.fields, plan.pick([text(el) or "" for el in found]), strict=True))
            if cells:  # what the placemark gave before (its name, description) wins, but for notes
                before = cells.copy()
                if "notes" in new:
                    before.pop("notes", None)
                cells.update(new)
                cells.update(before)
            else:
                cells.update(new)
        return plan.link

    return fields


class _Plan(NamedTuple):
    fields: tuple[str, ...]  # the member fields given, in the order of their names
    pick: Callable[[list[str]], tuple[str, ...]]  # their texts from the texts of all names
    link: bool  # the names include a link's end: a link placemark, not a member


_PLANS: dict[tuple[str, ...], _Plan] = {}


def _plan(names: tuple[str, ...]) -> _Plan:
    """What ``_extended`` does with these names, in order: a field's first name gives it, but
    notes take the last; coordinates and size class come from elsewhere."""
    where: dict[str, int] = {}
    for k, key in enumerate(names):
        fld = _field_of(key)
        if fld and fld not in _NOT_CELLS and (fld not in where or fld == "notes"):
            where[fld] = k
    picks = tuple(where.values())
    pick: Callable[[list[str]], tuple[str, ...]]
    if not picks:
        pick = lambda texts: ()  # noqa: E731
    elif len(picks) == 1:
        only = picks[0]
        pick = lambda texts: (texts[only],)  # noqa: E731 (itemgetter of one gives a bare item)
    else:
        pick = itemgetter(*picks)
    plan = _Plan(tuple(where), pick, any(key in _LINK_ENDS for key in names))
    if len(_PLANS) < 1_000:  # bounded whatever a hostile file invents
        _PLANS[names] = plan
    return plan


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
