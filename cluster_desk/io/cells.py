"""Cell text -> member field values, shared by every importer.

Strict about values, forgiving about spelling: "н/д", "нет", "-" in a number or date field
mean "unknown" (empty), decimal commas and thousands spaces are read, kinds in words of either
language ("Вуз", "Министерство"). A value that cannot be read raises CellError, whose message
completes "'<value>' ..." and whose ``code``/``params`` carry the same facts for a translation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from cluster_desk.core.days import iso_day
from cluster_desk.io.values import parse_roubles, parse_yes_no
from cluster_desk.io.vocabulary import accepted_values, norm, value_of

__all__ = [
    "MAX_EMPLOYEES",
    "MAX_ID_CHARS",
    "MAX_TEXT_CHARS",
    "PARSERS",
    "STRICT_FIELDS",
    "TEXT_FIELDS",
    "CellError",
    "inn_check_ok",
    "is_unknown",
    "parse_employees",
    "parse_inn",
]

TEXT_FIELDS = ("name", "sector", "address", "website", "contact", "notes")
#: A row whose value of these cannot be read is not imported (guessing a kind would skew every
#: check); a bad value in any other field is left empty and the rest of the row is imported.
STRICT_FIELDS = frozenset({"name", "kind", "status", "industry", "id"})
#: Same limits as the store (a larger head count is a typo; the id column holds 200 characters).
MAX_EMPLOYEES = 100_000_000
MAX_ID_CHARS = 200
MAX_TEXT_CHARS = 10_000

# Cells a spreadsheet would run as a formula (CSV injection); export prefixes them with "'".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")  # thousands separators in "1 200"

#: What people write for "unknown" (compared after vocabulary.norm: case and punctuation go).
_UNKNOWN = frozenset(norm(w) for w in (
    "н/д", "нд", "нет данных", "нет", "не указано", "неизвестно", "n/a", "na", "none", "null",
    "unknown", "?", "tbd", "нет сведений",
)) | {""}  # fmt: skip


class CellError(ValueError):
    """One unreadable cell: the message completes "'<value>' ..."."""

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


_DIGIT = re.compile(r"[0-9]")


def is_unknown(value: str) -> bool:
    """"н/д", "нет", "-", "n/a", "?" ...: the cell says the value is not known."""
    if len(value) > 24 or _DIGIT.search(value):
        return False  # every value (number, date, code) has a digit; no "unknown" word has one
    return norm(value) in _UNKNOWN


def _number(value: str) -> float:
    try:
        number = float(value)  # fast path: plain "55.79"
    except ValueError:
        number = _number_slow(value)
    if not math.isfinite(number):
        raise CellError("is not a finite number", "not_finite")
    return number


def _number_slow(value: str) -> float:
    text = value.strip().translate(_SPACES)
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma ("55,79")
    # float() accepts "inf", "nan", "1_0" and non-ASCII digits: allow only ASCII decimals.
    if not re.fullmatch(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", text):
        raise CellError("is not a number", "not_number")
    return float(text)


def parse_employees(value: str) -> int:
    number = _number(value)
    if number != int(number):
        raise CellError("is not a whole number of employees", "not_whole")
    if number < 0:
        raise CellError("is negative; employees must be 0 or more", "negative")
    if number > MAX_EMPLOYEES:
        raise CellError(f"is more employees than any organisation has (over {MAX_EMPLOYEES:,})",
                        "too_many_employees", limit=MAX_EMPLOYEES)
    return int(number)


def parse_date(value: str) -> str:
    day = iso_day(value)
    if day is None:
        raise CellError("is not a date (use YYYY-MM-DD or DD.MM.YYYY)", "not_date")
    return day


_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_A = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_B = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_check_ok(inn: str) -> bool:
    """The INN's check digits are right (10 digits: one; 12 digits: two; Federal Tax Service rules)."""
    if len(inn) == 10:
        return _check_digit(inn, _INN10) == int(inn[9])
    if len(inn) == 12:
        return _check_digit(inn, _INN12_A) == int(inn[10]) and _check_digit(inn, _INN12_B) == int(inn[11])
    return False


def parse_inn(value: str) -> str:
    text = value.strip().replace(" ", "")
    if text.isdigit() and text.isascii() and len(text) in (10, 12):
        return text  # the common case, checked first for speed (check digits: see inn_check_ok)
    if _SCIENTIFIC.match(text):
        raise CellError("looks like an INN a spreadsheet turned into a number (scientific notation); "
                        "format the column as text and export again", "inn_scientific")
    if re.fullmatch(r"[0-9]+[.,]0+", text):
        raise CellError("looks like an INN a spreadsheet turned into a number; format the column as text",
                        "inn_number")
    if not (text.isdigit() and text.isascii()):
        raise CellError("is not an INN (digits only)", "inn_not_digits")
    hint = "; a leading zero may have been lost" if len(text) in (9, 11) else ""
    raise CellError(f"has {len(text)} digits; an INN has 10 (organisation) or 12 (individual){hint}",
                    "inn_length", digits=len(text), leading_zero=bool(hint))


def _choice(field_name: str) -> Callable[[str], object]:
    accepted = accepted_values(field_name)

    def parse(value: str) -> object:
        found = value_of(field_name, value)
        if found is None:
            raise CellError(f"is not a known {field_name} ({accepted})", f"unknown_{field_name}",
                            accepted=accepted)
        return found
    return parse


def _roubles(value: str) -> float | None:
    try:
        return parse_roubles(value)
    except ValueError as e:  # values.MoneyError names why
        raise CellError(str(e), getattr(e, "code", "not_roubles")) from None


def _yes_no(value: str) -> bool:
    try:
        return parse_yes_no(value)
    except ValueError as e:
        raise CellError(str(e), "not_yes_no") from None


#: Parsers of the non-text fields (coordinates are parsed in rows.py, as a pair).
PARSERS: dict[str, Callable[[str], object]] = {
    "kind": _choice("kind"),
    "status": _choice("status"),
    "industry": _choice("industry"),
    "employees": parse_employees,
    "output": _roubles,
    "special_territory": _choice("special_territory"),
    "organising_production": _yes_no,
    "inn": parse_inn,
    "joined": parse_date,
    "left": parse_date,
}
