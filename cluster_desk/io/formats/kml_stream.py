"""A KML (or the KML inside a KMZ) parsed as it streams in: the subtrees that closed in each
chunk, then dropped, so memory stays flat whatever the file's size (``kml_read`` reads them).

A DTD is refused before the tree builder sees it (no entity is declared, so none is read).
Broken XML found mid-way is an ImportFileError naming the file and line; the import then leaves
the project unchanged whatever was read before it. The root's own KML 2.2 default namespace is
blanked out before the parse (``drop_kml_default``): shorter tags, the same cells, the same lines
and columns in messages.
"""

from __future__ import annotations

import pyexpat
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cluster_desk.io.errors import ImportFileError

__all__ = ["CHUNK_BYTES", "LOCAL_NAMES", "MAX_KML_BYTES", "NameScan", "closed_parts", "drop_kml_default",
           "local_name", "open_kml"]

MAX_KML_BYTES = 512 * 1024 * 1024


LOCAL_NAMES: dict[Any, str] = {}  # "{namespace}Placemark" -> "Placemark": a KML has few distinct tags


def local_name(tag: Any) -> str:
    """The local name: "Placemark" of "{namespace}Placemark" ("" for a comment or PI)."""
    local = LOCAL_NAMES.get(tag)
    if local is None:
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(LOCAL_NAMES) < 10_000:  # bounded whatever a hostile file invents
            LOCAL_NAMES[tag] = local
    return local


def open_kml(path: Path) -> BinaryIO | _Unzipped:
    """The KML's bytes (a KMZ's first .kml unpacked as read), or an ImportFileError."""
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


def _prolog_checker() -> Any:
    """An expat parser over the prolog only (it stops at the root element), refusing any DOCTYPE:
    no DTD means no entity can be declared (what defusedxml's forbid_dtd guarantees), and expat
    itself never fetches an external one. The tree is built by ElementTree's own C TreeBuilder,
    which has no DOCTYPE hook: a Python subclass with one costs every element a Python-level call
    (~15 % of the parse)."""
    checker = pyexpat.ParserCreate(namespace_separator="}")

    def root_reached(*_: Any) -> None:
        raise _RootReached(checker.CurrentByteIndex)  # where the root's start tag begins

    checker.StartDoctypeDeclHandler = _refuse_doctype
    checker.StartElementHandler = root_reached
    return checker


KML_NS = b"http://www.opengis.net/kml/2.2"
_START_TAG = re.compile(rb"""<[^\s/>]+((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")


def drop_kml_default(chunk: bytes, at: int) -> bytes:
    """``chunk`` with the root start tag's (at ``at``) default namespace declaration blanked out
    when it is KML 2.2's, byte for byte with spaces (so every line and column stays where it was).
    The tags are then ``Placemark``, not ``{http://www.opengis.net/kml/2.2}Placemark``: ~5 % less
    parse (expat expands each name and ElementTree hashes it). The reader goes by local names, so
    the rows are the same; prefixed names (``gx:``, ``atom:``) and deeper declarations stay."""
    tag = _START_TAG.match(chunk, at) if 0 <= at < len(chunk) else None
    if tag is None:  # the tag runs into the next chunk, or not in an ASCII-compatible encoding
        return chunk
    for attribute in _ATTRIBUTE.finditer(chunk, tag.start(1), tag.end(1)):
        if attribute[1] == b"xmlns" and attribute[2][1:-1] == KML_NS:
            start, end = attribute.start(1), attribute.end()
            return chunk[:start] + b" " * (end - start) + chunk[end:]
    return chunk


class NameScan:
    """What the bytes read so far say about the file's tags, so the reader need not look at every
    element's tag (~6 % of a KML import): whether every element is in one namespace, which of a
    few names may occur, and how many placemarks at most have begun. One namespace means: an
    ASCII-compatible encoding (a ``<`` first), no ``xml:`` anywhere, and no ``xmlns`` but the
    root's one default declaration (or none at all); then no element can have a prefix, so every
    tag is ``prefix + local name``. ``xmlns`` in a text or a comment only makes the reader take its
    slower, general way."""

    NAMES = ("Data", "SimpleData")
    WATCHED = tuple(b"<" + n.encode() for n in NAMES)

    def __init__(self) -> None:
        self.declared = 0  # namespace declarations on the root element
        self.root: str | None = None  # the root's tag, once parsed
        self._xmlns = 0
        self._tail = b""
        self._plain = True  # ASCII-compatible, no "xml:" seen
        self._started = False
        self.seen: set[str] = set()  # the WATCHED names that may occur (bytes met so far)
        # "<Placemark"s in the bytes so far with a ">" after them (never fewer than the placemarks
        # begun: a comment or a longer name only adds), and the placemarks begun but not yet handed
        # out (closed_parts sets it)
        self.placemarks = 0
        self.pending = 0
        self._placemarks = self._unfinished = 0

    def declare(self, *_: Any) -> None:
        self.declared += 1

    def feed(self, chunk: bytes) -> None:
        if not self._started:
            self._started = True
            self._plain = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"
        if not self._plain:
            return
        # A name cut by the chunk's start is found whole in the seam (not a copy of the chunk).
        head, tail = chunk[:16], self._tail
        seam = tail + head
        if b"xml" in chunk or b"xml" in seam:  # rare past the root: one scan of the chunk, not two
            cut = seam.count(b"xmlns") - tail.count(b"xmlns") - head.count(b"xmlns")  # across the seam
            self._xmlns += chunk.count(b"xmlns") + cut
            if b"xml:" in chunk or b"xml:" in seam:
                self._plain = False
        # a "<Placemark" after the stream's last ">" has no whole start tag yet: not begun
        found = chunk.count(b"<Placemark")
        found += seam.count(b"<Placemark") - tail.count(b"<Placemark") - head.count(b"<Placemark")
        self._placemarks += found
        last = chunk.rfind(b">")
        self._unfinished = self._unfinished + found if last < 0 else chunk.count(b"<Placemark", last + 1)
        self.placemarks = self._placemarks - self._unfinished
        for watched in self.WATCHED:
            name = watched[1:].decode()
            if name not in self.seen and (watched in chunk or watched in seam):
                self.seen.add(name)
        self._tail = chunk[-16:] if len(chunk) >= 16 else seam[-16:]

    def prefix(self) -> str | None:
        """``"{namespace}"`` (or ``""``) that every tag of the file starts with, so far; None: the
        file may mix namespaces."""
        root = self.root
        if not self._plain or root is None or self._xmlns != self.declared or self.declared > 1:
            return None
        if root.startswith("{"):
            return root[: root.index("}") + 1] if self.declared == 1 else None
        return "" if self.declared == 0 else None


def closed_parts(path: Path, scan: NameScan | None = None) -> Iterator[list[ET.Element]]:
    """The file's elements in document order, a chunk's worth at a time, each list holding the
    subtrees that closed in that chunk (then detached: memory stays flat whatever the file's size).

    ElementTree's C parser builds the tree below a holder element started on the builder first, so
    the tree in progress is reachable between chunks. Elements open one inside another, so at each
    level every child but the last is closed; the last is looked into (unless it is a Placemark,
    which is read once it is whole). Nothing runs in Python per element. ``scan``, when given, is
    fed every chunk before the parts closed in it are yielded.
    """
    name = path.name
    source = open_kml(path)
    builder = ET.TreeBuilder()
    holder = builder.start("\0holder", {})
    parser = ET.XMLParser(target=builder)
    checker: Any = _prolog_checker()
    if scan is not None:
        checker.StartNamespaceDeclHandler = scan.declare
    read = 0  # bytes before this chunk
    try:
        while chunk := source.read(CHUNK_BYTES):
            if checker is not None:
                try:
                    checker.Parse(chunk, False)
                except _RootReached as reached:
                    checker = None
                    stripped = drop_kml_default(chunk, reached.args[0] - read)
                    if stripped is not chunk and scan is not None:
                        scan.declared -= 1  # the checker saw the declaration; the parser will not
                    chunk = stripped
            read += len(chunk)
            if scan is not None:
                scan.feed(chunk)
            parser.feed(chunk)
            if len(holder):
                _check_root(holder[0], name)
                closed = _detach_closed(holder)
                if scan is not None:
                    scan.root = holder[0].tag
                    scan.pending = _placemarks_in(holder)
                yield closed
        parser.close()
        if len(holder):
            _check_root(holder[0], name)
            if scan is not None:
                scan.root = holder[0].tag
            last = list(holder)
            del holder[:]
            if scan is not None:
                scan.pending = 0
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
    local = local_name(root.tag)
    if local not in ("kml", "Document", "Folder", "Placemark"):
        raise ImportFileError(f"{name}: not a KML file (root element <{local[:40]}>)", "not_kml",
                              root=local[:40])


def _placemarks_in(holder: ET.Element) -> int:
    """The placemarks in what is left after the closed parts are detached (a chain of last
    children, ending at most in one placemark's subtree): a few dozen elements."""
    return sum(1 for e in holder.iter() if local_name(e.tag) == "Placemark")


def _detach_closed(holder: ET.Element) -> list[ET.Element]:
    closed: list[ET.Element] = []
    parent = holder
    while (count := len(parent)) > 0:
        if count > 1:
            closed += parent[: count - 1]
            del parent[: count - 1]
        parent = parent[0]
        if local_name(parent.tag) == "Placemark":
            break
    return closed
