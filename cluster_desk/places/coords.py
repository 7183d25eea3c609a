"""Coordinates typed in the search box, in any common form, with messages a user can act on.

The number and DMS grammar is ``cluster_desk.io.coords`` (shared with the importers); this adds
what a search box needs: hemisphere-tagged pairs in either order ("49°07′E 55°47′N"), a clear
"not coordinates" for plain words, and range checks.
"""

from __future__ import annotations

import math
import re

from cluster_desk.io.coords import CoordError, hemisphere_letters, parse_pair


class CoordinateError(ValueError):
    """``str(e)`` is a full English sentence to show under the search box; ``code`` and ``params``
    are its facts for the text renderer (cluster_desk.text.coords_text)."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


_LOOKS_NUMERIC = re.compile(r"^[\s\d.,;:°º˚′″'\"’”`+\-−NSEWnsewСЮВЗсювз()\[\]dmsDMS]+$")
_EW_FIRST = re.compile(r"^\s*[^NSnsСЮсю]*[EWewВЗвз]\b.*[NSnsСЮсю]")


def looks_like_coordinates(text: str) -> bool:
    """Digits and coordinate punctuation only (so "55 Kazan" is a name, "55.7, 49.1" is not)."""
    t = hemisphere_letters(text.strip())
    return bool(t) and any(c.isdigit() for c in t) and bool(_LOOKS_NUMERIC.match(t))


def parse_coordinates(text: str) -> tuple[float, float]:
    """(lat, lon) from "55.79, 49.12", "55,79 49,12", "55°47′N 49°07′E", "N55.79 E49.12",
    "49°07′E 55°47′N", "55°47′ с. ш. 49°07′ в. д."...; CoordinateError with a readable message
    otherwise."""
    t = hemisphere_letters(text.strip())
    if not looks_like_coordinates(t):
        raise CoordinateError(f"“{t}” is not a pair of coordinates.", "not_coordinates", text=t)
    try:
        lat, lon = parse_pair(t)
    except CoordError as first:
        # Longitude first, but tagged with E/W and N/S: the tags say which is which.
        parts = re.split(r"(?<=[EWewВЗвз])\s*[,;\s]\s*", t, maxsplit=1)
        if len(parts) == 2 and _EW_FIRST.match(t):
            try:
                lat, lon = parse_pair(f"{parts[1]}, {parts[0]}")
            except CoordError:
                raise CoordinateError(f"“{t}” {first}.", "unreadable", text=t) from None
        else:
            raise CoordinateError(f"“{t}” {first}.", "unreadable", text=t) from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise CoordinateError(f"“{t}”: coordinates must be finite numbers.", "not_finite", text=t)
    if not -90 <= lat <= 90:
        raise CoordinateError(f"Latitude {lat:g} is out of range: it must be between -90 and 90.",
                              "lat_range", value=lat)
    if not -180 <= lon <= 180:
        raise CoordinateError(f"Longitude {lon:g} is out of range: it must be between -180 and 180.",
                              "lon_range", value=lon)
    return lat, lon
