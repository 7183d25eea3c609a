"""A file's usual data names compiled into one pattern: ``kml_quick``'s fastest way to a placemark.

The byte reader's general pattern (``kml_quick.PLACEMARK``) vouches for a placemark's layout, then
its fields are cut out with str methods: ~100 new strings a placemark, the largest part of the
reading. But a file's placemarks nearly all carry the same data names in the same order, each
one there or not (our export leaves empty fields out, other writers alike). So the names met in
placemarks read the general way are merged, in their order, into one ``Layout``: a pattern with a
literal per name and a group per kept field's value, each field optional. One match then gives
every value (None: the field is absent, "" an empty one, as GDAL writes them), and the cells are
one ``dict.update``; a placemark it does not match is read the general way (and may widen the
layout).

The pattern is a narrowing of the general one (names it allows, coordinates
``lon,lat[,...]`` in plain digits, a Point without other leaves, no other children, tags written
plainly: ``<Placemark>`` or ``<Placemark id="...">``, ``</Placemark>``, so that ``kml_vouch`` can
leave what it matches out of expat's reading), so a text it
matches the general pattern matches with the same name, description, values and coordinates. A
layout is built only where each name gives a field of its own or none (then the plan of any of
its subsequences, ``kml_read._plan``, keeps the fields in the names' order) and no name is a link
end (a link's placemark is never matched: it goes the general way, which drops it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["Layout", "layout_of", "merged"]

MAX_NAMES = 64  # a longer layout is left to the general way (a pattern stays small)

_NAME = re.compile(r'[^"&\t\n\r]*')  # what the general pattern allows in a name (kml_quick._NAME)
_NUMBER = r"[-+.0-9eE]+"  # no space, comma, entity or line end: the text is what the general way cuts out
_POINT = (r"(?:<Point>\s*<coordinates>\s*(" + _NUMBER + r")\s*,\s*(" + _NUMBER + r")\s*(?:,[^<]*)?"
          r"</coordinates>\s*</Point>\s*)?")
_FIELD = {  # a field's element: "{n}" its name, "{v}" its value's text
    "Data": (r'(?:<Data name="{n}">\s*(?:<displayName>[^<]*</displayName>\s*)?<value>{v}</value>\s*'
             r"</Data>\s*)?"),
    "SimpleData": r'(?:<SimpleData name="{n}">{v}</SimpleData>\s*)?',
}
_AROUND = {  # the fields' surroundings in an ExtendedData
    "Data": ("", ""),
    "SimpleData": (r'<SchemaData(?: schemaUrl="[^"<&>/]*")?>\s*', r"</SchemaData>\s*"),
}


class Layout(NamedTuple):
    kind: str  # "Data" or "SimpleData"
    names: tuple[str, ...]  # the data names, in the order met
    match: Callable[[str, int], re.Match[str] | None]  # groups: name, description, values, lon, lat
    keys: tuple[str, ...]  # the cell key of each group after the description (fields, "lon", "lat")
    named: bool  # a field is called "name" (the placemark's <name> wins over it)


def merged(order: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...] | None:
    """``order`` with the names it lacks put in, so that ``names`` is in it in its order (None:
    ``names`` repeats one or meets them in another order)."""
    if len(set(names)) != len(names):
        return None
    out = list(order)
    at = 0  # where the names placed so far end in out
    for name in names:
        if name in out:
            k = out.index(name)
            if k < at:
                return None
            at = k + 1
        else:
            out.insert(at, name)
            at += 1
    return tuple(out)


def layout_of(kind: str, names: tuple[str, ...], plan_of: Callable[[tuple[str, ...]], Any]) -> Layout | None:
    """The layout of ``names`` (``kind`` elements), or None where it would not give the plans' cells."""
    if not names or len(names) > MAX_NAMES or not all(_NAME.fullmatch(n) for n in names):
        return None
    if plan_of(names).link:
        return None
    fields: list[str | None] = []
    for name in names:
        kept = plan_of((name,)).fields  # what this name gives alone: () or (field,)
        fields.append(kept[0] if kept else None)
    given = [f for f in fields if f is not None]
    if len(set(given)) != len(given):
        return None
    parts = [_FIELD[kind].format(n=re.escape(name), v="([^<]*)" if field is not None else "[^<]*")
             for name, field in zip(names, fields, strict=True)]
    before, after = _AROUND[kind]
    pattern = re.compile(
        r'<Placemark(?: id="[^"<&>/]*")?>\s*'
        r"(?:<name>([^<]*)</name>\s*)?(?:<description>([^<]*)</description>\s*)?"
        r"(?:<ExtendedData>\s*" + before + "".join(parts) + after + r"</ExtendedData>\s*)?"
        + _POINT + r"</Placemark>")
    return Layout(kind, names, pattern.match, (*given, "lon", "lat"), "name" in given)
