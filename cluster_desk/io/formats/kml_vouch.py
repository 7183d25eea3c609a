"""Which bytes of a KML expat need not read: placemarks the layout pattern matched, in a region
whose bytes are plain (``vouchable``). Expat's check of every byte was the largest part of the
byte reader left (~1 s of CPU for our export's 100,000 placemarks, 120 MB) once ``kml_layout``
had made the reading cheap.

Such a placemark is well-formed XML by its pattern and the region's bytes: every tag in it is a
literal of the pattern (``<Placemark>`` or ``<Placemark id="...">`` with no ``<&>/`` in the
value, ``<name>``, ``<Data name="...">``, ``</Placemark>``: no whitespace, prefix or other
attribute inside a tag; a data name is one met in a placemark expat has read in full, since the
layout is built from those), between them texts without ``<``, and the region holds no
character XML refuses (C0 controls but tab and line ends; U+FFFE and U+FFFF, with the rest of
U+FFC0-U+FFFF, are left to expat), no ``]]>`` and no ``&`` but the five predefined entities
and references to characters XML allows. It declares no namespace prefix and holds no DOCTYPE,
processing instruction, comment or CDATA section (the reader stops vouching at the first ``<!``).
Expat reads the rest of the file with each such placemark replaced by ``<Placemark/>`` (an
element for an element: the nesting, the root and the namespaces expat checks are those of the
file), so the file is accepted exactly when expat would accept all of it.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDER", "vouchable"]

PLACEHOLDER = "<Placemark/>"  # what expat reads instead of a vouched placemark

# the bytes looked at further (deleted from a copy: what is left is the few that need a look)
_LOOKED_AT = bytes(range(0, 9)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20)) + b"&]\xef"
_PLAIN_BYTES = bytes(b for b in range(256) if b not in _LOOKED_AT)
_CONTROL = bytes(range(0, 9)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))
_REFERENCE = re.compile(rb"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,10})|#x([0-9a-fA-F]{1,8}));|&")  # bare: bad


def _allowed(code: int) -> bool:
    """A character XML 1.0 allows (its ``Char`` production)."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def vouchable(region: bytes) -> bool:
    """Whether the placemarks the layout matches in ``region`` (UTF-8, no ``<!``) may be left
    out of what expat reads: no refused character, no ``]]>``, every ``&`` a reference XML allows."""
    odd = region.translate(None, _PLAIN_BYTES)
    if not odd:
        return True
    if odd.translate(None, b"&]\xef"):  # a control character
        return False
    if b"\xef" in odd and b"\xef\xbf" in region:  # U+FFC0-U+FFFF: U+FFFE and U+FFFF among them
        return False
    if b"]" in odd and b"]]>" in region:
        return False
    if b"&" in odd:
        for m in _REFERENCE.finditer(region):
            kind = m.lastindex
            if kind is None:  # a "&" that starts no reference XML allows here (no DTD: five names)
                return False
            if kind > 1 and not _allowed(int(m[kind], 10 if kind == 2 else 16)):
                return False
    return True
