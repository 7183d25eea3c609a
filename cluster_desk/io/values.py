"""Cell values shared by the member and link readers: roubles, yes/no, "unknown" marks.

"1 250 000,50", "1,25 млн", "3.5 млрд", "12 тыс. руб." are numbers; "н/д", "нет данных", "n/a",
"-" are unknown (None), not errors. Qt-free; raises ValueError with the end of a sentence that
starts with the cell's text.
"""

from __future__ import annotations

import math
import re

#: Cells that mean "not known" (compared lower-cased, without spaces).
UNKNOWN = frozenset({"н/д", "нд", "нетданных", "неизвестно", "n/a", "na", "-", "—", "–", "?", "unknown"})
_SCALE = (
    (re.compile(r"(млрд\.?|миллиард\w*|bn|billion)$"), 1e9),
    (re.compile(r"(млн\.?|миллион\w*|mln|million|m)$"), 1e6),
    (re.compile(r"(тыс\.?|тысяч\w*|k|thousand)$"), 1e3),
)
_CURRENCY = re.compile(r"(руб\.?|рублей|рубля|рубль|р\.|₽|rub\.?|roubles?|rubles?)$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_YES = frozenset({"да", "yes", "y", "true", "1", "истина", "+", "д"})
_NO = frozenset({"нет", "no", "n", "false", "0", "ложь", "н"})


def is_unknown(text: str) -> bool:
    return text.strip().lower().replace(" ", "") in UNKNOWN


class MoneyError(ValueError):
    """Not a sum of roubles; ``code`` names why for the text renderer ("not_roubles",
    "not_finite", "negative_volume"), str() completes "'<cell>' ..." in English."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


#: The largest yearly sum the store takes (store.rows.MAX_ROUBLES): larger is a unit slip, and it
#: is reported on its row here rather than stopping the whole import in the store.
MAX_ROUBLES = 1e15
_TOO_MUCH = "is more than 10^15 roubles; check the column's units"


def parse_roubles(text: str) -> float | None:
    """Roubles from a cell; None when empty or marked unknown; ValueError when not a sum from 0
    to MAX_ROUBLES."""
    try:
        fast = float(text)  # the common case: a plain number, as our exports write it
    except ValueError:
        pass
    else:
        if 0 <= fast <= MAX_ROUBLES and text.isascii():  # (NaN and infinities fail it)
            return round(fast, 2)
        if MAX_ROUBLES < fast < math.inf:
            raise MoneyError(_TOO_MUCH, "too_much_money")
    raw = text.strip().lower()
    if not raw or is_unknown(raw):
        return None
    body = raw.rstrip(". ")
    body = _CURRENCY.sub("", body).strip().rstrip(",. ")
    factor = 1.0
    for pattern, scale in _SCALE:
        found = pattern.search(body)
        if found:
            factor, body = scale, body[: found.start()].strip()
            break
    body = _CURRENCY.sub("", body).strip()
    number_text = body.translate(_SPACES)
    if "," in number_text and "." not in number_text:
        number_text = number_text.replace(",", ".")  # decimal comma
    elif "," in number_text:  # "1,250,000.50"
        number_text = number_text.replace(",", "")
    if not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?|[+-]?\.[0-9]+", number_text):
        raise MoneyError("is not a sum of money (write 1 250 000,50 or 1,25 млн; н/д if unknown)",
                         "not_roubles")
    value = float(number_text) * factor
    if not math.isfinite(value):
        raise MoneyError("is not a finite number", "not_finite")
    if value < 0:
        raise MoneyError("is negative; a yearly volume is 0 or more", "negative_volume")
    if value > MAX_ROUBLES:
        raise MoneyError(_TOO_MUCH, "too_much_money")
    return round(value, 2)


def parse_yes_no(text: str) -> bool:
    """да/нет, yes/no, true/false, 1/0; empty is no."""
    key = text.strip().lower().rstrip(".")
    if not key or key in _NO:
        return False
    if key in _YES:
        return True
    raise ValueError("is not yes or no (да/нет)")
