"""Member field rules (core.validation): INN check digits, dates, ranges."""

from __future__ import annotations

import doctest

import pytest

import cluster_desk.core.validation as validation
from cluster_desk.core.model import Member
from cluster_desk.core.validation import (
    Code,
    Severity,
    inn_check_digits_ok,
    inn_problem,
    member_errors,
    member_problems,
    parse_iso_date,
)

# Real, published INNs (Sberbank, Gazprom, an individual entrepreneur's from the FNS examples).
GOOD_INNS = ["7707083893", "7736050003", "500100732259", "7830002293"]


@pytest.mark.parametrize("inn", GOOD_INNS)
def test_real_inns_pass(inn: str) -> None:
    assert inn_check_digits_ok(inn)
    assert inn_problem(inn) is None


@pytest.mark.parametrize("inn", GOOD_INNS)
def test_every_single_digit_typo_in_the_last_place_is_caught(inn: str) -> None:
    last = int(inn[-1])
    for d in range(10):
        if d != last:
            assert inn_problem(inn[:-1] + str(d)) is Code.INN_CHECK_DIGIT


@pytest.mark.parametrize(("inn", "code"), [
    ("", None), ("77070838", Code.INN_LENGTH), ("77070838931", Code.INN_LENGTH),
    ("7707O83893", Code.INN_NOT_DIGITS), ("٧٧٠٧٠٨٣٨٩٣", Code.INN_NOT_DIGITS),
])
def test_inn_shape(inn: str, code: Code | None) -> None:
    assert inn_problem(inn) is code


def test_dates() -> None:
    assert parse_iso_date("2024-02-29") is not None
    assert parse_iso_date("2023-02-29") is None
    assert parse_iso_date("29.02.2024") is None
    assert parse_iso_date("2024-2-9") is None


def test_member_problems_errors_and_warnings() -> None:
    ok = Member(name="A", lat=55.0, lon=49.0, inn="7707083893", joined="2020-01-01", employees=5)
    assert member_problems(ok) == []
    bad = Member(name=" ", lat=95.0, lon=None, inn="7707083890", employees=-1,
                 joined="2020-01-01", left="2019-12-31")
    found = {(p.field, p.code, p.severity) for p in member_problems(bad)}
    assert found == {
        ("name", Code.NAME_EMPTY, Severity.ERROR),
        ("employees", Code.EMPLOYEES_RANGE, Severity.ERROR),
        ("lon", Code.COORDS_PARTIAL, Severity.ERROR),
        ("lat", Code.LAT_RANGE, Severity.ERROR),
        ("inn", Code.INN_CHECK_DIGIT, Severity.WARNING),
        ("left", Code.LEFT_BEFORE_JOINED, Severity.WARNING),
    }
    # A mistyped INN alone is flagged, not refused.
    assert member_errors(Member(name="A", inn="7707083890")) == []
    assert all(p.message for p in member_problems(bad))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True])
def test_non_finite_coordinates_are_errors(value: float) -> None:
    codes = {p.code for p in member_errors(Member(name="A", lat=value, lon=0.0))}
    assert Code.LAT_RANGE in codes


def test_doctest() -> None:
    assert doctest.testmod(validation).failed == 0
