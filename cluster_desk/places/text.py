"""Name keys for place search: case-, accent- and ё-insensitive, Cyrillic transliterated to Latin.

Used both by ``scripts/build_places.py`` (to write the key index) and at search time (to fold the
query), so the two always agree.
"""

from __future__ import annotations

import re
import unicodedata

#: Russian Cyrillic -> Latin, close to BGN/PCGN and to what people type ("naberezhnye chelny").
#: Soft and hard signs vanish; й and и both become "i" after folding (NFKD drops the breve).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u",
}  # fmt: skip
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_RUSSIAN_ONLY = re.compile(r"^[а-яё .\-–()0-9]+$", re.IGNORECASE)
_DROP = re.compile(r"['’ʹʼ`´\"«»“”.()]")
_SEP = re.compile(r"[\s\-–—_/,;:]+")


def fold(text: str) -> str:
    """Search key of a name: lower case, no accents (ё=е, й=и), apostrophes and dots dropped,
    dashes and runs of spaces as one space."""
    t = unicodedata.normalize("NFKD", text.casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = _DROP.sub("", t)
    return _SEP.sub(" ", t).strip()


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def is_russian(text: str) -> bool:
    """Only Russian letters (no Tatar, Kazakh, Serbian... letters): fit to show in Russian."""
    return bool(_RUSSIAN_ONLY.match(text)) and has_cyrillic(text)


def translit(folded: str) -> str:
    """Latin transliteration of an already folded key (Cyrillic letters only are changed)."""
    return folded.translate(_TRANSLIT_TABLE)
