"""Coordinate text as people type it, shared by every importer.

Accepted: decimal point or comma ("55.79", "55,79"), degrees-minutes-seconds with any of
° º ′ ' ’ ″ " or separated by spaces only ("55 38 10 N", "N55 38 10", "55 38 10.5"), a
hemisphere letter N/S/E/W (or Russian С/Ю/В/З, "с.ш.", "в.д."), and a single "lat, lon" cell.
Values are never swapped here: ``looks_swapped`` only says a pair would make sense the other
way round, and the importer flags the row and lets the user decide.
"""

from __future__ import annotations

import math
import re

__all__ = ["CoordError", "looks_swapped", "parse_coordinate", "parse_pair", "swap_distance_flag"]


class CoordError(ValueError):
    """The message completes "'<value>' ..." (same convention as the CSV cell parsers)."""


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_HEMI_LETTER = {"N": "N", "S": "S", "E": "E", "W": "W", "С": "N", "Ю": "S", "В": "E", "З": "W"}
_AXIS_OF = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}
_NUM = r"[0-9]+(?:[.,][0-9]+)?"
_DMS = re.compile(
    rf"^(?P<sign>[-+−])?(?P<d>{_NUM})\s*(?:[°º˚d]|deg)?\s*"
    rf"(?:(?P<m>{_NUM})\s*(?:['′’`]|m(?:in)?)\s*)?"
    rf"(?:(?P<s>{_NUM})\s*(?:[\"″”]|''|′′|s(?:ec)?)\s*)?$",
    re.IGNORECASE,
)


# Degrees, minutes and seconds separated by spaces only: "55 38 10", "55 38 10.5", "55 38,5".
_DMS_SPACED = re.compile(rf"^(?P<sign>[-+])?(?P<d>[0-9]+)\s+(?P<m>{_NUM})(?:\s+(?P<s>{_NUM}))?$")


def _plain_number(text: str) -> float | None:
    if re.search(r"[0-9]\s+[0-9]", text.strip()):
        return None  # "55 38 10" is degrees, minutes, seconds, not 553810
    t = text.translate(_SPACES).replace("−", "-")
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    # float() accepts "inf", "nan", "1_0" and non-ASCII digits: allow only ASCII decimal numbers.
    if not re.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", t):
        return None
    return float(t)


def parse_coordinate(text: str, axis: str) -> float:
    """One latitude (``axis="lat"``) or longitude (``"lon"``) in degrees; CoordError if not one.

    The range is not checked here (the caller reports out-of-range values and swap offers).
    """
    raw = text.strip()
    if not raw:
        raise CoordError("is empty")
    if raw.isascii() and raw.lstrip("-+").replace(".", "", 1).isdigit():
        return float(raw)  # the common "55.79": what _plain_number would give, without its regexes
    value = _plain_number(raw)
    if value is not None:
        if not math.isfinite(value):
            raise CoordError("is not a finite number")
        return value
    t = hemisphere_letters(raw).upper()
    hemi = ""
    if t and t[-1] in _HEMI_LETTER:
        hemi, t = _HEMI_LETTER[t[-1]], t[:-1].strip()
    elif t and t[0] in _HEMI_LETTER:
        hemi, t = _HEMI_LETTER[t[0]], t[1:].strip()
    if hemi and _AXIS_OF[hemi] != axis:
        what = "latitude" if axis == "lat" else "longitude"
        raise CoordError(f"has hemisphere {hemi}, which is not a {what}")
    t = t.replace("−", "-")
    m = _DMS.match(t) or _DMS_SPACED.match(t)
    if m is None:
        raise CoordError("is not a coordinate (use 55.79, 55,79 or 55°47′24″N)")

    def num(s: str | None) -> float:
        return float(s.replace(",", ".")) if s else 0.0

    deg, minutes, seconds = num(m["d"]), num(m["m"]), num(m["s"])
    if minutes >= 60 or seconds >= 60:
        raise CoordError("has minutes or seconds of 60 or more")
    value = deg + minutes / 60 + seconds / 3600
    if m["sign"] in ("-", "−") or hemi in ("S", "W"):
        if m["sign"] in ("-", "−") and hemi in ("S", "W"):
            raise CoordError("has both a minus sign and a S/W hemisphere")
        value = -value
    return value


# Russian hemisphere words as Wikipedia and documents write them, with or without dots and
# spaces: "с. ш.", "с.ш.", "сш" (and ю. ш., в. д., з. д.).
_RU_HEMI = re.compile(r"(?<![^\W\d_])([сю])\.?\s*ш\.?|(?<![^\W\d_])([вз])\.?\s*д\.?", re.IGNORECASE)
_RU_LETTER = {"с": "N", "ю": "S", "в": "E", "з": "W"}


def hemisphere_letters(text: str) -> str:
    """Russian hemisphere words as N/S/E/W: "55°47′47″ с. ш. 49°06′32″ в. д." -> "55°47′47″ N 49°06′32″ E"."""
    return _RU_HEMI.sub(lambda m: _RU_LETTER[(m[1] or m[2]).lower()], text)


def parse_pair(text: str) -> tuple[float, float]:
    """A single "lat, lon" cell: "55.79, 49.11", "55,79; 49,11", "55.79 49.11", DMS pairs
    ("55°47′47″ с. ш. 49°06′32″ в. д." too)."""
    t = hemisphere_letters(text.strip().strip("()[]")).strip()
    parts: list[str]
    if ";" in t:
        parts = t.split(";")
    elif re.search(r"[NSСЮ]\s*[,\s]\s*\S", t, re.IGNORECASE) and not re.fullmatch(r"[\d.,\s+-]+", t):
        parts = re.split(r"(?<=[NSСЮnsсю])\s*[,\s]\s*", t, maxsplit=1)
    elif ", " in t and t.count(", ") == 1:
        parts = t.split(", ")
    elif t.count(",") == 1 and "." in t:
        parts = t.split(",")
    elif t.count(",") == 3:  # "55,79,49,11" is ambiguous except with two decimal commas
        a, b, c, d = t.split(",")
        parts = [f"{a},{b}", f"{c},{d}"]
    else:
        parts = t.split()
    if len(parts) != 2:
        raise CoordError('is not a "latitude, longitude" pair')
    return parse_coordinate(parts[0], "lat"), parse_coordinate(parts[1], "lon")


def looks_swapped(lat: float, lon: float) -> bool:
    """True if (lat, lon) is impossible as given but valid the other way round."""
    return not -90.0 <= lat <= 90.0 and -90.0 <= lon <= 90.0 and -180.0 <= lat <= 180.0


_KM_PER_RADIAN = 6371.0  # the sphere _km uses
_RADIANS = math.pi / 180.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Haversine is plenty for a "this row is 2,000 km off" hint; distances that matter use pyproj.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _KM_PER_RADIAN * math.asin(min(1.0, math.sqrt(h)))


#: A row is suspected swapped when, as given, it is this far from the roster's centre...
SWAP_FAR_KM = 500.0
#: ...and swapped it lands within this distance of it.
SWAP_NEAR_KM = 300.0

#: Degrees (|dlat| + |dlon|) within which a row cannot be SWAP_FAR_KM from the centre: a bound of
#: swap_distance_flag's cheap exit (cos(lat) <= 1), for callers that check many rows.
SWAP_NEAR_DEGREES = (SWAP_FAR_KM - 1e-6) / (_KM_PER_RADIAN * _RADIANS) * 0.999


def swap_distance_flag(lat: float, lon: float, centre: tuple[float, float]) -> tuple[float, float] | None:
    """(km as given, km swapped) if the swapped position fits the roster much better, else None.

    This catches the case ranges cannot: a Russian roster's (55.8, 49.1) typed as (49.1, 55.8) is
    a valid point in Kazakhstan, but 700 km from everybody else.
    """
    if not (-90.0 <= lon <= 90.0):
        return None
    # Cheap exit for the many rows near the centre: going along the meridian and then along the
    # row's parallel is a path at least as long as the great circle, so this bounds ``given`` from
    # above (in km, on the same sphere as _km; the 1e-6 margin absorbs rounding).
    c_lat, c_lon = centre
    if -90.0 <= lat <= 90.0 and -90.0 <= c_lat <= 90.0:  # the path argument needs real latitudes
        degrees = abs(lat - c_lat) + math.cos(math.radians(lat)) * abs(lon - c_lon)
        if _KM_PER_RADIAN * _RADIANS * degrees < SWAP_FAR_KM - 1e-6:
            return None
    given = _km(lat, lon, *centre)
    if given < SWAP_FAR_KM:
        return None
    swapped = _km(lon, lat, *centre)
    return (given, swapped) if swapped <= SWAP_NEAR_KM and swapped * 4 < given else None
