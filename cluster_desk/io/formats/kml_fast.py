"""The usual placemark read in a few C-level steps (``kml_read`` decides when it applies: one
namespace, and the fields in ``Data``/``value`` or in ``SimpleData``, not both).

What a placemark's children are (name, description, ExtendedData, a geometry) is worked out once
per tuple of their tags (a file's placemarks share a few); its fields once per tuple of its data
names (``kml_read._plan``). Per placemark Python then only fetches the texts the plans point at.
The cells are those of ``kml_read``'s child-by-child loop, key order included: a placemark whose
children that loop would read differently (two descriptions, two ExtendedData, data before the
name) or that has another geometry than a Point is left to it (``SLOW``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from cluster_desk.io.formats.kml_stream import local_name
from cluster_desk.io.rows import Cells, Issue

__all__ = ["GEOMETRIES", "SLOW", "Kids", "Plan", "kids_of", "read_placemark"]

GEOMETRIES = ("Point", "LineString", "LinearRing", "Polygon", "MultiGeometry", "Track", "gx:Track", "Model")


class Kids(NamedTuple):
    """Where a placemark's children are (indexes into them; None: absent)."""

    name: int | None  # the last <name> (the loop keeps the last)
    description: int | None
    extended: int | None
    geometry: int | None  # the first geometry
    point: bool  # ... and it is a Point


_new_cells = Cells.__new__
SLOW = Kids(None, None, None, None, False)  # a stand-in: the loop reads this placemark
_KIDS: dict[tuple[Any, ...], Kids] = {}


def kids_of(tags: tuple[Any, ...]) -> Kids:
    """The plan of a placemark whose children have ``tags`` (``SLOW``: leave it to the loop)."""
    kids = _KIDS.get(tags)
    if kids is not None:
        return kids
    name = description = extended = geometry = None
    point = False
    for k, tag in enumerate(tags):
        local = local_name(tag)
        if local == "name":
            name = k
        elif local == "description":
            description = k if description is None else -1
        elif local == "ExtendedData":
            extended = k if extended is None else -1
        elif local in GEOMETRIES and geometry is None:
            geometry, point = k, local == "Point"
    ordered = extended is None or all(i is None or i < extended for i in (name, description))
    plain = ordered and description != -1 and extended != -1 and (geometry is None or point)
    kids = Kids(name, description, extended, geometry, point) if plain else SLOW
    if len(_KIDS) < 1_000:  # bounded whatever a hostile file invents
        _KIDS[tags] = kids
    return kids


class Plan(NamedTuple):  # kml_read._Plan's shape (imported there, built there)
    fields: tuple[str, ...]
    pick: Callable[[list[Any]], tuple[Any, ...]]
    link: bool
    named: tuple[tuple[str, ...], Callable[[list[Any]], tuple[Any, ...]]]  # the same without "name"


def read_placemark(pm: Any, kids: Kids, children: list[Any], data: str, value: str | None,
                   coordinates: str, plans: dict[tuple[str, ...], Any],
                   plan_of: Callable[[tuple[str, ...]], Any]) -> Cells | list[Issue] | None:
    """The cells of one placemark (``kids`` its plan, ``children`` its children), its issues if
    its Point cannot be read, or None for a link's placemark. ``data`` is the tag of the field
    elements, ``value`` that of their value child (None: the element's own text)."""
    cells = _new_cells(Cells)  # Cells() runs its __init__ through super(): ~3x the cost
    cells.notes = []
    if kids.name is not None:
        cells["name"] = (children[kids.name].text or "").strip()
    if kids.description is not None:
        text = children[kids.description].text
        if text:
            cells["notes"] = text.strip()
    if kids.extended is not None:
        found = list(children[kids.extended].iter(data))
        names = tuple([el.get("name", "") for el in found])
        plan = plans.get(names) or plan_of(names)
        if plan.link:
            return None
        # what the placemark's <name> gave wins over a "name" field; a "notes" field over the
        # description (the loop's order of keys kept: a key already there stays where it is)
        fields, pick = plan.named if kids.name is not None else plan[:2]
        if fields:
            kept = pick(found)
            if value is None:
                cells.update(zip(fields, [el.text or "" for el in kept], strict=True))
            else:
                cells.update(zip(fields, [el.findtext(value, "") for el in kept], strict=True))
    if kids.point:
        found_point = next(children[kids.geometry].iter(coordinates), None)  # type: ignore[index]
        coords = "" if found_point is None else (found_point.text or "").strip()
        xy = coords.split(",")
        if len(xy) < 2:
            return [Issue("coordinates", coords[:60], "is not 'longitude,latitude'", "bad_coordinates")]
        cells["lon"], cells["lat"] = xy[0].strip(), xy[1].strip()
    return cells
