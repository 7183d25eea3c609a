"""Dates as each language writes them, and the dates people type read back.

The file keeps ISO days ("2016-09-01"). Russian readers write 01.09.2016, so the window, the
passport and the forms show that in Russian and ISO in English; every field that takes a date
reads either (and the YYYY/M/D of GDAL's Date fields), as the importers always did. Qt-free:
the command line, the passport and the window share it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # 01.09.2016, 1.9.2016
_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")  # 2015/03/12
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    if not _ISO.fullmatch(t):
        return None
    try:
        return date.fromisoformat(t).isoformat()
    except ValueError:
        return None


def typed_day(text: str) -> str | None:
    """A date field's value: its ISO day, else the text as typed (the checks then say it is not
    a date), None when empty."""
    return iso_day(text) or text.strip() or None


def day(iso: str | None, lang: str) -> str:
    """An ISO day as ``lang`` writes it: "01.09.2016" / "2016-09-01"; "" for none, and text that
    is not an ISO day as it is."""
    if not iso:
        return ""
    if lang != "ru" or not _ISO.fullmatch(iso):
        return iso
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def moment(when: datetime | str, lang: str, *, today_as_time: bool = False) -> str:
    """A time to the minute in the local time zone: "03.12.2026 14:05" / "2026-12-03 14:05"
    (``today_as_time``: only "14:05" when it is today). An ISO text is read first; text that is
    not one is shown as it is."""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return when
    local = when.astimezone()
    if today_as_time and local.date() == datetime.now().astimezone().date():
        return f"{local:%H:%M}"
    return f"{day(local.date().isoformat(), lang)} {local:%H:%M}"
