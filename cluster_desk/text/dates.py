"""Dates as each language writes them.

The file keeps ISO days ("2016-09-01"). Russian readers write 01.09.2016, so the window, the
passport and the forms show that in Russian and ISO in English; every field that takes a date
reads either (``core.days.iso_day``). Qt-free: the command line, the passport and the window
share it.
"""

from __future__ import annotations

from datetime import datetime

from cluster_desk.core.days import ISO_DAY


def day(iso: str | None, lang: str) -> str:
    """An ISO day as ``lang`` writes it: "01.09.2016" / "2016-09-01"; "" for none, and text that
    is not an ISO day as it is."""
    if not iso:
        return ""
    if lang != "ru" or not ISO_DAY.fullmatch(iso):
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
