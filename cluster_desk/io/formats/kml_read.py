"""KML 2.2 and KMZ rosters in (Google Earth, GDAL, QGIS); a DTD is refused: no entities are read.

Placemarks anywhere in the tree, any namespace or none; fields from ``Data``/``value`` and from
GDAL's ``SchemaData``/``SimpleData``. A Point gives the position; a MultiGeometry, Polygon or
LineString gives a point on it (shapely's ``representative_point``) with a note; geometry-less
placemarks are unlocated members. A KMZ (zipped KML, whatever its suffix) is read from its
first ``.kml`` entry, within a size limit.

The file is read as it streams in (``kml_stream.closed_parts``): a megabyte at a time is parsed
by ElementTree's C parser, the placemarks closed in it are read here and dropped, so memory stays
flat (peak RSS of a 100,000-placemark import ~200 MB, was ~1 GB with the whole tree).

Most files are read from their bytes (``kml_quick``: expat checks every byte, no element is
built); the tree below reads what the bytes cannot vouch for, from the first placemark the byte
reader did not hand out (tests/io/test_kml_quick.py). In the tree, where the bytes show one
namespace (``NameScan``), the usual placemark is read by plans of its children's tags and data
names (``kml_fast``), and a placemark part is not walked for placemarks inside it when the
bytes' "<Placemark"s add up to those read: the cells of the child-by-child walk
(``_read_placemark``), which reads everything else (tests/io/test_kml_fast.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from cluster_desk.io.errors import ImportResult
from cluster_desk.io.formats.kml_fast import GEOMETRIES, SLOW, Plan, kids_of, read_placemark
from cluster_desk.io.formats.kml_quick import NotQuick, QuickReader
from cluster_desk.io.formats.kml_stream import LOCAL_NAMES as _LOCAL
from cluster_desk.io.formats.kml_stream import MAX_KML_BYTES, NameScan
from cluster_desk.io.formats.kml_stream import closed_parts as _parts
from cluster_desk.io.formats.kml_stream import local_name as _local
from cluster_desk.io.rows import Cells, Issue
from cluster_desk.io.vocabulary import field_of_header

__all__ = ["MAX_KML_BYTES", "kml_cells"]

_GEOMETRIES = GEOMETRIES


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


_ASKED = ("Placemark", "Data", "value", "SimpleData", "coordinates")  # what the readers ask _Tags


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

    @classmethod
    def of_file(cls, prefix: str, seen: set[str]) -> _Tags:
        """The tags the reader asks about, for a file whose tags are all ``prefix + local name``
        (``NameScan``): known without looking at the part's elements. A scanned name the scan has
        not met is absent; the others are taken as present (the readers find what is there)."""
        tags = cls([])
        tags.by_local = {local: [prefix + local] for local in _ASKED
                         if local not in NameScan.NAMES or local in seen}
        return tags

    def only(self, local: str) -> str | None:
        """The one tag of ``local`` in the part (None: none, or several namespaces)."""
        tags = self.by_local.get(local, ())
        return tags[0] if len(tags) == 1 else None

    def absent(self, local: str) -> bool:
        return local not in self.by_local


def kml_cells(path: Path, result: ImportResult | None = None) -> Iterator[tuple[int, Cells | list[Issue]]]:
    """(placemark number, field -> text or issues) per Placemark, read as the file streams in: a
    chunk's placemarks are read into a list, then handed out (no generator frame per placemark)."""
    return chain.from_iterable(_batches(path))


def _batches(path: Path) -> Iterator[list[tuple[int, Cells | list[Issue]]]]:
    """The placemarks read from the bytes (``kml_quick``) while that can be vouched for, then (or
    from the start) by the tree: a placemark the quick reader handed out is not handed out again."""
    quick = QuickReader(path, _PLANS, _plan, _read_fragment)
    try:
        yield from quick.batches()
        return
    except NotQuick:
        pass
    done = quick.number
    reader = _Reader(NameScan())
    for parts in _parts(path, reader.scan):
        batch = reader.read(parts)
        if done and batch and batch[0][0] <= done:
            batch = [item for item in batch if item[0] > done]
        yield batch


def _read_fragment(text: str, number: int, out: list[tuple[int, Cells | list[Issue]]]) -> int:
    """One placemark (its text) the quick reader left to the walk; returns its number."""
    try:
        placemark = ET.fromstring(text)
    except ET.ParseError:
        raise NotQuick("a placemark ElementTree does not read alone") from None
    return _read_parts([placemark], number, _Tags([placemark]), out)


class _Reader:
    def __init__(self, scan: NameScan) -> None:
        self.scan, self.number = scan, 0

    def read(self, parts: list[ET.Element]) -> list[tuple[int, Cells | list[Issue]]]:
        scan = self.scan
        prefix = scan.prefix()
        tags = _Tags(parts) if prefix is None else _Tags.of_file(prefix, scan.seen)
        out: list[tuple[int, Cells | list[Issue]]] = []
        whole = prefix is not None and self._whole(parts, prefix)
        self.number = _read_parts(parts, self.number, tags, out, whole)
        return out

    def _whole(self, parts: list[ET.Element], prefix: str) -> bool:
        """Whether no placemark holds another: then a part that is a placemark is read as it is,
        not walked through for placemarks inside it (~8 % of the reading). Sure when the
        placemarks read, those in these parts and those begun but not closed add up to the
        "<Placemark"s of the bytes, which are never fewer than the placemarks begun."""
        tag = prefix + "Placemark"
        found = sum(1 if part.tag == tag else sum(1 for _ in part.iter(tag)) for part in parts)
        return self.number + found + self.scan.pending == self.scan.placemarks


def _read_parts(parts: list[ET.Element], number: int, tags: _Tags,
                out: list[tuple[int, Cells | list[Issue]]], whole: bool = False) -> int:
    """The placemarks in ``parts`` (closed subtrees, in document order) into ``out``, numbered on
    from ``number``; returns the last number. What is found by tag is decided per part of the file
    (the fast and the slow walk give the same cells). ``whole``: no placemark holds another."""
    local = _LOCAL.get  # 100,000 placemarks are ~4M elements: a dict lookup each, not a call
    placemark, coordinates = tags.only("Placemark"), tags.only("coordinates")
    if placemark is None and tags.absent("Placemark"):
        return number
    extended = _extended_reader(tags)
    fields_by = getattr(extended, "by", None)  # (field tag, value tag) when ElementTree finds them
    append = out.append
    for part in parts:
        if placemark is not None:
            placemarks: Any = (part,) if whole and part.tag == placemark else part.iter(placemark)
        else:
            placemarks = (e for e in part.iter() if (local(e.tag) or _local(e.tag)) == "Placemark")
        for pm in placemarks:
            number += 1
            if fields_by is not None and coordinates is not None:
                children = pm[:]
                kids = kids_of(tuple([child.tag for child in children]))
                if kids is not SLOW:
                    got = read_placemark(pm, kids, children, fields_by[0], fields_by[1], coordinates,
                                         _PLANS, _plan)
                    if got is not None:
                        append((number, got))
                    continue
            got = _read_placemark(pm, extended, coordinates, tags)
            if got is not None:
                append((number, got))
    return number


def _read_placemark(pm: ET.Element, extended: Callable[[ET.Element, Cells], bool], coordinates: str | None,
                    tags: _Tags) -> Cells | list[Issue] | None:
    """One placemark read child by child: its cells, its issues, or None for a link's placemark."""
    local = _LOCAL.get
    cells = Cells()
    geometry = None
    point = False
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
            geometry, point = child, tag == "Point"
    if link:
        return None
    if point and coordinates is not None:  # _locate's Point, inlined: nearly every placemark
        found = next(geometry.iter(coordinates), None)  # type: ignore[union-attr]
        coords = "" if found is None else (found.text or "").strip()
        xy = coords.split(",")
        if len(xy) < 2:
            return [_bad_point(coords[:60])]
        cells["lon"], cells["lat"] = xy[0].strip(), xy[1].strip()
    elif geometry is not None and not _locate(geometry, cells, tags):  # a Point without coordinates
        return [_bad_point(cells.pop("lat", ""))]
    return cells


def _bad_point(text: str) -> Issue:
    return Issue("coordinates", text, "is not 'longitude,latitude'", "bad_coordinates")


def _extended_reader(tags: _Tags) -> Callable[[ET.Element, Cells], bool]:
    """``_extended``, or the same walk done by ElementTree when the file's ``Data`` (with its
    ``value``) or ``SimpleData`` elements each have one tag and the other kind is absent."""
    data, value, simple = tags.only("Data"), tags.only("value"), tags.only("SimpleData")
    if data is not None and tags.absent("SimpleData") and (value is not None or tags.absent("value")):
        # no value anywhere: findtext gives "" as the walk does
        return _fields_by(data, value or "value")
    if simple is not None and tags.absent("Data"):
        return _fields_by(simple, None)
    return _extended


def _fields_by(tag: str, value: str | None) -> Callable[[ET.Element, Cells], bool]:
    """The fields under a placemark found by ElementTree: each ``tag`` element's name and its text
    (``value``: the text of its first ``value`` child, else its own), read by C-level getters;
    which name gives which field is worked out once per list of names (a file's placemarks nearly
    all share a few), so Python looks only at the fields kept. (List comprehensions, not
    ``map(methodcaller(...))``: 3.11 calls a method from one ~2x faster.)"""

    def fields(element: ET.Element, cells: Cells) -> bool:
        found = list(element.iter(tag))
        names = tuple([el.get("name", "") for el in found])
        plan = _PLANS.get(names) or _plan(names)
        if plan.fields:
            kept = plan.pick(found)
            texts = ([el.text or "" for el in kept] if value is None
                     else [el.findtext(value, "") for el in kept])  # "" for no value or an empty one
            new = dict(zip(plan.fields, texts, strict=True))
            if cells:  # what the placemark gave before (its name, description) wins, but for notes
                before = cells.copy()
                if "notes" in new:
                    before.pop("notes", None)
                cells.update(new)
                cells.update(before)
            else:
                cells.update(new)
        return plan.link

    fields.by = (tag, value)  # type: ignore[attr-defined]  # kml_fast reads the usual placemark so
    return fields


_PLANS: dict[tuple[str, ...], Plan] = {}


def _plan(names: tuple[str, ...]) -> Plan:
    """What ``_extended`` does with these names, in order: a field's first name gives it, but
    notes take the last; coordinates and size class come from elsewhere. ``named``: the same
    for a placemark whose own <name> wins over a "name" field."""
    where: dict[str, int] = {}
    for k, key in enumerate(names):
        fld = _field_of(key)
        if fld and fld not in _NOT_CELLS and (fld not in where or fld == "notes"):
            where[fld] = k
    named = {f: k for f, k in where.items() if f != "name"}
    plan = Plan(tuple(where), _picker(tuple(where.values())), any(key in _LINK_ENDS for key in names),
                (tuple(named), _picker(tuple(named.values()))))
    if len(_PLANS) < 1_000:  # bounded whatever a hostile file invents
        _PLANS[names] = plan
    return plan


def _picker(picks: tuple[int, ...]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """The elements at ``picks`` of a list, as a tuple."""
    if not picks:
        return lambda texts: ()
    if len(picks) == 1:
        only = picks[0]
        return lambda texts: (texts[only],)  # itemgetter of one gives a bare item
    return itemgetter(*picks)


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
