"""Matching keys for organisation names: the same firm typed by two people gets the same key."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key"]

# Latin letters that look like Cyrillic ones map to the Cyrillic letter (typists mix keyboard
# layouts: "OOO" typed in Latin, "Кама" with a Latin "a").
_LOOKALIKE = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
    "t": "т", "x": "х", "y": "у", "ё": "е",
})  # fmt: skip
_QUOTES = "«»\"'“”„‟‘’‚‛`´<>"
_DROP = str.maketrans("", "", _QUOTES)
_SPACE = re.compile(r"[\s\u00a0\u202f\u2009_\-–—]+")


def name_key(name: str) -> str:
    """Case, spaces, quotes and look-alike Latin/Cyrillic letters normalised away."""
    t = unicodedata.normalize("NFKC", name).casefold().translate(_DROP)
    t = _SPACE.sub(" ", t).strip()
    # Every letter is mapped, so a Latin word may get a mixed key ("bosch" -> "воsсн"): harmless,
    # keys are only compared with each other, and both spellings of a word meet.
    return t.translate(_LOOKALIKE)
