"""Matching keys for organisation names: the same firm typed by two people gets the same key."""

from __future__ import annotations

import unicodedata

__all__ = ["name_key"]

# Latin letters that look like Cyrillic ones map to the Cyrillic letter (typists mix keyboard
# layouts: "OOO" typed in Latin, "Кама" with a Latin "a").
_QUOTES = "«»\"'“”„‟‘’‚‛`´<>"
# One table (one pass): quotes dropped, look-alikes mapped, dashes and underscores made spaces.
_FOLD = str.maketrans({
    "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о", "p": "р",
    "t": "т", "x": "х", "y": "у", "ё": "е", "_": " ", "-": " ", "–": " ", "—": " ",
    **dict.fromkeys(_QUOTES),
})  # fmt: skip


def name_key(name: str) -> str:
    """Case, spaces, quotes and look-alike Latin/Cyrillic letters normalised away."""
    if not name.isascii():  # NFKC changes nothing in ASCII text: skip it for plain names
        name = unicodedata.normalize("NFKC", name)
    # Every letter is mapped, so a Latin word may get a mixed key ("bosch" -> "воsсн"): harmless,
    # keys are only compared with each other, and both spellings of a word meet.
    return " ".join(name.casefold().translate(_FOLD).split())
