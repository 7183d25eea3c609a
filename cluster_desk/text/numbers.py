"""Numbers as each language writes them: "1 234,5" and "19 %" in Russian, "1,234.5" in English.

Qt-free, so the command line and the window print the same figures. The group separator in
Russian is a no-break space (U+00A0), as QLocale("ru") writes it, so a number never wraps.
"""

from __future__ import annotations

import math

#: language -> (group separator, decimal separator)
_SEPARATORS: dict[str, tuple[str, str]] = {"en": (",", "."), "ru": ("\u00a0", ",")}
DASH = "—"  # shown where a figure is unknown


def separators(lang: str) -> tuple[str, str]:
    return _SEPARATORS.get(lang, _SEPARATORS["en"])


def number(x: float, lang: str, digits: int = 0, *, trim: bool = False) -> str:
    """``x`` with ``digits`` decimals, grouped by thousands; ``trim`` drops trailing zeros
    (a threshold as the user typed it: 200 not 200.0, 150.5 stays)."""
    if not math.isfinite(x):
        return DASH
    group, point = separators(lang)
    text = f"{x:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = text[1:]
    return text.replace(",", "\x00").replace(".", point).replace("\x00", group)


def plain(x: float, lang: str) -> str:
    """A setting as the user typed it ("200", "150,5"): up to 6 significant decimals, no zeros."""
    if float(x).is_integer():
        return number(x, lang, 0)
    return number(x, lang, 6, trim=True)


def percent(share: float | None, lang: str, digits: int = 0) -> str:
    """A share 0..1 as "19 %". Russian keeps the sign on the number's line (a no-break space);
    English keeps the plain space its --json text has always had."""
    if share is None or not math.isfinite(share):
        return DASH
    space = "\u00a0" if lang == "ru" else " "
    return f"{number(share * 100, lang, digits)}{space}%"
