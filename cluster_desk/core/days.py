"""Dates people type or import, read as the ISO days the file keeps.

Russian spreadsheets and users write 01.09.2016, GDAL's Date fields 2015/03/12; the file keeps
2016-09-01. Every importer and every date field of the window reads through here (the window
writes days back as the language does: text.dates).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # 01.09.2016, 1.9.2016
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")  # 2015/03/12
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]")


@lru_cache(maxsize=4096)  # a roster repeats few distinct dates
def iso_day(text: str) -> str | None:
    """The ISO day of a typed or imported date (a time after an ISO day is dropped); None if it
    is not one (a real day of the calendar)."""
    t = text.strip()
    if m := _DOTTED.fullmatch(t):
        t = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    elif m := _SLASHED.fullmatch(t):
        t = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"
    elif m := _ISO_WITH_TIME.match(t):
        t = m[1]
    if not ISO_DAY.fullmatch(t):
        return None
    try:
        return date.fromisoformat(t).isoformat()
    except ValueError:
        return None


def typed_day(text: str) -> str | None:
    """A date field's value: its ISO day, else the text as typed (the checks then say it is not
    a date), None when empty."""
    return iso_day(text) or text.strip() or None
