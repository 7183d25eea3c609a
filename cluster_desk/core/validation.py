"""Member field rules, in one place: the member form, the store and the importers all ask here.

Problems are facts (field, code, severity, the offending value), not prose: whoever shows them
words them in the user's language. ``message`` gives the English sentence for logs and the
command line. An *error* makes a record unacceptable; a *warning* flags a value that is probably
wrong but is kept (a roster with a mistyped INN is imported and the row is flagged, never dropped).

    >>> inn_problem("7707083893") is None   # Sberbank: check digit right
    True
    >>> inn_problem("7707083890") == Code.INN_CHECK_DIGIT
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from cluster_desk.core.model import Member

#: Largest head count a record may carry (the biggest employers have well under a million).
MAX_EMPLOYEES: Final = 10_000_000
LAT_LIMIT: Final = 90.0
LON_LIMIT: Final = 180.0

_INN10_WEIGHTS: Final = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS: Final = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS: Final = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


class Severity(StrEnum):
    ERROR = "error"  # the record cannot be stored this way
    WARNING = "warning"  # kept, but shown to the user


class Code(StrEnum):
    NAME_EMPTY = "name_empty"
    COORDS_PARTIAL = "coords_partial"  # one of latitude/longitude only
    LAT_RANGE = "lat_range"
    LON_RANGE = "lon_range"
    EMPLOYEES_RANGE = "employees_range"
    INN_NOT_DIGITS = "not_digits"
    INN_LENGTH = "length"
    INN_CHECK_DIGIT = "check_digit"
    DATE_FORMAT = "date_format"
    LEFT_BEFORE_JOINED = "left_before_joined"


_ENGLISH: Final[dict[Code, str]] = {
    Code.NAME_EMPTY: "the name is required",
    Code.COORDS_PARTIAL: "give both latitude and longitude, or neither",
    Code.LAT_RANGE: "latitude must be within ±90°",
    Code.LON_RANGE: "longitude must be within ±180°",
    Code.EMPLOYEES_RANGE: f"employees must be a whole number from 0 to {MAX_EMPLOYEES:,}",
    Code.INN_NOT_DIGITS: "an INN has digits only",
    Code.INN_LENGTH: "an INN has 10 (organisation) or 12 (individual) digits",
    Code.INN_CHECK_DIGIT: "the INN's check digit does not match (a typo?)",
    Code.DATE_FORMAT: "dates are written as YYYY-MM-DD",
    Code.LEFT_BEFORE_JOINED: "the date left is before the date joined",
}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str  # a MEMBER_FIELDS name ("lat", "inn", "joined", ...)
    code: Code
    severity: Severity
    value: str = ""  # the offending value as text ("" when it is the absence of one)

    @property
    def message(self) -> str:
        """English, for logs and the command line (the UI translates by ``code``)."""
        return _ENGLISH[self.code]


# ----- single values ----------------------------------------------------------------------------

def inn_check_digits_ok(inn: str) -> bool:
    """True when a 10- or 12-digit INN's check digit(s) match (Federal Tax Service rule)."""
    if not (inn.isascii() and inn.isdigit()) or len(inn) not in (10, 12):
        return False
    d = [int(c) for c in inn]

    def check(weights: tuple[int, ...]) -> int:
        return sum(w * x for w, x in zip(weights, d, strict=False)) % 11 % 10

    if len(d) == 10:
        return check(_INN10_WEIGHTS) == d[9]
    return check(_INN11_WEIGHTS) == d[10] and check(_INN12_WEIGHTS) == d[11]


def inn_problem(inn: str) -> Code | None:
    """What is wrong with an INN written as text ("" is no INN: fine), or None."""
    if not inn:
        return None
    if not (inn.isascii() and inn.isdigit()):
        return Code.INN_NOT_DIGITS
    if len(inn) not in (10, 12):
        return Code.INN_LENGTH
    if not inn_check_digits_ok(inn):
        return Code.INN_CHECK_DIGIT
    return None


def parse_iso_date(text: str) -> date | None:
    """A calendar date written YYYY-MM-DD, or None (also for "2024-02-30")."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def coordinate_ok(value: float, limit: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value) and -limit <= value <= limit


# ----- whole records ----------------------------------------------------------------------------

def member_problems(m: Member) -> list[FieldProblem]:
    """Every problem of one member record, errors and warnings, in field order."""
    out: list[FieldProblem] = []
    err, warn = Severity.ERROR, Severity.WARNING
    if not m.name.strip():
        out.append(FieldProblem("name", Code.NAME_EMPTY, err))
    if m.employees is not None and (
        type(m.employees) is not int or not 0 <= m.employees <= MAX_EMPLOYEES
    ):
        out.append(FieldProblem("employees", Code.EMPLOYEES_RANGE, err, str(m.employees)))
    if (m.lat is None) != (m.lon is None):
        out.append(FieldProblem("lat" if m.lat is None else "lon", Code.COORDS_PARTIAL, err))
    if m.lat is not None and not coordinate_ok(m.lat, LAT_LIMIT):
        out.append(FieldProblem("lat", Code.LAT_RANGE, err, str(m.lat)))
    if m.lon is not None and not coordinate_ok(m.lon, LON_LIMIT):
        out.append(FieldProblem("lon", Code.LON_RANGE, err, str(m.lon)))
    code = inn_problem(m.inn)
    if code is not None:
        # A wrong check digit is flagged, never refused: the register may be right and the
        # roster mistyped, and the user decides (issue 10.8).
        out.append(FieldProblem("inn", code, warn if code is Code.INN_CHECK_DIGIT else err, m.inn))
    dates: dict[str, date] = {}
    for name in ("joined", "left"):
        text = getattr(m, name)
        if text:
            parsed = parse_iso_date(text)
            if parsed is None:
                out.append(FieldProblem(name, Code.DATE_FORMAT, err, text))
            else:
                dates[name] = parsed
    if "joined" in dates and "left" in dates and dates["left"] < dates["joined"]:
        out.append(FieldProblem("left", Code.LEFT_BEFORE_JOINED, warn, m.left or ""))
    return out


def member_errors(m: Member) -> list[FieldProblem]:
    """Only the problems that make the record unacceptable (what a store refuses)."""
    return [p for p in member_problems(m) if p.severity is Severity.ERROR]
