"""The usual KML read from its bytes, without building elements (``kml_read`` falls back to the
tree reader whenever this says it cannot vouch for a file: ``NotQuick``).

Expat reads every byte but those of the placemarks ``kml_vouch`` vouches for (no handler per
element or text, so ~4x cheaper than building the tree): the file must be well-formed, and it
tells what would make a byte-level reading wrong. A
file is read here only while it has no DOCTYPE or processing instruction, no namespace prefix
bound to two namespaces, no ``<xml:`` element and no placemark with a prefix (``<kml:Placemark``
is one too), UTF-8 bytes (no other encoding declared, no UTF-16 byte order) and a KML root.
Comments are dropped from the bytes and each CDATA section's text escaped (``_plain``: what
Google Earth and hand-edited files hold; ElementTree drops a comment and joins the texts either
side). Then every ``<`` in the bytes starts a tag, so ``<Placemark`` followed by a space, ``/``
or ``>`` is a placemark's start tag, and the text between two tags holds only the five
predefined entities and character references (decoded here as expat does, after its line-end
normalisation).

A placemark in the usual layout (``PLACEMARK``: name, description, ExtendedData of ``Data`` with
an optional ``displayName`` and a ``value``, or of one ``SchemaData`` of ``SimpleData``, and a
Point, in that order, each optional; what our export and GDAL write; between them any child the
tree's loop passes over that holds a text or leaves, such as Google Earth's LookAt, styleUrl and
gx: elements, and in the Point leaves beside its coordinates) is matched by one regular
expression, its fields cut out with str methods and read by the same plans as ``kml_fast`` (once
the file's data names are known, the usual placemark is first tried against ``kml_layout``'s
pattern of them: one match gives every value, ~30 % of the reading saved); any
other placemark is parsed on its own by ElementTree (inside an element declaring the file's
namespace prefixes) and read by ``kml_read``'s walk (``odd``). A placemark holding another is
NotQuick. Our export's 100,000 placemarks (120 MB), read without storing: 3.4-3.7 s CPU by the
general pattern with expat over every byte, 1.8-2.1 s with the layout and vouching (pairs, load
~13).
The placemarks are handed out a chunk at a time, after expat has accepted the chunk (vouching:
the region of it read here), so a fallback never repeats or loses one: the tree reader skips
those already handed out.
"""

from __future__ import annotations

import pyexpat
import re
from collections.abc import Callable, Iterator
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from cluster_desk.io.formats import kml_stream
from cluster_desk.io.formats.kml_fast import GEOMETRIES
from cluster_desk.io.formats.kml_layout import Layout, layout_of, merged
from cluster_desk.io.formats.kml_stream import open_kml
from cluster_desk.io.formats.kml_vouch import PLACEHOLDER, vouchable
from cluster_desk.io.rows import Cells, Issue

__all__ = ["NotQuick", "QuickReader"]

Item = tuple[int, Cells | list[Issue]]
MAX_BUILDS = 16  # layouts compiled for one file at most (kml_layout)
_NONES = repeat(None)  # map(is_not, texts, _NONES): which texts are there


class NotQuick(Exception):
    """This file (from here on) is for the tree reader."""


# One field: its name (an attribute value expat would change, by an entity or a line end, is odd)
# and its text; "{n}" and "{v}" are filled with groups (the items) or without (the placemark).
_DATA = (r'<Data name="{n}">\s*(?:<displayName>[^<]*</displayName>\s*)?<value>{v}</value>\s*</Data>\s*')
_SIMPLE = r'<SimpleData name="{n}">{v}</SimpleData>\s*'
_NAME, _TEXT = r'[^"&\t\n\r]*', r"[^<]*"
# A child the placemark's loop passes over (kml_read._read_placemark reads only a name, a
# description, ExtendedData and a geometry: a local name here, any prefix): Google Earth's
# LookAt, styleUrl, visibility, Snippet, gx:... (a text, or leaves: no placemark can be in it).
# An attribute holding '>' or a deeper element does not match: the placemark is read alone.
_READ = r"(?:name|description|ExtendedData|Placemark|" + "|".join(
    sorted({g.partition(":")[2] or g for g in GEOMETRIES})) + ")"
_TAG = r"[^\s<>/!?=]+"
_ATTRIBUTES = r"""(?:\s+[^\s<>/=]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*"""
_LEAF = _TAG + _ATTRIBUTES + r"(?:/>|>[^<]*</[^<>]+>)\s*"
_NOT = r"(?!(?:[^\s<>/!?=:]++:)?{}[\s/>])"  # a tag of another local name, whatever its prefix
_OTHER = ("(?:<" + _NOT.format(_READ) + _TAG + _ATTRIBUTES + r"(?:/>|>[^<]*</[^<>]+>|>\s*(?:<"
          + _NOT.format("Placemark") + _LEAF + r")*</[^<>]+>)\s*)*+")
# A Point's leaf other than its coordinates (gx:drawOrder, altitudeMode, extrude)
_POINT_LEAF = "(?:<" + _NOT.format("(?:coordinates|Placemark)") + _LEAF + ")*+"


def _placemark(other: str, point_leaf: str) -> re.Pattern[str]:
    """The usual placemark, with ``other`` between its parts and ``point_leaf`` around its
    coordinates (five groups: name, description, Data, SimpleData, coordinates)."""
    return re.compile(
        r"<Placemark(?:\s[^>/]*)?>\s*" + other +
        r"(?:<name>([^<]*)</name>\s*)?" + other +
        r"(?:<description>([^<]*)</description>\s*)?" + other +
        r"(?:<ExtendedData>\s*(?:"
        r"((?:" + _DATA.format(n=_NAME, v=_TEXT) + r")*+)"
        r"|<SchemaData(?:\s[^>/]*)?>\s*((?:" + _SIMPLE.format(n=_NAME, v=_TEXT) + r")*+)</SchemaData>\s*"
        r")</ExtendedData>\s*)?" + other +
        r"(?:<Point>\s*" + point_leaf + r"<coordinates>([^<]*)</coordinates>\s*" + point_leaf
        + r"</Point>\s*)?" + other + r"</Placemark\s*>")


PLACEMARK = _placemark("", "")  # what our export and GDAL write: tried first (~25 % faster)
WIDE_PLACEMARK = _placemark(_OTHER, _POINT_LEAF)  # with Google Earth's children
_START = re.compile(r"<Placemark[\s/>]")
_END = re.compile(r"</Placemark\s*>")
_START_TAG = re.compile(r"""<Placemark(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_LAST_END = re.compile(rb"</Placemark\s*>")
_START_BYTES = re.compile(rb"<Placemark[\s/>]")
_PREFIXED_PLACEMARK = re.compile(rb"<[^\s<>/!?=:]+:Placemark[\s/>]")
_ROOTS = frozenset({"kml", "Document", "Folder", "Placemark"})
_REFERENCE = re.compile(r"&(?:(amp)|(lt)|(gt)|(quot)|(apos)|#x([0-9a-fA-F]+)|#([0-9]+));")
_ENTITIES = ("&", "<", ">", '"', "'")


def _reference(m: re.Match[str]) -> str:
    index = m.lastindex or 0
    if index <= 5:
        return _ENTITIES[index - 1]
    return chr(int(m[index], 16 if index == 6 else 10))


def xml_text(raw: str) -> str:
    """A text between tags as expat hands it over: line ends made "\\n", then references decoded."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _REFERENCE.sub(_reference, raw) if "&" in raw else raw


class _Checker:
    """Expat over every byte, with handlers only for what makes the bytes unsafe to read here."""

    def __init__(self) -> None:
        self.why = ""
        self.root = ""
        self.prefixes: dict[str, str] = {}  # prefix -> namespace, as declared (each one way)
        parser = self.parser = pyexpat.ParserCreate(namespace_separator="}")
        parser.StartDoctypeDeclHandler = lambda *_: self._odd("a DOCTYPE")
        parser.ProcessingInstructionHandler = lambda *_: self._odd("a processing instruction")
        parser.StartNamespaceDeclHandler = self._declared
        parser.XmlDeclHandler = self._declaration
        parser.StartElementHandler = self._root

    def _odd(self, why: str) -> None:
        self.why = self.why or why

    def _declared(self, prefix: str | None, uri: str) -> None:
        if prefix and self.prefixes.setdefault(prefix, uri) != uri:
            self._odd("a namespace prefix bound to two namespaces")  # a placemark read alone needs one

    def _declaration(self, _version: str, encoding: str | None, _standalone: int) -> None:
        if encoding is not None and encoding.upper() != "UTF-8":
            self._odd("an encoding other than UTF-8")

    def _root(self, tag: str, _attributes: Any) -> None:
        self.root = tag.rsplit("}", 1)[-1]
        self.parser.StartElementHandler = None  # one call: the root's name
        if self.root not in _ROOTS:
            self._odd("not a KML root")

    def feed(self, chunk: bytes, last: bool = False) -> None:
        try:
            self.parser.Parse(chunk, last)
        except (pyexpat.ExpatError, LookupError, ValueError):
            raise NotQuick("not well-formed") from None
        if self.why:
            raise NotQuick(self.why)


class QuickReader:
    """The placemarks of a KML file read from its bytes, a chunk at a time (``batches``).
    ``number``: the placemarks handed out so far (a fallback skips as many)."""

    def __init__(self, path: Path, plans: dict[Any, Any], plan_of: Callable[[tuple[str, ...]], Any],
                 odd: Callable[[str, int, list[Item]], int]) -> None:
        self.path, self.plans, self.plan_of, self.odd = path, plans, plan_of, odd
        self.number = 0
        self._checker = _Checker()
        self.layout: Layout | None = None  # the file's usual data names (kml_layout), once met
        self._builds = 0
        self._hits = self._misses = 0

    def batches(self) -> Iterator[list[Item]]:
        checker = self._checker
        size = kml_stream.CHUNK_BYTES  # the tree reader's chunks (the tests cut both alike)
        source = open_kml(self.path)
        try:
            first = source.read(size)
            head = first[3:] if first.startswith(b"\xef\xbb\xbf") else first
            if head[:1] != b"<" or head[1:2] == b"\0":
                raise NotQuick("not UTF-8 bytes")
            left = b""
            chunk = first
            vouching = True  # expat reads the bytes but the placemarks kml_vouch vouches for
            while chunk:
                buffer = left + chunk if left else chunk
                if not vouching:
                    checker.feed(chunk)  # the left was fed with the chunk before
                elif b"<!" in buffer:  # a comment or CDATA: expat reads every byte from here on
                    vouching = False
                    checker.feed(buffer)  # the left too: not fed yet
                buffer, unfinished = _plain(buffer)
                if b"<xml:" in buffer:
                    raise NotQuick("an xml: element")
                if b":Placemark" in buffer and _PREFIXED_PLACEMARK.search(buffer):
                    raise NotQuick("a placemark with a namespace prefix")  # not found by "<Placemark"
                if len(unfinished) > 4 * size:  # read again with each chunk: the tree reads it once
                    raise NotQuick("a long comment or CDATA section")
                end = _cut(buffer)
                left = buffer[end:] + unfinished
                if end:
                    yield self._region(buffer[:end], vouching)
                chunk = source.read(size)
            last = self._region(left, vouching) if left and vouching else []
            checker.feed(b"", True)
            if left:
                yield last if vouching else self._read(left)
        finally:
            source.close()

    def _region(self, region: bytes, vouching: bool) -> list[Item]:
        """The placemarks of ``region``, once expat has read it (all of it, or without the
        placemarks kml_vouch vouches for: ``_read`` feeds it then)."""
        if not vouching:
            return self._read(region)  # expat has read the chunk
        if not vouchable(region):
            self._checker.feed(region)
            return self._read(region)
        return self._read(region, [])

    def _read(self, region: bytes, gaps: list[str] | None = None) -> list[Item]:
        """``gaps``: collect the text between the placemarks the layout matches, and feed expat
        the region with each of those replaced by PLACEHOLDER (kml_vouch); None: it has been fed."""
        try:
            text = region.decode("utf-8")
        except UnicodeDecodeError:
            raise NotQuick("not UTF-8") from None
        fed = 0  # where the text not yet given to expat begins (gaps: vouched placemarks left out)
        fixing = "&" in text or "\r" in text  # else every text is as expat would hand it over
        fix = xml_text
        out: list[Item] = []
        append = out.append
        number = self.number
        plans, plan_of = self.plans, self.plan_of
        new_cells = Cells.__new__
        at = 0
        search, match, wide = _START.search, PLACEMARK.match, WIDE_PLACEMARK.match
        layout = self.layout
        missed = 0
        while (start := search(text, at)) is not None:
            begin = start.start()
            if layout is not None and (m := layout.match(text, begin)) is not None:
                # the usual placemark: its values by one match (kml_layout), the cells of the plans
                at = m.end()
                if gaps is not None:
                    gaps.append(text[fed:begin])
                    fed = at
                number += 1
                found = m.groups()
                cells = new_cells(Cells)
                cells.notes = []
                name, description = found[0], found[1]
                if name is not None:
                    name = cells["name"] = (fix(name) if fixing else name).strip()
                if description:
                    cells["notes"] = (fix(description) if fixing else description).strip()
                texts = found[2:]  # None: absent
                if fixing:
                    texts = tuple([t and fix(t) for t in texts])
                cells.update(compress(zip(layout.keys, texts, strict=True), map(is_not, texts, _NONES)))
                if name is not None and layout.named:
                    cells["name"] = name  # the placemark's <name> wins over a "name" field (key kept first)
                append((number, cells))
                continue
            if layout is not None:
                missed += 1
            m = match(text, begin)
            narrow = m is not None
            if m is None:
                m = wide(text, begin)
            if m is None:
                if gaps is not None:  # expat first: the prefixes declared before it are known
                    self._feed_gaps(gaps, text[fed:begin])
                    fed = begin
                at, number = self._odd(text, begin, number, out)
                continue
            at = m.end()
            number += 1
            name, description, data, simple, coordinates = m.groups()
            cells = new_cells(Cells)
            cells.notes = []
            if name is not None:
                cells["name"] = (fix(name) if fixing else name).strip()
            if description:
                cells["notes"] = (fix(description) if fixing else description).strip()
            if data is not None or simple is not None:
                # PLACEMARK vouched for the fields' layout: a name runs to its '"', a text to its
                # '<' (str methods: a regular expression per field costs ~10x)
                if data is not None:
                    names = tuple([piece.partition('"')[0] for piece in data.split('<Data name="')[1:]])
                    values = [piece.partition("<")[0] for piece in data.split("<value>")[1:]]
                else:
                    pieces = simple.split('<SimpleData name="')[1:]
                    names = tuple([piece.partition('"')[0] for piece in pieces])
                    values = [piece.partition('">')[2].partition("<")[0] for piece in pieces]
                if narrow and self._builds < MAX_BUILDS:
                    layout = self._learn("Data" if data is not None else "SimpleData", names)
                plan = plans.get(names) or plan_of(names)
                if plan.link:
                    continue
                fields, pick = plan.named if name is not None else plan[:2]
                if fields:
                    cells.update(zip(fields, [fix(v) for v in pick(values)] if fixing else pick(values),
                                     strict=True))
            if coordinates is not None:
                coords = (fix(coordinates) if fixing else coordinates).strip()
                xy = coords.split(",")
                if len(xy) < 2:
                    append((number, [Issue("coordinates", coords[:60], "is not 'longitude,latitude'",
                                           "bad_coordinates")]))
                    continue
                cells["lon"], cells["lat"] = xy[0].strip(), xy[1].strip()
            append((number, cells))
        if gaps is not None:
            if fed:
                self._feed_gaps(gaps, text[fed:])
            else:  # nothing vouched for (not the usual layout): the bytes as they are, not encoded again
                self._checker.feed(region)
        self._hits += number - self.number - missed
        self._misses += missed
        if self._misses > 256 and self._misses > self._hits:  # the layout does not pay: for good
            self.layout, self._builds = None, MAX_BUILDS
        self.number = number
        return out

    def _feed_gaps(self, gaps: list[str], last: str) -> None:
        """Expat reads the text so far, a vouched placemark being PLACEHOLDER between two gaps."""
        gaps.append(last)
        self._checker.feed(PLACEHOLDER.join(gaps).encode())
        gaps.clear()

    def _learn(self, kind: str, names: tuple[str, ...]) -> Layout | None:
        """The layout widened by ``names`` (those of a placemark read the general way; at most
        MAX_BUILDS times a file). ``_read`` drops it for good when most placemarks missed it."""
        layout = self.layout
        if layout is not None and layout.kind != kind:
            return layout
        order = names if layout is None else merged(layout.names, names)
        if order is None or (layout is not None and order == layout.names):
            return layout
        self._builds += 1
        self.layout = layout_of(kind, order, self.plan_of) or layout
        return self.layout

    def _odd(self, text: str, begin: int, number: int, out: list[Item]) -> tuple[int, int]:
        """A placemark not in the usual layout, parsed on its own: (where it ends, its number)."""
        tag = _START_TAG.match(text, begin)
        if tag is None:
            raise NotQuick("a placemark start tag not understood")
        if tag[1]:
            end = tag.end()
        else:
            close = _END.search(text, tag.end())
            if close is None or _START.search(text, tag.end(), close.start()) is not None:
                raise NotQuick("a placemark inside a placemark")
            end = close.end()
        fragment = text[begin:end]
        prefixes = self._checker.prefixes
        if prefixes:  # declared above the placemark: declared again around it
            declared = "".join(f" xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in prefixes.items())
            fragment = f"<_{declared}>{fragment}</_>"
        return end, self.odd(fragment, number, out)


def _plain(buffer: bytes) -> tuple[bytes, bytes]:
    """``buffer`` without comments and with each CDATA section's text escaped, and what is left of
    it from a comment or CDATA section not finished in it. In the bytes returned, as expat reads
    them (it has checked the file), every ``<`` starts a tag and each text is as the tree has it:
    ElementTree drops a comment (the texts either side join) and takes a CDATA text as it is."""
    at = buffer.find(b"<!")
    if at < 0:
        return buffer, b""
    out: list[bytes] = []
    done = 0
    while at >= 0:
        out.append(buffer[done:at])
        if buffer.startswith(b"<!--", at):
            end = buffer.find(b"-->", at + 4)  # a comment holds no "--"
            if end < 0:
                break
            done = end + 3
        elif buffer.startswith(b"<![CDATA[", at):
            end = buffer.find(b"]]>", at + 9)
            if end < 0:
                break
            out.append(buffer[at + 9:end].replace(b"&", b"&amp;").replace(b"<", b"&lt;"))
            done = end + 3
        elif b"<![CDATA[".startswith(buffer[at:at + 9]) or b"<!--".startswith(buffer[at:at + 4]):
            break  # the chunk ends inside "<![CDATA[" or "<!--"
        else:
            raise NotQuick("a declaration")  # a DOCTYPE: expat has said so already
        at = buffer.find(b"<!", done)
    else:
        out.append(buffer[done:])
        return b"".join(out), b""
    return b"".join(out), buffer[at:]


def _cut(buffer: bytes) -> int:
    """How much of ``buffer`` to read now: up to the last whole ``</Placemark>``, or up to the last
    ``>`` when no placemark begins after that (a long stretch without placemarks is not held)."""
    end = _last_end(buffer)
    if _START_BYTES.search(buffer, end) is None:
        return max(end, buffer.rfind(b">") + 1)
    return end


def _last_end(buffer: bytes) -> int:
    """Where the last whole ``</Placemark>`` in ``buffer`` ends (0: none)."""
    at = buffer.rfind(b"</Placemark")
    while at >= 0:
        m = _LAST_END.match(buffer, at)
        if m is not None:
            return m.end()
        at = buffer.rfind(b"</Placemark", 0, at)
    return 0
