"""Matching keys for organisation names: the same firm typed by two people gets the same key."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NameKeys", "name_key", "name_keys"]

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


_FOLD_PAIRS = tuple((chr(k), v or "") for k, v in _FOLD.items())
if any(dst and dst in dict(_FOLD_PAIRS) for _, dst in _FOLD_PAIRS):  # see name_keys
    raise ImportError("cluster_desk.io.names: a folded character is folded again")
_SEP = "\0"  # joins a batch of names: not whitespace, not changed by NFKC, casefold or _FOLD
#: Whitespace a name's key would change: other than a space (str.split's), two in a row, or a
#: space at either end of a name (next to the separator or the text's ends).
_UNEVEN_SPACE = re.compile(r"[^\S ]|  |^ | $| \0|\0 ")


#: Every whitespace character but the space (what str.split() splits on besides it; a test
#: compares this with Python's own list).
_OTHER_SPACES = tuple("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                      "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _uneven_space(joined: str) -> bool:
    """``_UNEVEN_SPACE.search(joined)`` as plain substring tests (the regex's class test per
    character took ~10x longer on a batch of names)."""
    return ("  " in joined or " " + _SEP in joined or _SEP + " " in joined or joined.startswith(" ")
            or joined.endswith(" ") or any(c in joined for c in _OTHER_SPACES))


def name_keys(names: list[str]) -> list[str]:
    """``name_key`` of each name, a batch at a time: normalising, folding and mapping one joined
    text costs one call each instead of one per name (a 100,000-row import: ~0.3 s less)."""
    joined = _SEP.join(names)
    if joined.count(_SEP) != len(names) - 1 or not names:
        return [name_key(n) for n in names]  # a name holds the separator itself
    if not joined.isascii():
        joined = unicodedata.normalize("NFKC", joined)
    joined = joined.casefold()
    # str.translate with a table that maps to non-ASCII goes through a dict per character; a
    # replace per folded character (each one fast pass over the batch) is ~10x cheaper. Same
    # result: no replacement makes a character another replacement would change.
    for src, dst in _FOLD_PAIRS:
        if src in joined:
            joined = joined.replace(src, dst)
    parts = joined.split(_SEP)
    if len(parts) != len(names):  # cannot happen (see _SEP), but never mix up two names' keys
        return [name_key(n) for n in names]
    if not _uneven_space(joined):
        return parts  # single spaces between words only: " ".join(p.split()) is p itself
    return [" ".join(p.split()) for p in parts]


class NameKeys:
    """``name_key`` with a memo filled a batch at a time by the reader (``fill``), so the matching
    step finds most keys already made. Bounded: the memo holds about one batch."""

    LIMIT = 4096

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def fill(self, names: list[str]) -> None:
        if len(self._keys) > self.LIMIT:
            self._keys.clear()
        self._keys.update(zip(names, name_keys(names), strict=True))

    def __call__(self, name: str) -> str:
        key = self._keys.get(name)
        return key if key is not None else name_key(name)
