"""Dates as each language writes them, and typed dates read back (text.dates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cluster_desk.core.days import iso_day, typed_day
from cluster_desk.text.dates import day, moment


@pytest.mark.parametrize(("typed", "iso"), [
    ("2016-09-01", "2016-09-01"), (" 01.09.2016 ", "2016-09-01"), ("1.9.2016", "2016-09-01"),
    ("2015/3/12", "2015-03-12"), ("2016-09-01T10:00:00", "2016-09-01"), ("2016-09-01 10:00", "2016-09-01"),
    ("29.02.2024", "2024-02-29"),
])  # fmt: skip
def test_a_typed_date_reads_as_its_iso_day(typed: str, iso: str) -> None:
    assert iso_day(typed) == iso


@pytest.mark.parametrize("typed", ["", "soon", "2016", "31.02.2024", "29.02.2023", "2016-9-1", "01/09/2016",
                                   "2016-13-01", "01.09.16"])
def test_what_is_not_a_day_of_the_calendar_is_none(typed: str) -> None:
    assert iso_day(typed) is None


def test_a_field_keeps_what_is_not_a_date_for_the_checks_to_name() -> None:
    assert typed_day("01.09.2016") == "2016-09-01"
    assert typed_day(" 2016 ") == "2016" and typed_day("  ") is None


def test_each_language_writes_a_day_its_way() -> None:
    assert day("2016-09-01", "ru") == "01.09.2016" and day("2016-09-01", "en") == "2016-09-01"
    assert day(None, "ru") == "" and day("", "en") == ""
    assert day("2016", "ru") == "2016"  # not an ISO day: as it is


def test_a_moment_in_local_time_to_the_minute() -> None:
    when = datetime(2026, 12, 3, 14, 5, 59, tzinfo=UTC)
    local = when.astimezone()
    assert moment(when, "en") == f"{local:%Y-%m-%d %H:%M}"
    assert moment(when, "ru") == f"{local:%d.%m.%Y %H:%M}"
    assert moment(when.isoformat(), "ru") == moment(when, "ru")
    assert moment("not a time", "ru") == "not a time"
    now = datetime.now(UTC)
    assert moment(now, "ru", today_as_time=True) == f"{now.astimezone():%H:%M}"
    earlier = now - timedelta(days=2)
    assert moment(earlier, "en", today_as_time=True) == f"{earlier.astimezone():%Y-%m-%d %H:%M}"
