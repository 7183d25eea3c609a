"""KML 2.2 rosters (Google Earth, GDAL, QGIS).

Export: one Placemark per member: ``<name>``, ``<description>`` (the notes), every field in
``<ExtendedData><Data name=...>`` and, when located, ``<Point><coordinates>lon,lat``.
Unlocated members are written without geometry, so the file is still the complete roster.

Import: ``kml_read.py`` (streamed; a DTD is refused, so no entity or external reference is read).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from cluster_desk.atomic import atomic_open
from cluster_desk.core.model import Member
from cluster_desk.io.formats.export_words import TABLE_FIELDS, header, value_word

__all__ = ["export_kml"]

KML_NS = "http://www.opengis.net/kml/2.2"
MAX_KML_BYTES = 512 * 1024 * 1024
# XML 1.0 has no way to carry these; they are replaced (and only there: KML is a map format).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", value)


def export_kml(members: Iterable[Member], path: str | os.PathLike[str], *, name: str = "",
               lang: str = "en", more: Callable[[Callable[[str], object]], None] | None = None) -> int:
    """Write a KML document; returns the number of members. Atomic (temp + rename).

    Each ``Data`` keeps the field code as its ``name`` (what GIS tools key on), with a
    ``displayName`` and kind/status/industry values as words in ``lang``. ``more`` is given the
    file's write and adds what goes after the members (links_formats.py: the links' folder).
    """
    path = Path(path)
    count = 0
    esc = _escape_xml
    fields = [(fld, f'<Data name="{fld}"><displayName>{esc(header(fld, lang))}</displayName><value>')
              for fld in TABLE_FIELDS if fld not in ("lat", "lon")]
    with atomic_open(path, "w", encoding="utf-8", newline="\n") as f:
        # Streamed by hand (not an ElementTree in memory), a placemark per write: 100k stay cheap.
        write = f.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(f'<kml xmlns="{KML_NS}">\n<Document>\n<name>{esc(name or path.stem)}</name>\n')
        for m in members:
            parts = [f'<Placemark id="{esc(_xml_id(m.id))}">\n<name>{esc(m.name)}</name>\n']
            if m.notes:
                parts.append(f"<description>{esc(m.notes)}</description>\n")
            parts.append("<ExtendedData>\n")
            for fld, opening in fields:
                value = value_word(fld, getattr(m, fld), lang)
                if value is None or value == "":
                    continue
                parts.append(f"{opening}{esc(str(value))}</value></Data>\n")
            parts.append("</ExtendedData>\n")
            if m.lat is not None and m.lon is not None:
                parts.append(f"<Point><coordinates>{m.lon!r},{m.lat!r}</coordinates></Point>\n")
            parts.append("</Placemark>\n")
            write("".join(parts))
            count += 1
        if more is not None:
            more(write)
        write("</Document>\n</kml>\n")
    return count


def _escape_xml(text: str) -> str:
    if not text.isprintable():  # every character _XML_ILLEGAL names is unprintable: no regex else
        text = _xml_text(text)
    for ch, entity in _ENTITIES:
        text = text.replace(ch, entity)  # (a text without ``ch`` is returned as it is, unchanged)
    return text


_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"), ("\t", "&#9;"))


def _xml_id(member_id: str) -> str:
    # xml:id-like attribute: must not start with a digit; ids are hex uuids, so prefix them.
    if member_id.isascii() and member_id.isalnum():
        return "m" + member_id
    return "m" + re.sub(r"[^A-Za-z0-9_.-]", "_", member_id)
